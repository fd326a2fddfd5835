/**
 * Fan-out benchmark: opening a month for many staff, against a fake WeCom API
 * on loopback that answers every call after a fixed latency. Reported next to
 * the theoretical minimum for the sender's concurrency: messages × latency ÷ concurrency.
 * The embedded database and the fake WeCom each run in a child process, so the
 * bot's memory is reported apart from theirs.
 */
import { execFileSync, fork } from 'node:child_process';
import path from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedChild } from './embedded-child';
import { startFakeWecomChild } from './fake-wecom-child';
import type { FanoutBotOptions, FanoutBotResult } from './fanout-bot';
import { seedRosterInChild } from './fanout-seed';
import { rssOf } from './rss';

const CORP = 'ww1436e0e65a779aee';
const ROOT = path.resolve(__dirname, '../..');

/** Opens a month for `staff` people and sends every card; returns the timings. */
export async function benchFanout(options: {
  staff: number;
  latencyMs: number;
  concurrency: number;
  redisUrl: string;
  mongodbUri?: string;
}) {
  const fake = await startFakeWecomChild({
    corpId: CORP,
    secret: 'bench-secret',
    latencyMs: options.latencyMs,
  });
  const embedded = options.mongodbUri ? null : await startEmbeddedChild();
  const uri = options.mongodbUri ?? embedded!.uri;
  const dbName = `kaohe_fanout_${Date.now()}`;
  await seedRosterInChild(uri, dbName, options.staff);
  const dbCpuBefore = await embedded?.cpuUsage();
  const bot = await runBot({
    uri,
    dbName,
    apiBase: fake.apiBase,
    corpId: CORP,
    concurrency: options.concurrency,
    redisUrl: options.redisUrl,
  });
  const database = embedded ? rssOf(embedded.pid) : null;
  const dbCpuAfter = await embedded?.cpuUsage();
  // The database's CPU time over the open and the sending together, in ms.
  const databaseCpuMs =
    dbCpuBefore && dbCpuAfter
      ? (dbCpuAfter.user - dbCpuBefore.user + dbCpuAfter.system - dbCpuBefore.system) / 1000
      : null;

  const fakeRss = rssOf(fake.pid);
  const perPerson = await fake.perPerson();
  const sent = [...perPerson.values()].reduce((a, b) => a + b, 0);
  // The opening is one message a person: anyone counted twice got it twice.
  const twice = [...perPerson.values()].filter((n) => n > 1).length;
  const minimumSeconds = (sent * options.latencyMs) / options.concurrency / 1000;

  await fake.stop();
  const connection = await mongoose.createConnection(uri, { dbName }).asPromise();
  await connection.dropDatabase();
  await connection.close();
  await embedded?.stop();
  return {
    ...bot,
    sent,
    maxPerPerson: Math.max(...perPerson.values()),
    twice,
    databaseRss: database,
    databaseCpuMs,
    fakeRss,
    totalSeconds: bot.enqueueSeconds + bot.sendSeconds,
    minimumSeconds,
    database: options.mongodbUri ? 'MongoDB' : 'embedded',
  };
}

/**
 * Runs the bot in a process of its own, with the bench's NODE_OPTIONS (a heap limit
 * meant for the bot applies to it) and BENCH_BOT_ARGS (e.g. --cpu-prof, --trace-gc).
 * By default it is compiled first and run by plain node, as production runs the bot
 * (`npm run build`, `npm run serve`); BENCH_FANOUT_BOT=tsx runs it from source under tsx,
 * as `npm start` does in development.
 */
function runBot(options: FanoutBotOptions): Promise<FanoutBotResult & { runner: string }> {
  const runner = process.env.BENCH_FANOUT_BOT === 'tsx' ? 'tsx' : 'node';
  const extra = (process.env.BENCH_BOT_ARGS ?? '').split(' ').filter(Boolean);
  if (runner === 'node') execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT });
  const child =
    runner === 'tsx'
      ? fork(path.join(__dirname, 'fanout-bot.ts'), ['--run', JSON.stringify(options)], {
          execArgv: ['--import', 'tsx', ...extra],
        })
      : fork(
          path.join(ROOT, 'dist/scripts/bench/fanout-bot.js'),
          ['--run', JSON.stringify(options)],
          { execArgv: extra },
        );
  return new Promise((resolve, reject) => {
    let result: FanoutBotResult | undefined;
    child.once('error', reject);
    child.once('message', (answer) => (result = answer as FanoutBotResult));
    child.once('exit', (code) =>
      result
        ? resolve({ ...result, runner })
        : reject(new Error(`fan-out bot exited with ${code}`)),
    );
  });
}
