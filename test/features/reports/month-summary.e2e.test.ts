/**
 * A closed month's summary: stored at close, read by /report instead of every
 * form, and stored again when a correction after close changes a result.
 */
import type { MonthKey } from '../../../src/assessment/month';
import { monthReportText } from '../../../src/features/reports/texts';
import { BotHarness, texts } from '../../helpers/bot-harness';
import { recordCommands } from '../../helpers/command-log';

let h: BotHarness;
const fire = async (job: string) => {
  const outcome = await h.kaohe.jobs.fire(job);
  await h.kaohe.settle();
  return outcome;
};
const form = (ten: number, five: number) =>
  Array.from({ length: 11 }, (_, i) => (i === 5 || i === 8 ? five : ten));
const KEY = '2024-05' as MonthKey;

async function selfAssess(user: string, scores: number[]) {
  for (const s of scores) await h.say(user, String(s));
  expect(texts(await h.say(user, '提交'))).toMatch(/^已提交自评/);
}
async function review(employeeNo: string, scores: number[]) {
  await h.say('liuyan', `/review ${employeeNo}`);
  for (const s of scores) await h.say('liuyan', String(s));
  expect(texts(await h.say('liuyan', '/submit'))).toMatch(/^已提交为/);
}
// What /report says when every form is read and every result computed now: the text before summaries.
const liveText = async () => {
  const report = await h.kaohe.reports.month(KEY);
  return monthReportText(report);
};

beforeAll(async () => {
  h = await BotHarness.start({}, { open: false, clock: '2024-05-25T01:00:00Z' });
});
afterAll(async () => {
  await h.stop();
});

describe('a month summary', () => {
  it('is not stored while the month is open: /report computes the open month from its forms', async () => {
    expect(await fire('open')).toBe('opened 2024-05, notified 4');
    await selfAssess('zhangwei', form(8, 4)); // 80
    await selfAssess('lina', form(9, 5)); // 91
    h.clock.set('2024-06-01T01:00:00Z');
    await review('K002', form(8, 4)); // 80
    await review('K001', form(7, 4)); // 71
    const report = texts(await h.say('wangjl', '/report 2024-05'));
    expect(report).toMatch(/^2024年5月考核报表（进行中）/);
    expect(report).toBe(await liveText());
    expect(await h.models.monthSummaries.countDocuments()).toBe(0);
  });

  it('is stored at close with the figures /report shows, and /report reads it', async () => {
    h.clock.set('2024-06-05T01:00:00Z');
    expect(await fire('close')).toBe('closed 2024-05, results to 4');
    h.newFor('wangjl'); // the close's own summary to the manager
    const stored = await h.models.monthSummaries.findOne({ month: KEY }).lean();
    expect(stored).toMatchObject({
      month: KEY,
      people: 4,
      selfDone: 2,
      supervisorDone: 2,
      missingSelf: { count: 2 },
      missingSupervisor: {
        count: 2,
        shown: [
          { person: { name: '陈静', employeeNo: 'K003' } },
          { person: { name: '赵敏', employeeNo: 'L001' } },
        ],
      },
      ranking: { left: 0 },
    });
    expect(stored!.ranking.head.map((e) => [e.place, e.person.employeeNo, e.result.final])).toEqual(
      [
        [1, 'K002', 81.7],
        [2, 'K001', 72.4],
        [null, 'K003', null],
        [null, 'L001', null],
      ],
    );
    expect(stored!.distribution).toEqual([0, 0, 1, 1, 0]);
    expect(stored!.calibration.map((c) => c.name)).toEqual([null, '刘燕']);
    const report = texts(await h.say('wangjl', '/report 2024-05'));
    expect(report).toMatch(/^2024年5月考核报表（已结束）/);
    expect(report).toBe(await liveText());
    // Served from the summary: with the stored figures changed, /report shows the change.
    await h.models.monthSummaries.updateOne({ month: KEY }, { $set: { 'finals.median': 12.3 } });
    expect(texts(await h.say('wangjl', '/report 2024-05'))).toContain('中位数 12.3');
    await h.kaohe.reports.storeSummary(KEY);
  });

  it('keeps the answers beside the summary: a closed month’s /report is one read until someone answers', async () => {
    await h.kaohe.reports.summary(KEY); // counts the answers and keeps them
    const read = await recordCommands(() => h.kaohe.reports.summary(KEY));
    expect(read.commands).toEqual(['month_summaries.findOne']);
    expect(read.result.responses?.counts.get('待确认')).toBe(4);
    // An answer makes the kept counts out of date: the next report counts again.
    await h.say('lina', '确认');
    expect(await h.models.confirmations.countDocuments({ month: KEY, userid: 'lina' })).toBe(1);
    const after = await recordCommands(() => h.kaohe.reports.summary(KEY));
    expect(after.commands.length).toBeGreaterThan(1);
    expect(after.result.responses?.counts.get('已确认')).toBe(1);
    expect(after.result.responses?.counts.get('待确认')).toBe(3);
  });

  it('changes with a correction after close, and /report shows the corrected figure', async () => {
    expect(texts(await h.say('wangjl', '/amend 2024-05 K001 1 10 复核'))).toContain(
      '最终得分 72.4 → 74.9',
    );
    const stored = await h.models.monthSummaries.findOne({ month: KEY }).lean();
    expect(stored!.ranking.head.find((e) => e.person.employeeNo === 'K001')?.result.final).toBe(
      74.9,
    );
    const report = texts(await h.say('wangjl', '/report 2024-05'));
    expect(report).toMatch(/^2\. 张伟 K001 自评80 主管74 奖惩\S+ 最终74\.9$/m);
    expect(report).toBe(await liveText());
  });

  it('a closed month without one (closed before summaries were kept) gets it stored at its first /report', async () => {
    await h.models.monthSummaries.deleteMany({});
    const report = texts(await h.say('wangjl', '/report 2024-05'));
    expect(report).toBe(await liveText());
    expect(await h.models.monthSummaries.countDocuments({ month: KEY })).toBe(1);
  });
});
