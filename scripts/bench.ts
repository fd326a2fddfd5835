/**
 * `npm run bench`: the project's benchmarks. Each figure is reported next to a
 * baseline measured in the same run, so ratios hold from machine to machine.
 * REDIS_URL and MONGODB_URI are read here as the tests read them (a tool, not the bot).
 */
import { WARMUP, benchCallbacks, row, type CallbackCpu } from './bench/callback';
import { benchCommands } from './bench/commands';
import type { Measurement } from './bench/measure';
import { benchEconomy } from './bench/economy';
import { benchFanout } from './bench/fanout';
import { benchReport } from './bench/report';
import { benchSimulator } from './bench/simulator';
import { benchWorkbook } from './bench/workbook';

async function main(): Promise<void> {
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const requests = Number(process.env.BENCH_REQUESTS || 3000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY || 20);

  const only = process.env.BENCH_ONLY;
  if (only === 'workbook') return printWorkbook();
  const targets = [undefined, process.env.MONGODB_URI].filter((u, i) => i === 0 || u);
  // BENCH_ONLY=report runs the report benchmark alone.
  if (only === 'report') return reportBenchmark(targets);
  if (only === 'fanout') return printFanout(targets, redisUrl);
  if (!only || only === 'commands') {
    console.log('# Database commands per answer (goal: at most 6), POST to finished handling');
    for (const mongodbUri of targets) {
      const r = await benchCommands({ redisUrl, mongodbUri });
      console.log(`## database: ${r.database}`);
      for (const [name, c] of [
        ['answered tap', r.taps],
        ['typed score', r.typed],
      ] as const)
        console.log(
          `${name}: at most ${c.max}, mean ${c.mean.toFixed(1)} over ${c.answers.length} answers; one: ${c.answers[1]!.join(' · ')}`,
        );
    }
    // BENCH_ONLY=commands stops here.
    if (only) return;
  }
  if (only !== 'economy')
    console.log(
      `# Callback benchmark: ${requests} requests an endpoint, ${concurrency} in flight, load from a separate process`,
    );
  for (const mongodbUri of only === 'economy' ? [] : targets) {
    const { results, cpu, stored, done, passive, database } = await benchCallbacks({
      requests,
      concurrency,
      redisUrl,
      mongodbUri,
    });
    const [bare, floor, callback, answered] = results as [
      Measurement,
      Measurement,
      Measurement,
      Measurement,
    ];
    console.log(`## database: ${database}`);
    results.forEach((m, i) => console.log(`${row(m)}   ${cpuRow(cpu[i]!)}`));
    console.log(
      `stored callbacks: ${stored} (of ${2 * (requests + WARMUP)} sent to the bot, warm-up included), ${done} handled to the end`,
    );
    const vs = (m: Measurement, base: Measurement, label: string) =>
      `${(m.perSecond / base.perSecond).toFixed(2)}× the throughput of ${label}; p50 ${(m.p50ms / base.p50ms).toFixed(1)}×, p99 ${(m.p99ms / base.p99ms).toFixed(1)}×`;
    console.log(`ratio: the bot has ${vs(callback, floor, 'the floor')}`);
    console.log(`ratio: the bot has ${vs(callback, bare, 'bare Koa')}`);
    console.log(`ratio: the floor has ${vs(floor, bare, 'bare Koa')}`);
    const [floorCpu, botCpu, answeredCpu] = [cpu[1]!, cpu[2]!, cpu[3]!].map(cpuTotal);
    console.log(
      `ratio: CPU time a callback, servers and database together: the bot ${(botCpu! / floorCpu!).toFixed(2)}× the floor, passive reply ${(answeredCpu! / floorCpu!).toFixed(2)}×`,
    );
    console.log(
      `ratio: POST to passive reply (${passive} of ${requests} answered inside the callback) p50 ${(answered.p50ms / floor.p50ms).toFixed(1)}×, p99 ${(answered.p99ms / floor.p99ms).toFixed(1)}× the floor`,
    );
  }

  const people = Number(process.env.BENCH_ECONOMY_PEOPLE || 20);
  console.log(
    `\n# Conversation economy: self-assessment by taps and by typing, a supervisor scoring ${people} people step by step`,
  );
  for (const mongodbUri of targets) {
    const r = await benchEconomy({ people, redisUrl, mongodbUri });
    const { floor, supervisor: s } = r;
    console.log(
      `## database: ${r.database}; floor: a bare endpoint answers in p50 ${floor.p50ms.toFixed(2)} ms, p99 ${floor.p99ms.toFixed(2)} ms`,
    );
    // Without passive replies every answer costs at least one API message: that is the floor here.
    const cost = (f: { answers: number; passive: number; api: number }) =>
      `${f.api} API messages for ${f.answers} answers (${f.passive} passive) = ${(f.api / f.answers).toFixed(2)}× one message per answer`;
    console.log(`form by taps: ${cost(r.taps)}`);
    console.log(`form by typing: ${cost(r.typing)}`);
    console.log(
      `supervisor, ${people} forms (评分 工号 then 11 numbers, one a message): ${cost(s)}; ${(s.api / people).toFixed(1)} a form`,
    );
    console.log(
      `supervisor answers: p50 ${s.p50ms.toFixed(0)} ms = ${(s.p50ms / floor.p50ms).toFixed(1)}×, p99 ${s.p99ms.toFixed(0)} ms = ${(s.p99ms / floor.p99ms).toFixed(1)}× the floor; ${s.over3s} of ${s.answers} over 3 s; ${s.seconds.toFixed(0)} s in all`,
    );
  }
  // BENCH_ONLY=callback or economy stops here (the other benchmarks take minutes).
  if (only) return;

  const simMessages = Number(process.env.BENCH_SIM_MESSAGES || 300);
  const simConcurrency = Number(process.env.BENCH_SIM_CONCURRENCY || 4);
  console.log(
    `\n# Simulator benchmark: ${simMessages} messages typed on the page by as many people, ${simConcurrency} in flight`,
  );
  for (const mongodbUri of targets) {
    const { results, database } = await benchSimulator({
      messages: simMessages,
      concurrency: simConcurrency,
      redisUrl,
      mongodbUri,
    });
    const [bare, accepted, answered] = results as [Measurement, Measurement, Measurement];
    console.log(`## database: ${database}`);
    for (const m of results) console.log(row(m));
    console.log(
      `ratio: p50 accepted ${(accepted.p50ms / bare.p50ms).toFixed(1)}×, answered ${(answered.p50ms / bare.p50ms).toFixed(1)}× the bare endpoint; answered is ${(answered.p50ms / accepted.p50ms).toFixed(1)}× accepted`,
    );
  }

  await printFanout(targets, redisUrl);

  await reportBenchmark(targets);
  await printWorkbook();
}

