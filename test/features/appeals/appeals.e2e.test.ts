/**
 * Results people can read, confirm and appeal, through encrypted callbacks on
 * the fake WeCom: a month closed by the manager, a notice with 确认 / 申诉,
 * appeals corrected, upheld, on a line-12 record, one silent past the window,
 * and /report counting them with the supervisors' calibration.
 */
import ExcelJS from 'exceljs';
import { BotHarness, lastCard, texts } from '../../helpers/bot-harness';

let h: BotHarness;
const at = (iso: string) => h.clock.set(iso);
const fire = async (job: string) => {
  const outcome = await h.kaohe.jobs.fire(job);
  await h.kaohe.settle();
  return outcome;
};
const form = (ten: number, five: number) =>
  Array.from({ length: 11 }, (_, i) => (i === 5 || i === 8 ? five : ten));
const codeIn = (t: string) => /编号 (A[0-9A-F]{5})/.exec(t)?.[1] ?? '';

async function selfAssess(user: string, scores: number[], submit = true) {
  for (const s of scores) await h.say(user, String(s));
  if (submit) expect(texts(await h.say(user, '提交'))).toMatch(/^已提交自评/);
}
async function review(supervisor: string, employeeNo: string, scores: number[]) {
  await h.say(supervisor, `/review ${employeeNo}`);
  for (const s of scores) await h.say(supervisor, String(s));
  expect(texts(await h.say(supervisor, '/submit'))).toMatch(/^已提交为/);
}

beforeAll(async () => {
  h = await BotHarness.start({}, { open: false, clock: '2024-05-25T01:00:00Z' });
  // A second supervisor, 周强, scores 陈静, and scores everyone full marks: a lenient scorer.
  const now = h.clock.now();
  await h.models.people.create({
    ...{ userid: 'zhouqiang', name: '周强', employeeNo: 'S002', roles: ['supervisor'] },
    ...{
      supervisorUserid: 'wangjl',
      platform: 'wecom',
      active: true,
      joinedAt: now,
      updatedAt: now,
    },
  });
  await h.models.people.updateOne(
    { userid: 'chenjing' },
    { $set: { supervisorUserid: 'zhouqiang' } },
  );
});
afterAll(async () => {
  await h.stop();
});

describe('a month, closed by the manager', () => {
  it('opens; staff assess themselves; 赵敏 leaves a draft of 8/11 and is told the deadline and the cost', async () => {
    expect(await fire('open')).toBe('opened 2024-05, notified 4');
    await selfAssess('zhangwei', form(8, 4)); // 80
    await selfAssess('lina', form(9, 5)); // 91
    await selfAssess('chenjing', form(8, 4)); // 80
    await selfAssess('zhaomin', form(8, 4).slice(0, 8), false);
    at('2024-05-28T01:00:00Z');
    expect(await fire('remind-staff')).toBe('reminded 1 staff');
    expect(texts(h.newFor('zhaomin')).split('\n').at(-1)).toBe(
      '提醒：2024年5月自评还没有提交，已评 8/11 项，请发送 /self 完成。6月5日 09:00 前未提交，自评按 0 分计。',
    );
  });

  it('supervisors score; a complaint about 赵敏 is recorded', async () => {
    at('2024-06-01T01:00:00Z');
    await review('liuyan', 'K001', form(7, 4)); // 71
    await review('liuyan', 'K002', form(8, 4)); // 80
    await review('liuyan', 'L001', form(6, 3)); // 60
    await review('zhouqiang', 'K003', form(10, 5)); // 100
    expect(texts(await h.say('liuyan', '/log L001 -3 投诉 业主投诉回复不及时'))).toMatch(/^已记录/);
  });

  it('/close by the manager with people missing lists them and asks; nothing closes until confirmed', async () => {
    at('2024-06-05T01:00:00Z');
    expect(texts(await h.say('wangjl', '/close 2024-05'))).toBe(
      [
        '2024年5月还有人未完成：',
        '未提交自评 1 人：赵敏（L001）（结束后自评按 0 分计）',
        '确认现在结束，请回复 /close 2024-05 确认；也可以先发送 /remind 2024-05 提醒。',
      ].join('\n'),
    );
    expect((await h.kaohe.months.get('2024-05'))?.status).toBe('open');
    expect(h.newFor('zhangwei')).toEqual([]);
    expect(texts(await h.say('wangjl', '/close 2024-05 确认'))).toContain(
      '已结束2024年5月考核，已向 4 人发送结果',
    );
    expect((await h.kaohe.months.get('2024-05'))?.status).toBe('closed');
  });

  it('sends each person a notice they can read, with 确认 / 申诉 buttons', async () => {
    const seen = h.newFor('zhangwei');
    const notice = texts(seen);
    expect(notice).toContain('1 文明用语 自评 8 / 主管 7 / 10');
    expect(notice).toContain('6 对待批评 自评 4 / 主管 4 / 5');
    expect(notice).toContain('最终得分：0.15×80 + 0.85×71 + 0 = 72.4 分');
    const card = lastCard(seen);
    expect(card.title).toBe('2024年5月考核结果：72.4 分');
    expect(card.description).toBe('请在 6月8日 09:00 前确认或申诉，逾期视为确认。');
    expect(card.buttons).toEqual(['确认', '申诉']);
    const zhaomin = texts(h.newFor('zhaomin'));
    expect(zhaomin).toContain('自评：未提交（草稿已评 8/11 项，未提交的自评不计分），按 0 分计。');
    expect(zhaomin).toMatch(/12 其他奖惩分 -3\n· 投诉 -3：业主投诉回复不及时（编号 [0-9A-F]{6}）/);
    expect(zhaomin).toContain('最终得分：0.15×0 + 0.85×60 − 3 = 48 分');
  });

  it('shows the calibration in /report, flagging the lenient supervisor', async () => {
    const report = texts(await h.say('wangjl', '/report 2024-05')).split('\n');
    const from = report.indexOf('校准（主管评分合计）：');
    expect(report.slice(from, from + 4)).toEqual([
      '校准（主管评分合计）：',
      '全部门：4 人，平均 77.8，标准差 14.7',
      '周强：1 人，平均 100，标准差 0，⚠ 比部门平均高 22.3 分，需校准',
      '刘燕：3 人，平均 70.3，标准差 8.2',
    ]);
    expect(report).toContain('结果确认：已确认 0，申诉中 0，已更正 0，维持 0，待确认 4');
  });
});

