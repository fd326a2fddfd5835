import { loadConfig } from '../../config';
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import { AssessmentRepository, type Change } from '../../src/store/repositories/assessments';
import { AuditLog } from '../../src/store/repositories/audit-log';
import { MonthRepository } from '../../src/store/repositories/months';
import { startTestDatabase, type TestDatabase } from '../helpers/database';

const form = loadConfig({}).assessment;
const t0 = new Date('2024-05-25T01:00:00Z');

let db: TestDatabase;
let models: Models;
let audit: AuditLog;
let assessments: AssessmentRepository;
let months: MonthRepository;

beforeAll(async () => {
  db = await startTestDatabase();
  models = createModels(db.connection);
  await ensureIndexes(models);
  audit = new AuditLog(models);
  assessments = new AssessmentRepository(models, audit);
  months = new MonthRepository(models, audit);
});
afterAll(async () => {
  await db.stop();
});

const change = (over: Partial<Change> = {}): Change => ({
  month: '2024-05',
  userid: 'zhangwei',
  role: 'self',
  actor: 'zhangwei',
  now: t0,
  ...over,
});

describe('months', () => {
  it('opens once, keeping the form it was opened with', async () => {
    const first = await months.openMonth('2024-05', form, 'cron', t0);
    expect(first.created).toBe(true);
    expect(first.month).toMatchObject({ key: '2024-05', status: 'open', openedBy: 'cron' });
    const changedForm = { ...form, weights: { self: 0.5, supervisor: 0.5 } };
    const again = await months.openMonth(
      '2024-05',
      changedForm,
      'wangjl',
      new Date(t0.getTime() + 1000),
    );
    expect(again.created).toBe(false);
    expect(again.month.form.weights).toEqual({ self: 0.15, supervisor: 0.85 });
    expect(again.month.openedBy).toBe('cron');
    expect(await models.months.countDocuments({ key: '2024-05' })).toBe(1);
  });

  it('closes once', async () => {
    await months.openMonth('2024-04', form, 'cron', t0);
    expect(await months.closeMonth('2024-04', 'wangjl', t0)).toBe(true);
    expect(await months.closeMonth('2024-04', 'wangjl', t0)).toBe(false);
    expect(await months.closeMonth('2030-01', 'wangjl', t0)).toBe(false);
    expect((await months.get('2024-04'))?.status).toBe('closed');
    const trail = await audit.history('month', '2024-04');
    expect(trail.map((e) => e.action)).toEqual(['month.open', 'month.close']);
  });
});

describe('assessments', () => {
  it('is one document per person and month, however often it is ensured', async () => {
    await Promise.all([1, 2, 3].map(() => assessments.ensure('2024-05', 'zhangwei', 'liuyan', t0)));
    expect(await models.assessments.countDocuments({ month: '2024-05', userid: 'zhangwei' })).toBe(
      1,
    );
    await expect(
      models.assessments.create({ month: '2024-05', userid: 'zhangwei', createdAt: t0 }),
    ).rejects.toMatchObject({ code: 11000 });
  });

  it('stores a page of new forms as the model would, and gives them back as the model does', async () => {
    // ensureMany inserts lean; the reference is created through the model, defaults applied.
    await models.assessments.create({
      month: '2024-03',
      userid: 'reference',
      supervisorUserid: 'liuyan',
      createdAt: t0,
    });
    const [made] = await assessments.ensureMany(
      '2024-03',
      [{ userid: 'zhangwei', supervisorUserid: 'liuyan' }],
      t0,
    );
    const raw = db.connection.db!.collection('assessments');
    const { _id: a, ...reference } = (await raw.findOne({ userid: 'reference' }))!;
    const { _id: b, ...stored } = (await raw.findOne({ month: '2024-03', userid: 'zhangwei' }))!;
    expect([a, b]).toEqual([expect.anything(), expect.anything()]);
    expect(stored).toEqual({ ...reference, userid: 'zhangwei' });
    const { _id, ...model } = (await models.assessments.findOne({
      month: '2024-03',
      userid: 'zhangwei',
    }))!.toObject();
    expect({ ...made, _id: undefined }).toEqual({ ...model, _id: undefined });
    expect(made!.self.scores).toBeInstanceOf(Map);
    void _id;
  });

  it('keeps a draft score by score, and audits real changes only', async () => {
    await assessments.ensure('2024-05', 'lina', 'liuyan', t0);
    const c = change({ userid: 'lina', actor: 'lina' });
    expect((await assessments.setScore(c, 1, 8))?.changed).toBe(true);
    expect((await assessments.setScore(c, 1, 8))?.changed).toBe(false); // a retried callback
    expect((await assessments.setScore(c, 1, 9))?.changed).toBe(true);
    await assessments.setRemark(c, 1, '服务热情');
    const doc = await assessments.get('2024-05', 'lina');
    expect(doc?.self.scores.get('1')).toBe(9);
    expect(doc?.self.remarks.get('1')).toBe('服务热情');
    expect(doc?.self.status).toBe('draft');
    expect(doc?.supervisor.scores.size).toBe(0);
    const trail = await audit.history('assessment', '2024-05:lina');
    expect(trail.map((e) => [e.action, e.before, e.after])).toEqual([
      ['self.score', { 'self.scores.1': null }, { 'self.scores.1': 8 }],
      ['self.score', { 'self.scores.1': 8 }, { 'self.scores.1': 9 }],
      ['self.remark', { 'self.remarks.1': null }, { 'self.remarks.1': '服务热情' }],
    ]);
  });

  it('refuses to change a submitted form until it is reopened', async () => {
    await assessments.ensure('2024-05', 'chenjing', 'liuyan', t0);
    const c = change({ userid: 'chenjing', actor: 'chenjing' });
    await assessments.setScore(c, 1, 7);
    expect((await assessments.submit(c))?.changed).toBe(true);
    expect((await assessments.submit(c))?.changed).toBe(false);
    expect(await assessments.setScore(c, 1, 2)).toBeNull();
    expect((await assessments.get('2024-05', 'chenjing'))?.self.scores.get('1')).toBe(7);
    expect((await assessments.reopen(c))?.doc.self.status).toBe('draft');
    expect((await assessments.setScore(c, 1, 6))?.doc.self.scores.get('1')).toBe(6);
  });

  it('keeps the self and supervisor forms independent', async () => {
    await assessments.ensure('2024-05', 'zhaomin', 'liuyan', t0);
    await assessments.setScore(
      change({ userid: 'zhaomin', role: 'supervisor', actor: 'liuyan' }),
      3,
      10,
    );
    await assessments.submit(change({ userid: 'zhaomin', role: 'supervisor', actor: 'liuyan' }));
    const doc = await assessments.get('2024-05', 'zhaomin');
    expect(doc?.supervisor).toMatchObject({ status: 'submitted', authorUserid: 'liuyan' });
    expect(doc?.self.status).toBe('draft');
    expect(doc?.self.scores.size).toBe(0);
  });
});