/** CPU time a callback took in the servers' process and in the database's. */
function cpuRow(c: CallbackCpu): string {
  const db = c.databaseMs === null ? '' : ` + database ${c.databaseMs.toFixed(2)}`;
  return `CPU ${c.serverMs.toFixed(2)}${db} ms, ${c.commands.toFixed(2)} commands`;
}

function cpuTotal(c: CallbackCpu): number {
  return c.serverMs + (c.databaseMs ?? 0);
}

/** BENCH_ONLY=report, and part of a full run. */
async function reportBenchmark(targets: (string | undefined)[]): Promise<void> {
  const reportStaff = Number(process.env.BENCH_REPORT_STAFF || 10_000);
  const reportMonths = Number(process.env.BENCH_REPORT_MONTHS || 12);
  console.log(
    `\n# Report benchmark: /report for ${reportStaff} people, ${reportMonths} months of history stored`,
  );
  for (const mongodbUri of targets) {
    const r = await benchReport({ staff: reportStaff, months: reportMonths, mongodbUri });
    const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;
    console.log(`## database: ${r.database} (seeding took ${r.seedSeconds.toFixed(1)} s)`);
    console.log(
      `floor: the month's ${r.floorDocs} assessments in one query: ${ms(r.floorSeconds)}; its stored summary (${(r.summaryDocBytes / 1e3).toFixed(0)} kB) in one read: ${ms(r.summaryReadSeconds)}`,
    );
    console.log(`storing the summary (as the close does): ${ms(r.storeSeconds)}`);
    console.log(
      `/report text, closed month (${r.closedBytes} bytes): ${ms(r.closedSeconds)} = ${(r.closedSeconds / r.summaryReadSeconds).toFixed(2)}× the summary read, ${(r.closedSeconds / r.floorSeconds).toFixed(2)}× the plain read`,
    );
    console.log(
      `/report text, closed month, the first after someone answered (the answers counted again): ${ms(r.recountSeconds)}`,
    );
    console.log(
      `/report text, open month (${r.openBytes} bytes): ${ms(r.openSeconds)} = ${(r.openSeconds / r.floorSeconds).toFixed(2)}× the plain read`,
    );
    if (r.workbookSeconds !== null)
      console.log(
        `/report workbook (${(r.workbookBytes! / 1e6).toFixed(1)} MB, ${reportStaff + 1} sheets): ${r.workbookSeconds.toFixed(1)} s = ${(r.workbookSeconds / r.floorSeconds).toFixed(0)}× the plain read`,
      );
    console.log(`one person's six-month trend: ${ms(r.trendSeconds)}`);
    const db = r.databaseRss
      ? `; the embedded database's process: ${r.databaseRss.beforeMb.toFixed(0)} MB before, peak ${r.databaseRss.peakMb.toFixed(0)} MB`
      : '';
    console.log(
      `RSS, the bot's process: ${r.rssBeforeMb.toFixed(0)} MB before the report runs, peak ${r.rssReportMb.toFixed(0)} MB during the text runs, ${r.rssPeakMb.toFixed(0)} MB with the workbook${db}`,
    );
  }
}