describe('appeals', () => {
  let first = '';
  it('张伟 taps 申诉 and gives item 3 and a reason; his supervisor and the manager are told at once', async () => {
    const card = lastCard(h.allFor('zhangwei'));
    expect(texts(await h.press('zhangwei', card.taskId, '申诉'))).toContain('请回复申诉理由');
    const receipt = texts(await h.say('zhangwei', '3 与同事配合完成了全部指定任务'));
    expect(receipt).toMatch(
      /^已收到你对2024年5月考核第 3 项（同事配合）的申诉，编号 A[0-9A-F]{5}。/,
    );
    first = codeIn(receipt);
    const toSupervisor = texts(h.newFor('liuyan'));
    expect(toSupervisor).toContain(
      `申诉 ${first}：张伟（K001）对2024年5月考核第 3 项（同事配合）提出申诉。理由：与同事配合完成了全部指定任务`,
    );
    expect(toSupervisor).toContain(`/forward ${first} 理由`);
    expect(texts(h.newFor('wangjl'))).toContain(`/uphold ${first} 理由 维持原评分`);
    expect(texts(await h.say('liuyan', '/appeals'))).toContain(`${first} 张伟（K001）`);
  });

  it('the supervisor corrects: 张伟 is told the new final, the report shows 已更正, the audit trail keeps it', async () => {
    expect(texts(await h.say('zhangwei', '/result 2024-05'))).toContain('状态：申诉中');
    expect(texts(await h.say('liuyan', `/correct ${first} 9 复核后属实`))).toBe(
      `已处理申诉 ${first}：更正了第 3 项：7 → 9 分，最终得分 72.4 → 74.1。已通知本人。`,
    );
    expect(texts(h.newFor('zhangwei'))).toBe(
      '你的2024年5月考核结果已更正：第 3 项主管评分 7 → 9 分。理由：复核后属实。最终得分：72.4 → 74.1。',
    );
    expect(texts(h.newFor('wangjl'))).toContain(`申诉 ${first}（张伟（K001））已由刘燕处理`);
    const report = texts(await h.say('wangjl', '/report 2024-05'));
    expect(report).toContain('张伟 K001 自评80 主管73 奖惩0 最终74.1');
    expect(report).toContain('已更正 1');
    const trail = await h.models.audit.find({ entityId: first }).sort({ at: 1 }).lean();
    expect(trail.map((a) => a.action)).toEqual(['appeal.create', 'appeal.correct']);
    expect(trail[1]).toMatchObject({
      actor: 'liuyan',
      reason: '复核后属实',
      before: { status: ['open'], result: { final: 72.4 } },
      after: { status: 'corrected', result: { final: 74.1 } },
    });
    const amend = await h.models.audit.findOne({ action: 'supervisor.amend' }).lean();
    expect(amend).toMatchObject({
      entityId: '2024-05:zhangwei',
      before: { 'supervisor.scores.3': 7 },
      after: { 'supervisor.scores.3': 9 },
      reason: '复核后属实',
    });
  });

  it('李娜 appeals the whole form by typing; the supervisor passes it on; the manager keeps the scores', async () => {
    h.newFor('lina'); // her result notice was read
    expect(texts(await h.say('lina', '申诉'))).toMatch(/^请写明申诉理由。/);
    const receipt = texts(await h.say('lina', '申诉 我觉得整体评分偏低'));
    const code = codeIn(receipt);
    expect(receipt).toContain('整张表的申诉');
    expect(texts(await h.say('lina', '确认'))).toBe(
      `你的申诉（编号 ${code}）正在处理中，处理完会通知你。`,
    );
    h.newFor('liuyan');
    expect(texts(await h.say('liuyan', `/uphold ${code} 有据`))).toBe(
      '“/uphold”仅限管理处经理使用。',
    );
    expect(texts(await h.say('liuyan', `/forward ${code} 已按标准评分`))).toBe(
      `已答复申诉 ${code} 并转经理，已通知本人。`,
    );
    expect(texts(h.newFor('lina'))).toContain('主管已答复你的申诉');
    expect(texts(await h.say('liuyan', `/correct ${code} 3 9 改一下`))).toBe(
      `申诉 ${code} 已转经理处理。`,
    );
    expect(texts(h.newFor('wangjl'))).toContain(
      `刘燕已答复李娜（K002）的申诉 ${code} 并转经理：已按标准评分`,
    );
    expect(texts(await h.say('wangjl', `/uphold ${code}`))).toBe('请写明理由。');
    expect(texts(await h.say('wangjl', `维持 ${code} 评分有记录为据`))).toBe(
      `已维持申诉 ${code} 的原评分，已通知本人。`,
    );
    expect(texts(h.newFor('lina'))).toContain(
      `经理维持你2024年5月考核的原评分（申诉编号 ${code}）。理由：评分有记录为据。最终得分 81.7 分。`,
    );
    expect((await h.kaohe.assessments.get('2024-05', 'lina'))?.result?.final).toBe(81.7);
  });

  it('赵敏 appeals her line-12 record; the manager upholds it: the record is voided after close and the final recomputed', async () => {
    const receipt = texts(await h.say('zhaomin', '申诉 12 投诉不属实，业主已撤回'));
    const code = codeIn(receipt);
    expect(receipt).toMatch(/第 12 项记录 [0-9A-F]{6}的申诉/);
    const record = (await h.models.records.findOne({ userid: 'zhaomin' }).lean())!;
    expect(texts(h.newFor('wangjl'))).toContain(`/correct ${code} 理由 撤销该记录`);
    h.newFor('liuyan');
    expect(texts(await h.say('wangjl', `/correct ${code} 业主已撤回投诉`))).toBe(
      `已处理申诉 ${code}：撤销了记录 ${record.code}，最终得分 48 → 51。已通知本人。`,
    );
    expect(texts(h.newFor('zhaomin'))).toContain(
      `你的2024年5月考核结果已更正：第 12 项记录 ${record.code} 已撤销，不再计分。理由：业主已撤回投诉。最终得分：48 → 51。`,
    );
    expect((await h.models.records.findOne({ code: record.code }).lean())?.voided).toMatchObject({
      by: 'wangjl',
      reason: '业主已撤回投诉',
    });
    const result = texts(await h.say('zhaomin', '/result'));
    expect(result).toContain('12 其他奖惩分 0');
    expect(result).toContain('最终得分：0.15×0 + 0.85×60 + 0 = 51 分');
  });

  let open = '';
  it('an appeal left open is reminded: the supervisor after one working day, the manager after two', async () => {
    open = codeIn(texts(await h.say('zhangwei', '申诉 5 着装一直整齐')));
    h.newFor('liuyan');
    h.newFor('wangjl');
    at('2024-06-06T02:00:00Z'); // Thursday
    expect(await fire('appeals')).toBe('silently confirmed 0, reminded 1');
    expect(texts(h.newFor('liuyan'))).toBe(
      [
        '提醒：有 1 条申诉等待处理：',
        `${open} 张伟（K001） 2024年5月 第 5 项（公司形象）：着装一直整齐（主管处理中）`,
        '请 /correct 或 /forward 处理。',
      ].join('\n'),
    );
    expect(h.newFor('wangjl')).toEqual([]);
    at('2024-06-07T02:00:00Z'); // Friday
    expect(await fire('appeals')).toBe('silently confirmed 0, reminded 1');
    expect(texts(h.newFor('wangjl'))).toMatch(/^提醒：有 1 条申诉等待处理：/);
    expect(h.newFor('liuyan')).toEqual([]);
  });

  it('/report counts the unanswered as confirmed from the window’s end, though nobody answered since', async () => {
    at('2024-06-08T00:58:00Z'); // 08:58 in Shanghai: the window ends at 09:00
    expect(texts(await h.say('wangjl', '/report 2024-05'))).toContain('，待确认 1');
    at('2024-06-08T01:01:00Z'); // 09:01
    expect(texts(await h.say('wangjl', '/report 2024-05'))).toContain('，待确认 0');
  });

  it('silence past the window counts as confirmed; an appeal after it gets a clear reply and changes nothing', async () => {
    at('2024-06-08T02:00:00Z');
    expect(await fire('appeals')).toBe('silently confirmed 1, reminded 0');
    expect(await h.models.confirmations.findOne({ userid: 'chenjing' }).lean()).toMatchObject({
      how: 'silent',
    });
    expect(texts(await h.say('zhangwei', '申诉 5 着装一直整齐'))).toBe(
      '2024年5月考核结果的申诉期已于 6月8日 09:00 结束，结果不再更改。如有疑问，请联系管理处经理。',
    );
    expect(await h.models.appeals.countDocuments()).toBe(4);
    const report = texts(await h.say('wangjl', '/report 2024-05'));
    expect(report).toContain('结果确认：已确认 1，申诉中 1，已更正 1，维持 1，待确认 0');
    expect(report).toContain(`未结申诉：\n${open} 张伟（K001） 2024年5月 第 5 项（公司形象）`);
    // An appeal made in time is still decided after the window.
    expect(texts(await h.say('wangjl', `/uphold ${open} 当月着装检查两次不合格`))).toBe(
      `已维持申诉 ${open} 的原评分，已通知本人。`,
    );
    expect(texts(await h.say('wangjl', '/report 2024-05'))).toContain(
      '结果确认：已确认 1，申诉中 0，已更正 2，维持 1，待确认 0',
    );
    // The workbook marks them, with the corrected finals.
    const upload = h.fake.uploads.filter((u) => u.fileName === '考核报表-2024-05.xlsx').at(-1)!;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(upload.data as unknown as ArrayBuffer);
    const marks = new Map<string, unknown[]>();
    workbook.getWorksheet('汇总')!.eachRow((row) => {
      marks.set(String(row.getCell(3).value), [row.getCell(7).value, row.getCell(8).value]);
    });
    expect(marks.get('K001')).toEqual([74.1, '已更正']);
    expect(marks.get('K002')).toEqual([81.7, '维持']);
    expect(marks.get('L001')).toEqual([51, '未自评、已更正']);
    expect(marks.get('K003')).toEqual([97, '自评与主管相差20分']); // confirmed: no mark
  });
});

