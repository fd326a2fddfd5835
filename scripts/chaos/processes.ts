/**
 * The processes a chaos run plays with: a throwaway redis-server, an embedded
 * database server of its own (so it can be paused, and shared by two bots), and
 * the real bot (`tsx src/main.ts`). Each is started in its own process group, so
 * a SIGKILL reaches tsx's child node process too and leaves nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

/** A started process and the lines it printed. */
export interface Proc {
  child: ChildProcess;
  lines: string[];
  /** Sends `signal` to the whole process group. */
  signal(signal: NodeJS.Signals): void;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/** A free TCP port on 127.0.0.1 (asked of the system, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function launch(command: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: 'pipe' });
  const lines: string[] = [];
  let buffer = '';
  const take = (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      lines.push(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
    }
    // Keep memory bounded on a chatty run: only the latest lines matter for a report.
    if (lines.length > 5000) lines.splice(0, lines.length - 5000);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    signal: (signal) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // Already gone.
      }
    },
  };
}

/** Waits until a line matching `pattern` appears, or the process exits, or `timeoutMs` passes. */
export async function waitForLine(proc: Proc, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = proc.lines.find((l) => pattern.test(l));
    if (line) return line;
    if (proc.child.exitCode !== null) throw new Error(`exited early:\n${proc.lines.join('\n')}`);
    if (Date.now() > deadline)
      throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${proc.lines.slice(-20).join('\n')}`);
    await sleep(50);
  }
}

/** Stops a process: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopProc(proc: Proc, graceMs = 10_000): Promise<void> {
  proc.signal('SIGTERM');
  const timer = setTimeout(() => proc.signal('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

/** A redis-server that keeps nothing on disk, on a free port. */
export async function startRedis(): Promise<{ proc: Proc; url: string; port: number }> {
  const port = await freePort();
  const proc = launch(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { PATH: process.env.PATH ?? '' },
  );
  await waitForLine(proc, /Ready to accept connections/, 10_000);
  return { proc, url: `redis://127.0.0.1:${port}`, port };
}

/** The embedded database as a process of its own, keeping its snapshot in `dataDir`. */
export async function startDatabase(dataDir: string): Promise<{ proc: Proc; uri: string }> {
  const script = path.join(__dirname, 'database-server.ts');
  const proc = launch(TSX, [script, dataDir], { PATH: process.env.PATH ?? '' });
  const line = await waitForLine(proc, /^mongodb:\/\//, 30_000);
  return { proc, uri: `${line.trim()}kaohe` };
}

/** The bot as `npm start` runs it; resolves once it listens, with its port. */
export async function startBot(env: Record<string, string>): Promise<{ proc: Proc; port: number }> {
  const proc = launch(TSX, ['src/main.ts'], {
    PATH: process.env.PATH ?? '',
    PORT: '0',
    CRON_ENABLED: 'false',
    SIMULATOR: 'off',
    LOG_LEVEL: 'info',
    ...env,
  });
  const line = await waitForLine(proc, /Kaohe listening/, 60_000);
  const port = (JSON.parse(line) as { port: number }).port;
  return { proc, port };
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `everyMs` until it is true or `timeoutMs` has passed; returns the last answer. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 100,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

/** Waits until the fake has received no request for `quietMs` (at most `timeoutMs`). */
export async function waitQuiet(
  fake: { requests: unknown[] },
  quietMs: number,
  timeoutMs: number,
): Promise<boolean> {
  return waitUntil(async () => {
    const before = fake.requests.length;
    await sleep(quietMs);
    return fake.requests.length === before;
  }, timeoutMs);
}
