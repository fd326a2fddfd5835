/**
 * Fan-out benchmark: opening a month for many staff, against a fake WeCom API
 * on loopback that answers every call after a fixed latency. Reported next to
 * the theoretical minimum for the sender's concurrency: messages × latency ÷ concurrency.
 * The embedded database and the fake WeCom each run in a child process, so the
 * bot's memory is reported apart from theirs.
 */
import mongoose from 'mongoose';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { loadConfig } from '../../config';
import { createKaohe } from '../../src/compose';
import { systemClock } from '../../src/lib/clock';
import { silentLogger } from '../../src/lib/logger';
import { RedisStateStore } from '../../src/state/redis-state-store';
import { createModels, ensureIndexes } from '../../src/store/models';
import type { MonthKey } from '../../src/assessment/month';
import { startEmbeddedChild } from './embedded-child';
import { startFakeWecomChild } from './fake-wecom-child';
import { rssOf } from './rss';

const CORP = 'ww1436e0e65a779aee';

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
  const config = loadConfig({
    WECOM_CORP_ID: CORP,
    WECOM_AGENT_ID: '1000002',
    WECOM_SECRET: 'bench-secret',
    WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
    WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
    WECOM_API_BASE: fake.apiBase,
  });
  const embedded = options.mongodbUri ? null : await startEmbeddedChild();
  const connection = await mongoose
    .createConnection(options.mongodbUri ?? embedded!.uri, { dbName: `kaohe_fanout_${Date.now()}` })
    .asPromise();
  const models = createModels(connection);
  await ensureIndexes(models);
  const state = RedisStateStore.connect(options.redisUrl, `kaohe-bench:${Date.now()}:`);
  const kaohe = createKaohe({
    config,
    models,
    state,
    clock: systemClock,
    logger: silentLogger,
    senderConcurrency: options.concurrency,
  });

  const joinedAt = new Date(Date.now() - 86_400_000);
  const person = (
    userid: string,
    employeeNo: string,
    roles: string[],
    supervisorUserid: string | null,
  ) => ({
    userid,
    name: `员工${employeeNo}`,
    employeeNo,
    roles,
    supervisorUserid,
    platform: 'wecom',
    active: true,
    joinedAt,
    updatedAt: joinedAt,
  });
  await models.people.insertMany([
    person('boss', 'M0001', ['manager'], null),
    person('sup', 'S0001', ['supervisor'], 'boss'),
    ...Array.from({ length: options.staff }, (_, i) =>
      person(`u${i}`, `K${String(i).padStart(5, '0')}`, ['staff'], 'sup'),
    ),
  ]);

  // Sampled, since VmHWM of this process also counts whatever ran before in the same bench.
  const rssBeforeMb = rssOf('self').nowMb;
  let rssPeakMb = rssBeforeMb;
  // The V8 heap in use, sampled too: RSS far above it is garbage not yet collected, not live data.
  let heapPeakMb = process.memoryUsage().heapUsed / 2 ** 20;
  const sampler = setInterval(() => {
    rssPeakMb = Math.max(rssPeakMb, rssOf('self').nowMb);
    heapPeakMb = Math.max(heapPeakMb, process.memoryUsage().heapUsed / 2 ** 20);
  }, 100);
  // Database commands on the outbox while sending, counted by mongoose's debug hook.
  let outboxCommands = 0;
  let counting = false;
  mongoose.set('debug', (collection: string) => {
    if (counting && collection === 'outbox') outboxCommands += 1;
  });
  const t0 = performance.now();
  const report = await kaohe.cycle.open('2024-05' as MonthKey, 'bench');
  const t1 = performance.now();
  // The peaks of the open alone; the sending's are the run's peaks when higher.
  const openPeak = { rssMb: rssPeakMb, heapMb: heapPeakMb };
  counting = true;
  await kaohe.sender.drain();
  counting = false;
  mongoose.set('debug', false);
  const t2 = performance.now();
  clearInterval(sampler);
  const database = embedded ? rssOf(embedded.pid) : null;

  const fakeRss = rssOf(fake.pid);
  const perPerson = await fake.perPerson();
  const sent = [...perPerson.values()].reduce((a, b) => a + b, 0);
  // The opening is one message a person: anyone counted twice got it twice.
  const twice = [...perPerson.values()].filter((n) => n > 1).length;
  const minimumSeconds = (sent * options.latencyMs) / options.concurrency / 1000;

  await fake.stop();
  await connection.dropDatabase();
  await connection.close();
  await state.close();
  await embedded?.stop();
  return {
    notified: report.notified,
    sent,
    maxPerPerson: Math.max(...perPerson.values()),
    twice,
    outboxCommands,
    rssBeforeMb,
    rssPeakMb,
    heapPeakMb,
    // V8's heap limit of the bot's process (NODE_OPTIONS=--max-old-space-size=… lowers it).
    heapLimitMb: getHeapStatistics().heap_size_limit / 2 ** 20,
    openPeak,
    databaseRss: database,
    fakeRss,
    enqueueSeconds: (t1 - t0) / 1000,
    sendSeconds: (t2 - t1) / 1000,
    totalSeconds: (t2 - t0) / 1000,
    minimumSeconds,
    database: options.mongodbUri ? 'MongoDB' : 'embedded',
  };
}