/** BENCH_ONLY=fanout, and part of a full run. */
async function printFanout(targets: (string | undefined)[], redisUrl: string): Promise<void> {
  const staff = Number(process.env.BENCH_STAFF || 10_000);
  const latencyMs = Number(process.env.BENCH_LATENCY_MS || 50);
  const fanConcurrency = Number(process.env.BENCH_SENDER_CONCURRENCY || 32);
  console.log(
    `\n# Fan-out benchmark: open a month for ${staff} staff, fake WeCom answering after ${latencyMs} ms, sender concurrency ${fanConcurrency}`,
  );
  for (const mongodbUri of targets) {
    const r = await benchFanout({
      staff,
      latencyMs,
      concurrency: fanConcurrency,
      redisUrl,
      mongodbUri,
    });
    console.log(`## database: ${r.database}`);
    console.log(
      `notified ${r.notified}, messages sent ${r.sent}, most to one person ${r.maxPerPerson} (limit 30/min), people who got the opening twice: ${r.twice}`,
    );
    const db = r.databaseRss
      ? `; the embedded database's process: ${r.databaseRss.nowMb.toFixed(0)} MB, peak ${r.databaseRss.peakMb.toFixed(0)} MB`
      : '';
    console.log(
      `outbox database commands while sending: ${r.outboxCommands} = ${(r.outboxCommands / r.sent).toFixed(2)} a message`,
    );
    console.log(
      `RSS of the bot's process (${r.runner === 'tsx' ? 'under tsx' : 'compiled, plain node'}): ${r.rssBeforeMb.toFixed(0)} MB before, peak ${r.rssPeakMb.toFixed(0)} MB (V8 heap in use: peak ${r.heapPeakMb.toFixed(0)} MB of a ${r.heapLimitMb.toFixed(0)} MB limit; by the end of the open ${r.openPeak.rssMb.toFixed(0)} MB RSS, ${r.openPeak.heapMb.toFixed(0)} MB heap)${db}; the fake WeCom's process: peak ${r.fakeRss.peakMb.toFixed(0)} MB`,
    );
    console.log(
      `open (store + enqueue): ${r.enqueueSeconds.toFixed(1)} s; sending: ${r.sendSeconds.toFixed(1)} s; total ${r.totalSeconds.toFixed(1)} s`,
    );
    const dbCpu =
      r.databaseCpuMs === null
        ? ''
        : `; the database ${(r.databaseCpuMs / r.sent).toFixed(2)} ms a message over the open and the sending`;
    console.log(
      `CPU time: the bot ${(r.sendCpuMs / r.sent).toFixed(2)} ms a message while sending${dbCpu}`,
    );
    console.log(
      `theoretical minimum for sending (messages × latency ÷ concurrency): ${r.minimumSeconds.toFixed(1)} s; sending took ${(r.sendSeconds / r.minimumSeconds).toFixed(2)}× that, the whole open ${(r.totalSeconds / r.minimumSeconds).toFixed(2)}×`,
    );
    console.log(
      `measured floor: the same ${r.sent} sends straight to the fake, ${fanConcurrency} in flight, no database: ${r.floorSeconds.toFixed(1)} s = ${(r.floorSeconds / r.minimumSeconds).toFixed(2)}× the minimum; the bot's sending took ${(r.sendSeconds / r.floorSeconds).toFixed(2)}× that`,
    );
  }
}

/** BENCH_ONLY=workbook, and the last part of a full run. */
async function printWorkbook(): Promise<void> {
  const staff = Number(process.env.BENCH_WORKBOOK_STAFF || 10_000);
  console.log(`\n# Workbook benchmark: the monthly workbook of ${staff} people, streamed`);
  // The bot's own RSS with the workbook is the report benchmark's; this is the bench's process.
  console.log(
    `RSS of this bench process (tsx, what the earlier benchmarks left, the synthetic month's ${staff} rows in memory)`,
  );
  const { floor: f, workbook: w } = await benchWorkbook({ staff });
  const rss = (r: typeof f) =>
    `RSS ${r.rssBeforeMb.toFixed(0)} → peak ${r.rssPeakMb.toFixed(0)} → ${r.rssAfterMb.toFixed(0)} MB`;
  console.log(
    `floor (the same values, one plain sheet): ${f.seconds.toFixed(1)} s, ${(f.bytes / 1e6).toFixed(1)} MB; ${rss(f)}`,
  );
  console.log(
    `workbook (${staff + 1} sheets, styled): ${w.seconds.toFixed(1)} s = ${(w.seconds / f.seconds).toFixed(1)}× the floor, ${(w.bytes / 1e6).toFixed(1)} MB; ${rss(w)}`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
