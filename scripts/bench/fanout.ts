/**
 * Fan-out benchmark: opening a month for many staff, against a fake WeCom API
 * on loopback that answers every call after a fixed latency. Reported next to
 * the theoretical minimum for the sender's concurrency: messages × latency ÷ concurrency.
 * The embedded database and the fake WeCom each run in a child process, so the
 * bot's memory is reported apart from theirs.
 */
import mongoose from 'mongoose';
import { startEmbeddedChild } from './embedded-child';
import { startFakeWecomChild } from './fake-wecom-child';
import { runBotProcess } from './bot-process';
import type { FanoutBotResult } from './fanout-bot';
import { sendFloor } from './fanout-floor';
import { seedRosterInChild } from './fanout-seed';
import { rssOf } from './rss';

const CORP = 'ww1436e0e65a779aee';
// About the size of an opening card's message/send body.
const FLOOR_BODY_BYTES = 1200;

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
  const bot = await runBotProcess<FanoutBotResult>('fanout-bot', {
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
  // The bot is gone by now: the same sends straight to the fake, what this machine allows.
  const floorSeconds = await sendFloor({
    apiBase: fake.apiBase,
    corpId: CORP,
    secret: 'bench-secret',
    messages: sent,
    concurrency: options.concurrency,
    bodyBytes: FLOOR_BODY_BYTES,
  });

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
    floorSeconds,
    database: options.mongodbUri ? 'MongoDB' : 'embedded',
  };
}
