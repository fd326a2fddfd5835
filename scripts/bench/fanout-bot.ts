/**
 * The fan-out benchmark's bot, in a process of its own (forked by
 * `scripts/bench/fanout.ts`): it loads only what the bot itself loads, the
 * roster is already stored, and the database and the fake WeCom are other
 * processes, so the RSS it samples is what the bot holds. Opens the month,
 * sends every message, and answers its figures once to the parent.
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
import { answerWhenForked } from './bot-process';
import { rssOf } from './rss';

/** What the parent gives the bot's process. */
export interface FanoutBotOptions {
  uri: string;
  dbName: string;
  apiBase: string;
  corpId: string;
  concurrency: number;
  redisUrl: string;
}

/** Opens a month for everyone stored and sends every card; returns the bot's figures. */
async function run(options: FanoutBotOptions) {
  const config = loadConfig({
    WECOM_CORP_ID: options.corpId,
    WECOM_AGENT_ID: '1000002',
    WECOM_SECRET: 'bench-secret',
    WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
    WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
    WECOM_API_BASE: options.apiBase,
  });
  const connection = await mongoose
    .createConnection(options.uri, { dbName: options.dbName })
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
  const cpuAtSend = process.cpuUsage();
  // The peaks of the open alone; the sending's are the run's peaks when higher.
  const openPeak = { rssMb: rssPeakMb, heapMb: heapPeakMb };
  counting = true;
  await kaohe.sender.drain();
  counting = false;
  mongoose.set('debug', false);
  const t2 = performance.now();
  // CPU time of the bot's process over the sending (user + system), in ms: steadier than the
  // wall time on a shared machine.
  const sendCpu = process.cpuUsage(cpuAtSend);
  clearInterval(sampler);
  await connection.close();
  await state.close();
  return {
    notified: report.notified,
    outboxCommands,
    rssBeforeMb,
    rssPeakMb,
    heapPeakMb,
    // V8's heap limit of the bot's process (NODE_OPTIONS=--max-old-space-size=… lowers it).
    heapLimitMb: getHeapStatistics().heap_size_limit / 2 ** 20,
    openPeak,
    enqueueSeconds: (t1 - t0) / 1000,
    sendSeconds: (t2 - t1) / 1000,
    sendCpuMs: (sendCpu.user + sendCpu.system) / 1000,
  };
}

/** The figures the bot's process answers. */
export type FanoutBotResult = Awaited<ReturnType<typeof run>>;

answerWhenForked(run);
