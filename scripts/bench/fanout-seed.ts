/**
 * The fan-out benchmark's roster — a manager, a supervisor and `staff` people
 * — stored by a process of its own (forked by `seedRosterInChild`), so the
 * memory it takes to build and insert 10,000 documents is never counted as
 * the bot's.
 */
import { fork } from 'node:child_process';
import mongoose from 'mongoose';
import { createModels, ensureIndexes } from '../../src/store/models';
import { helperEnv } from './rss';

/** Forks this file to seed database `dbName` at `uri`, and waits until it has finished. */
export function seedRosterInChild(uri: string, dbName: string, staff: number): Promise<void> {
  const child = fork(__filename, ['--seed', JSON.stringify({ uri, dbName, staff })], {
    execArgv: ['--import', 'tsx'],
    env: helperEnv(),
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`fan-out seeding exited with ${code}`)),
    );
  });
}

async function seed(uri: string, dbName: string, staff: number): Promise<void> {
  const connection = await mongoose.createConnection(uri, { dbName }).asPromise();
  const models = createModels(connection);
  await ensureIndexes(models);
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
    ...Array.from({ length: staff }, (_, i) =>
      person(`u${i}`, `K${String(i).padStart(5, '0')}`, ['staff'], 'sup'),
    ),
  ]);
  await connection.close();
}

const seedArg = process.argv.indexOf('--seed');
if (seedArg >= 0) {
  const { uri, dbName, staff } = JSON.parse(process.argv[seedArg + 1]!);
  seed(uri, dbName, staff).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
