import { loadConfig } from '../../config';
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import { AuditLog } from '../../src/store/repositories/audit-log';
import { MonthRepository } from '../../src/store/repositories/months';
import { startTestDatabase, type TestDatabase } from '../helpers/database';

const form = loadConfig({}).assessment;
const t0 = new Date('2024-05-25T01:00:00Z');

let db: TestDatabase;
let models: Models;

beforeAll(async () => {
  db = await startTestDatabase();
  models = createModels(db.connection);
});
afterAll(async () => {
  await db.stop();
});

describe('a database from before departments', () => {
  it('gives old months and summaries 客服部 and lets a second department open the same month', async () => {
    // As the version before departments left it: unique by month alone, no department field.
    const months = db.connection.collection('months');
    const summaries = db.connection.collection('month_summaries');
    await months.createIndex({ key: 1 }, { unique: true, name: 'key_1' });
    await summaries.createIndex({ month: 1 }, { unique: true, name: 'month_1' });
    const old = { status: 'closed', form, openedAt: t0, openedBy: 'wangjl' };
    await months.insertOne({ key: '2024-04', ...old, closedAt: t0, closedBy: 'wangjl' });
    await months.insertOne({
      key: '2024-05',
      ...old,
      status: 'open',
      closedAt: null,
      closedBy: null,
    });
    await summaries.insertOne({ month: '2024-04', people: 3 });

    await ensureIndexes(models);
    await ensureIndexes(models); // at every start: the second changes nothing

    const repo = new MonthRepository(models, new AuditLog(models));
    expect((await repo.get('2024-04'))?.status).toBe('closed');
    expect((await repo.current())?.key).toBe('2024-05');
    expect(await summaries.findOne({ month: '2024-04' })).toMatchObject({ department: '客服部' });
    const names = (await months.indexes()).map((i) => i.name);
    expect(names).not.toContain('key_1');

    const { created } = await repo.openMonth('2024-05', form, 'sunhao', t0, '秩序部');
    expect(created).toBe(true);
    expect((await repo.allOf('2024-05')).map((m) => m.department)).toEqual(['客服部', '秩序部']);
    // The new unique index still refuses a department's month twice, with MongoDB's code.
    await expect(
      months.insertOne({ key: '2024-05', department: '秩序部', ...old }),
    ).rejects.toMatchObject({ code: 11000 });
  });
});
