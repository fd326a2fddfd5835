/**
 * A redis-server of a test's own on a free port, that the test can stop and
 * start again (an outage). No automatic persistence; `stop` saves once by
 * command first, so the restarted server holds what the stopped one held,
 * as a Redis with persistence would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';

export interface ThrowawayRedis {
  url: string;
  /** A client for the test itself (FLUSHDB and the like). */
  admin: Redis;
  /** Saves, then stops the server: Redis is down. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the saved data. */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  destroy(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Starts a throwaway redis-server (it must be on PATH). */
export async function startThrowawayRedis(): Promise<ThrowawayRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'kaohe-redis-'));
  let child: ChildProcess | undefined;
  const admin = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => 100 });
  admin.on('error', () => undefined);
  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    );
    const probe = new Redis(port, '127.0.0.1', {
      retryStrategy: () => 50,
      maxRetriesPerRequest: null,
    });
    probe.on('error', () => undefined);
    await probe.ping();
    probe.disconnect();
  };
  const stop = async () => {
    await admin.save();
    const exited = new Promise((r) => child!.once('exit', r));
    child!.kill('SIGKILL');
    await exited;
  };
  await start();
  await admin.connect();
  return {
    url: `redis://127.0.0.1:${port}`,
    admin,
    stop,
    start,
    async destroy() {
      admin.disconnect();
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child!.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
