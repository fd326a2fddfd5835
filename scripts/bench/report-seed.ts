/**
 * The report benchmark's data — `staff` people and `months` closed months of
 * their assessments — stored by a process of its own (forked by
 * `seedInChild`), so the memory it takes to build 120,000 documents is never
 * counted as the bot's.
 */
import { fork } from 'node:child_process';
import mongoose from 'mongoose';
import { loadConfig } from '../../config';
import { addMonths, type MonthKey } from '../../src/assessment/month';
import { createModels, ensureIndexes } from '../../src/store/models';
import { helperEnv } from './rss';

/** The month the report benchmark reports; the months before it are its history. */
export const LAST: MonthKey = '2024-12' as MonthKey;
// Open appeals a seeded month holds.
const APPEALS = 5;

/** Forks this file to seed database `dbName` at `uri`, and waits until it has finished. */
export function seedInChild(uri: string, dbName: string, staff: number, months: number) {
  const child = fork(__filename, ['--seed', JSON.stringify({ uri, dbName, staff, months })], {
    execArgv: ['--import', 'tsx'],
    env: helperEnv(),
  });
  return new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`report seeding exited with ${code}`)),
    );
  });
}

async function seed(uri: string, dbName: string, staff: number, months: number): Promise<void> {
  const form = loadConfig({}).assessment;
  const connection = await mongoose.createConnection(uri, { dbName }).asPromise();
  const models = createModels(connection);
  await ensureIndexes(models);
  const at = new Date('2024-01-01T00:00:00Z');
  await models.people.insertMany(
    Array.from({ length: staff }, (_, i) => ({
      userid: `u${i}`,
      name: `员工${i}`,
      employeeNo: `K${String(i).padStart(5, '0')}`,
      roles: ['staff'],
      supervisorUserid: 'sup',
      platform: 'wecom',
      active: true,
      joinedAt: at,
      updatedAt: at,
    })),
  );
  for (let m = 0; m < months; m += 1) {
    const key = addMonths(LAST, m - months + 1);
    await models.months.create({
      key,
      status: 'closed',
      form,
      openedAt: at,
      openedBy: 'bench',
      closedAt: at,
      closedBy: 'bench',
    });
    const docs = Array.from({ length: staff }, (_, i) => {
      const scores = new Map(
        form.criteria.map((c) => [String(c.no), Math.max(0, c.max - ((i + c.no + m) % 4))]),
      );
      const part = (status: string) => ({
        scores,
        remarks: new Map(),
        remark: null,
        status,
        authorUserid: null,
        submittedAt: at,
        updatedAt: at,
      });
      const total = [...scores.values()].reduce((a, b) => a + b, 0);
      const final = Math.round((0.15 * total + 0.85 * total) * 10) / 10;
      return {
        month: key,
        userid: `u${i}`,
        supervisorUserid: 'sup',
        createdAt: at,
        self: part(i % 10 === 0 ? 'draft' : 'submitted'),
        supervisor: part('submitted'),
        result: {
          selfCounted: total,
          supervisorTotal: total,
          adjustmentTotal: 0,
          final,
          missingSelf: i % 10 === 0,
          missingSupervisor: false,
          computedAt: at,
        },
      };
    });
    for (let i = 0; i < docs.length; i += 2000)
      await models.assessments.insertMany(docs.slice(i, i + 2000));
    // As a closed month's results stand once its window ended: nine in ten confirmed (by 确认
    // or by silence), and a few appeals still open, which /report counts and lists.
    const confirmations = docs
      .filter((_, i) => i % 10 !== 1)
      .map((d, i) => ({ month: key, userid: d.userid, how: i % 3 ? 'silent' : 'confirmed', at }));
    for (let i = 0; i < confirmations.length; i += 2000)
      await models.confirmations.insertMany(confirmations.slice(i, i + 2000));
    await models.appeals.insertMany(
      Array.from({ length: APPEALS }, (_, n) => ({
        code: `A${String(m).padStart(2, '0')}${String(n).padStart(3, '0')}`,
        month: key,
        userid: `u${10 * n + 1}`,
        supervisorUserid: 'sup',
        target: { kind: 'form' },
        reason: '整体评分偏低',
        status: 'open',
        steps: [],
        createdAt: at,
        updatedAt: at,
        requestKey: `bench:${key}:${n}`,
      })),
    );
  }
  await connection.close();
}

const seedArg = process.argv.indexOf('--seed');
if (seedArg >= 0) {
  const { uri, dbName, staff, months } = JSON.parse(process.argv[seedArg + 1]!);
  seed(uri, dbName, staff, months).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
