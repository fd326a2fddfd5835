/**
 * `npm start` as a person runs it: a real process on the embedded defaults.
 * It announces the database, the state and the simulator's address, answers
 * /healthz, serves the simulator's page (built by `npm test` and `npm start`), takes a roster from
 * the roster tool while running, stops on SIGTERM and keeps the data.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const ROSTER = path.join(__dirname, 'fixtures/roster.csv');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kaohe-start-'));
const env = { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' };

interface Started {
  child: ChildProcess;
  port: number;
  lines: string[];
}

function start(extra: Record<string, string> = {}): Promise<Started> {
  const child = spawn(TSX, ['src/main.ts'], { cwd: ROOT, env: { ...env, ...extra } });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = JSON.parse(buffer.slice(0, i)) as { msg: string; port?: number };
        buffer = buffer.slice(i + 1);
        lines.push(line.msg);
        if (line.msg.startsWith('Kaohe listening')) resolve({ child, port: line.port!, lines });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${lines.join('\n')}`)));
  });
}

function stop(started: Started): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.removeAllListeners('exit');
    started.child.on('exit', (code) => resolve(code));
    started.child.kill('SIGTERM');
  });
}

function roster(...args: string[]) {
  return spawnSync(TSX, ['scripts/roster.ts', ...args], { cwd: ROOT, env, encoding: 'utf8' });
}

describe('npm start on the embedded defaults', () => {
  it('starts, announces its database and state, answers /healthz, and keeps the roster across a restart', async () => {
    const first = await start();
    expect(first.lines).toContain(`database: embedded database (data in ${dataDir})`);
    expect(first.lines).toContain('state: in-process (one instance only)');
    const health = await fetch(`http://127.0.0.1:${first.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      ok: true,
      mongo: 'up',
      redis: 'in-process',
      inbox: { pending: 0, oldestSeconds: 0 },
      outbox: { pending: 0, oldestSeconds: 0 },
    });

    // With no messenger configured, the simulator is announced and its page loads.
    expect(first.lines).toContainEqual(
      expect.stringMatching(`^simulator: open http://localhost:${first.port}/simulator/ `),
    );
    expect(first.lines.join('')).toContain(
      `Kaohe simulator: http://localhost:${first.port}/simulator/`,
    );
    const page = await fetch(`http://127.0.0.1:${first.port}/simulator`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');

    // The roster tool goes through the running bot's database.
    const imported = roster('import', ROSTER);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(
      /imported into the embedded database of the running bot .*added 6/,
    );
    expect(await stop(first)).toBe(0);

    // Stopped: the tool works on the data folder itself, and sees what was imported.
    const listed = roster('list');
    expect(listed.stdout.trim().split('\n')).toHaveLength(6);
    expect(listed.stdout).toContain('K001\tzhangwei\t张伟\tstaff\tliuyan\twecom');

    const second = await start();
    const again = roster('import', ROSTER);
    expect(again.stdout).toMatch(/added 0, updated 0, deactivated 0, unchanged 6/);
    expect(await stop(second)).toBe(0);
  }, 60_000);

  it('refuses to start on an invalid environment, one line per bad variable', () => {
    const result = spawnSync(TSX, ['src/main.ts'], {
      cwd: ROOT,
      env: { ...env, PORT: 'abc', WECOM_CORP_ID: 'ww1', TZ_ASSESSMENT: 'Nowhere/City' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines).toContain('  - PORT: must be a number');
    expect(lines).toContain('  - TZ_ASSESSMENT: is not a known time zone');
    expect(lines.filter((l) => l.includes('required when wecom is configured'))).toHaveLength(4);
  });

  it('refuses a roster file with bad rows and changes nothing', () => {
    const bad = readFileSync(ROSTER, 'utf8').replace(
      'lina,李娜,K002,staff',
      'lina,李娜,K002,cleaner',
    );
    const file = path.join(dataDir, 'bad.csv');
    writeFileSync(file, bad);
    const result = roster('import', file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('line 6: unknown role "cleaner"');
    expect(result.stderr).toContain('nothing was changed');
  });
});