describe('/result', () => {
  it('staff read last month’s result, and cannot read anyone else’s', async () => {
    expect(texts(h.newFor('zhangwei'))).toContain('经理维持你2024年5月考核的原评分');
    const mine = texts(await h.say('zhangwei', '/result 2024-05'));
    expect(mine).toMatch(/^2024年5月考核结果\n1 文明用语 自评 8 \/ 主管 7 \/ 10/);
    expect(mine).toContain('3 同事配合 自评 8 / 主管 9 / 10');
    expect(mine).toContain('= 74.1 分\n状态：已更正');
    expect(texts(await h.say('zhangwei', '结果 2024-05 K002'))).toBe('你只能查看自己的考核结果。');
    expect(texts(await h.say('chenjing', '/result'))).toContain('状态：已确认');
    h.newFor('liuyan');
    expect(texts(await h.say('liuyan', '/result 2024-05 K002'))).toContain('= 81.7 分\n状态：维持');
    expect(texts(await h.say('liuyan', '/result 2024-05 K003'))).toBe('你只能查看自己的考核结果。');
    expect(texts(await h.say('wangjl', '/result 2024-05 K003'))).toContain('= 97 分');
    expect(texts(await h.say('zhangwei', '/result 2024-04'))).toBe('2024年4月没有考核。');
  });

  it('/help lists the new commands per role', async () => {
    const staff = texts(await h.say('zhangwei', '/help'));
    expect(staff).toContain('/result [2024-05]（结果）');
    expect(staff).toContain('申诉 [项号] 理由');
    expect(staff).not.toContain('/uphold');
    const supervisor = texts(await h.say('liuyan', '/help'));
    expect(supervisor).toContain('/forward 编号 理由（转经理）');
    expect(supervisor).not.toContain('/uphold');
    expect(texts(await h.say('wangjl', '/help'))).toContain('/uphold 编号 理由（维持）');
  });
});
