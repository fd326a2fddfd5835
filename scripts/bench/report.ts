/**
 * Report benchmark: `/report` for a month of 10,000 people with 12 months of
 * history in the database, measured in the same run next to its floors: the
 * closed month next to one read of its stored summary, the open month next to
 * one plain query of that month's assessments. The month is seeded by one
 * process, the embedded database runs in another and the bot in a third
 * (`report-bot.ts`), so the RSS printed is the bot's own, and the database's
 * is printed beside it.
 */
import mongoose from 'mongoose';
import { performance } from 'node:perf_hooks';
import { runBotProcess } from './bot-process';
import { startEmbeddedChild } from './embedded-child';
import type { ReportBotOptions, ReportBotResult } from './report-bot';
import { seedInChild } from './report-seed';

/** Seeds `staff` people × `months` closed months, then times the report of the last month. */
export async function benchReport(options: { staff: number; months: number; mongodbUri?: string }) {
  const dbName = `kaohe_report_${Date.now()}`;
  const embedded = options.mongodbUri ? null : await startEmbeddedChild();
  const uri = options.mongodbUri ?? embedded!.uri;
  const seedStart = performance.now();
  await seedInChild(uri, dbName, options.staff, options.months);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const botOptions: ReportBotOptions = {
    uri,
    dbName,
    databasePid: embedded?.pid ?? null,
    workbook: process.env.BENCH_REPORT_WORKBOOK !== '0',
  };
  const bot = await runBotProcess<ReportBotResult>('report-bot', botOptions);

  const connection = await mongoose.createConnection(uri, { dbName }).asPromise();
  await connection.dropDatabase();
  await connection.close();
  await embedded?.stop();
  return { ...bot, database: options.mongodbUri ? 'MongoDB' : 'embedded', seedSeconds };
}
