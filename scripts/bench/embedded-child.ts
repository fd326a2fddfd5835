/**
 * The embedded database in a process of its own, for benchmarks that report
 * the bot's memory apart from the database's. Forked by `startEmbeddedChild`;
 * sends its URI once listening, and stops when the parent disconnects.
 */
import { fork } from 'node:child_process';
import { startEmbeddedMongo } from '@kaohe/embedded-mongo';
import { helperEnv } from './rss';

/** A running embedded database in a child process. */
export interface EmbeddedChild {
  uri: string;
  pid: number;
  /** The database process's CPU time so far (microseconds, as process.cpuUsage gives it). */
  cpuUsage(): Promise<NodeJS.CpuUsage>;
  stop(): Promise<void>;
}

/** Forks this file as the database process and waits until it listens. */
export function startEmbeddedChild(): Promise<EmbeddedChild> {
  // BENCH_DB_CPU_PROF=DIR profiles the database's process too (NODE_OPTIONS refuses --cpu-prof).
  const dir = process.env.BENCH_DB_CPU_PROF;
  const profile = dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
  const child = fork(__filename, ['--serve'], {
    execArgv: ['--import', 'tsx', ...profile],
    env: helperEnv(),
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (uri) =>
      resolve({
        uri: String(uri),
        pid: child.pid!,
        cpuUsage: () =>
          new Promise((answer) => {
            child.once('message', (usage) => answer(usage as NodeJS.CpuUsage));
            child.send('cpu');
          }),
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.disconnect();
          }),
      }),
    );
  });
}

if (process.argv.includes('--serve')) {
  void startEmbeddedMongo().then((db) => {
    process.send!(db.uri);
    process.on('message', (ask) => ask === 'cpu' && process.send!(process.cpuUsage()));
    process.once('disconnect', () => void db.stop().then(() => process.exit(0)));
  });
}
