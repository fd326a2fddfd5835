import ExcelJS from 'exceljs';
import type { MonthKey } from '../../../src/assessment/month';
import { summaryCsv } from '../../../src/reports/workbook';
import type { FakeUpload } from '../../fakes/fake-wecom';
import { BotHarness, lastCard, texts } from '../../helpers/bot-harness';

/** A whole month on an injected clock: nobody waits, every message is checked. */
let h: BotHarness;
beforeAll(async () => {
  h = await BotHarness.start({}, { open: false, clock: '2024-05-25T01:00:00Z' }); // 25 May 09:00 Shanghai
});
afterAll(async () => {
  await h.stop();
});

const at = (iso: string) => h.clock.set(iso);
const fire = async (job: string) => {
  const outcome = await h.kaohe.jobs.fire(job);
  await h.kaohe.settle();
  return outcome;
};
const STAFF = ['chenjing', 'lina', 'zhangwei', 'zhaomin'];
const tenOrFive = (no: number, ten: number, five: number) => (no === 6 || no === 9 ? five : ten);

describe('a month that runs itself', () => {
  it('opens on the 25th and sends every active staff member their first card', async () => {
    expect(await fire('open')).toBe('opened 2024-05, notified 4');
    for (const user of STAFF) {
      const seen = h.newFor(user);
      expect(seen).toHaveLength(1);
      expect(lastCard(seen).title).toMatch(/^1\/11 /);
      expect(lastCard(seen).description).toMatch(
        /^.{2}，2024年5月考核开始了，请完成自评。\n2024年5月自评 · 满分 10 分/,
      );
    }
    expect(h.newFor('liuyan')).toEqual([]);
    expect(h.newFor('wangjl')).toEqual([]);
    // Opening again (a second run, a restart) sends nothing new.
    expect(await fire('open')).toBe('opened 2024-05, notified 0');
    expect(STAFF.flatMap((u) => h.newFor(u))).toEqual([]);
  });

  it('staff answer: 张伟 by tapping the card he got, 李娜 by typing numbers straight away', async () => {
    let card = lastCard(h.allFor('zhangwei'));
    for (let no = 1; no <= 11; no += 1) {
      const seen = await h.tap('zhangwei', card.taskId, String(tenOrFive(no, 8, 4)));
      if (no < 11) card = lastCard(seen);
    }
    expect(texts(await h.say('zhangwei', '/submit'))).toBe('已提交自评，合计 80 分。谢谢！');
    for (let no = 1; no <= 11; no += 1) await h.say('lina', String(tenOrFive(no, 9, 5)));
    expect(texts(await h.say('lina', '提交'))).toBe('已提交自评，合计 91 分。谢谢！');
    await h.say('zhaomin', '7'); // a draft that will never be submitted
  });

  it('reminds on the 28th only those behind', async () => {
    at('2024-05-28T01:00:00Z');
    expect(await fire('remind-staff')).toBe('reminded 2 staff');
    expect(texts(h.newFor('chenjing'))).toBe(
      '提醒：2024年5月自评还没有提交，请发送 /self 完成。6月5日 09:00 前未提交，自评按 0 分计。',
    );
    expect(texts(h.newFor('zhaomin'))).toBe(
      '提醒：2024年5月自评还没有提交，已评 1/11 项，请发送 /self 完成。6月5日 09:00 前未提交，自评按 0 分计。',
    );
    expect(h.newFor('lina')).toEqual([]);
    expect(h.newFor('zhangwei')).toEqual([]);
  });

  it('asks supervisors on the 1st, with the names', async () => {
    at('2024-06-01T01:00:00Z');
    expect(await fire('ask-supervisors')).toBe('asked 1 supervisors');
    expect(texts(h.newFor('liuyan'))).toBe(
      '2024年5月考核：请为以下 4 人评分：张伟（K001）、李娜（K002）、陈静（K003）、赵敏（L001）。发送 /review 工号 开始，例如 /review K001。',
    );
  });

  it('the supervisor scores three of four; a leader’s record counts on line 12', async () => {
    const score = async (no: string, ten: number, five: number) => {
      await h.say('liuyan', `/review ${no}`);
      for (let c = 1; c <= 11; c += 1) await h.say('liuyan', String(tenOrFive(c, ten, five)));
      expect(texts(await h.say('liuyan', '/submit'))).toMatch(/^已提交为/);
    };
    await score('K001', 7, 4); // 71
    await score('K002', 8, 4); // 80
    await score('L001', 6, 3); // 60
    // 赵敏 is the team's leader (客服领班): she records a complaint about 张伟.
    expect(texts(await h.say('zhaomin', '/log K001 -3 投诉 业主投诉回复不及时'))).toMatch(
      /^已记录 张伟（K001）：投诉 -3：业主投诉回复不及时。编号 [0-9A-F]{6}，已通知本人。$/,
    );
    expect(texts(h.newFor('zhangwei'))).toMatch(
      /^你有一条新的考核记录：投诉 -3：业主投诉回复不及时。记录人：赵敏/,
    );
  });

  it('reminds the supervisor on the 3rd of the one form still pending', async () => {
    at('2024-06-03T01:00:00Z');
    expect(await fire('remind-supervisors')).toBe('reminded 1 supervisors');
    expect(texts(h.newFor('liuyan'))).toBe(
      '提醒：2024年5月还有 1 人未评分：陈静（K003）。发送 /review 查看。',
    );
  });

  it('closes on the 5th: results with the breakdown to each employee, a summary to the manager', async () => {
    at('2024-06-05T01:00:00Z');
    expect(await fire('close')).toBe('closed 2024-05, results to 4');
    const zhangwei = texts(h.newFor('zhangwei'));
    expect(zhangwei).toContain('2024年5月考核结果');
    expect(zhangwei).toContain('1 文明用语 自评 8 / 主管 7 / 10');
    expect(zhangwei).toContain('6 对待批评 自评 4 / 主管 4 / 5');
    expect(zhangwei).toContain('12 其他奖惩分 -3');
    expect(zhangwei).toMatch(/· 投诉 -3：业主投诉回复不及时（编号 [0-9A-F]{6}）/);
    expect(zhangwei).toContain('最终得分：0.15×80 + 0.85×71 − 3 = 69.4 分');
    expect(texts(h.newFor('lina'))).toContain('最终得分：0.15×91 + 0.85×80 + 0 = 81.7 分');
    const zhaomin = texts(h.newFor('zhaomin'));
    expect(zhaomin).toContain('自评：未提交（草稿已评 1/11 项，未提交的自评不计分），按 0 分计。');
    expect(zhaomin).toContain('最终得分：0.15×0 + 0.85×60 + 0 = 51 分');
    expect(texts(h.newFor('chenjing'))).toContain('最终得分：主管未评分，待定。');
    expect(texts(h.newFor('wangjl'))).toBe(
      [
        '2024年5月考核已结束。',
        '完成情况：自评 2/4，主管评分 3/4',
        '平均分 67.4，最高 81.7（李娜（K002）），最低 51（赵敏（L001））',
        '未自评：陈静（K003）、赵敏（L001）',
        '未评分：陈静（K003）',
        '发送 /report 2024-05 查看详情。',
      ].join('\n'),
    );
    const stored = await h.kaohe.assessments.get('2024-05', 'zhangwei');
    expect(stored?.result).toMatchObject({
      final: 69.4,
      selfCounted: 80,
      supervisorTotal: 71,
      adjustmentTotal: -3,
    });
  });

  it('locks the forms, and closing again sends nothing new', async () => {
    expect(texts(await h.say('zhaomin', '/self'))).toBe(
      '当前没有进行中的考核。考核开始时会通知你。',
    );
    expect(texts(await h.say('wangjl', '/close 2024-05'))).toBe(
      '2024年5月考核已经结束过了，没有重复发送。',
    );
    expect(await fire('close')).toBe('no open month');
    expect(STAFF.flatMap((u) => h.newFor(u))).toEqual([]);
  });
});

describe('/report: the month at a glance for the manager', () => {
  it('shows completion, average and median, the ranking, the flags and the weakest criteria', async () => {
    const report = texts(await h.say('wangjl', '/report 2024-05'));
    expect(report.split('\n').slice(0, 9)).toEqual([
      '2024年5月考核报表（已结束）',
      '完成：自评 2/4，主管评分 3/4',
      '平均分 67.4，中位数 69.4（3 人有最终得分）',
      '排名：',
      '1. 李娜 K002 自评91 主管80 奖惩0 最终81.7',
      '2. 张伟 K001 自评80 主管71 奖惩-3 最终69.4',
      '3. 赵敏 L001 自评- 主管60 奖惩0 最终51',
      '— 陈静 K003 自评- 主管- 奖惩0 最终-',
      '未自评：陈静（K003）、赵敏（L001）',
    ]);
    expect(report).toContain('未评分：陈静（K003）');
    expect(report).toContain('自评与主管评分相差超过 15 分：无');
    // Supervisor scores: 70 % on every 10-point criterion, 73 % on the 5-point ones.
    expect(report).toMatch(
      /最弱三项（主管评分得分率）：第1项 .* 70%；第2项 .* 70%；第3项 .* 70%$/m,
    );
  });

  it('sends the manager an .xlsx: a summary sheet and one sheet per person, with the same finals', async () => {
    const [upload, image] = h.fake.uploads.slice(-2) as [FakeUpload, FakeUpload];
    expect(upload.fileName).toBe('考核报表-2024-05.xlsx');
    expect(h.fake.sent.at(-2)).toMatchObject({
      touser: 'wangjl',
      msgtype: 'file',
      file: { media_id: upload.mediaId },
    });
    // The chart comes last: a PNG of 800 × 600.
    expect(image).toMatchObject({ type: 'image', fileName: '考核图表-2024-05.png' });
    expect(h.fake.sent.at(-1)).toMatchObject({
      touser: 'wangjl',
      msgtype: 'image',
      image: { media_id: image.mediaId },
    });
    expect(image.data.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect([image.data.readUInt32BE(16), image.data.readUInt32BE(20)]).toEqual([800, 600]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(upload.data as unknown as ArrayBuffer);
    const summary = workbook.getWorksheet('汇总')!;
    expect(summary.getRow(1).values).toEqual([
      undefined,
      '排名',
      '姓名',
      '工号',
      '自评',
      '主管评分',
      '其他奖惩分',
      '最终得分',
      '标记',
    ]);
    expect(summary.getRow(2).values).toEqual([undefined, 1, '李娜', 'K002', 91, 80, 0, 81.7]);
    expect(summary.getRow(3).values).toEqual([undefined, 2, '张伟', 'K001', 80, 71, -3, 69.4]);
    expect(summary.getRow(4).getCell(8).value).toBe('未自评');
    expect(summary.getRow(5).values).toEqual([
      undefined,
      undefined,
      '陈静',
      'K003',
      undefined,
      undefined,
      0,
      undefined,
      '未自评、未评分',
    ]);
    const zhang = workbook.getWorksheet('张伟K001')!;
    expect(zhang.getCell('A1').value).toBe('客服人员考核表');
    expect(zhang.getRow(3).values).toEqual([
      undefined,
      '序号',
      '项目',
      '标准分',
      '自评分',
      '主管评分',
      '备注',
    ]);
    expect(zhang.getRow(4).values).toEqual([
      undefined,
      1,
      '是否文明用语，积极、主动、热情地为业主服务',
      10,
      8,
      7,
    ]);
    expect(zhang.getRow(15).getCell(5).value).toBe(-3);
    expect(zhang.getRow(15).getCell(6).value).toBe('投诉 -3：业主投诉回复不及时');
    expect(zhang.getRow(16).values).toEqual([undefined, undefined, '总分', 100, 80, 71]);
    // The same weighted final as in the chat report and in 张伟's result notice (69.4).
    expect(zhang.getRow(17).getCell(5).value).toBe(69.4);
    expect(
      h.fake.sent.some((b) => b.touser === 'zhangwei' && JSON.stringify(b).includes('= 69.4 分')),
    ).toBe(true);
  });

  it('has the same weighted final, for every person, in the chat report, the result notice and the spreadsheet', async () => {
    const report = texts(h.allFor('wangjl').filter((m) => m.text?.startsWith('2024年5月考核报表')));
    const upload = h.fake.uploads.find((u) => u.fileName === '考核报表-2024-05.xlsx')!;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(upload.data as unknown as ArrayBuffer);
    const sheetFinals = new Map<string, unknown>();
    workbook.getWorksheet('汇总')!.eachRow((row, n) => {
      if (n > 1) sheetFinals.set(String(row.getCell(3).value), row.getCell(7).value ?? null);
    });
    const people = { zhangwei: 'K001', lina: 'K002', chenjing: 'K003', zhaomin: 'L001' } as const;
    for (const [userid, employeeNo] of Object.entries(people)) {
      const stored = (await h.kaohe.assessments.get('2024-05', userid))!.result!.final;
      const notice = texts(h.allFor(userid).filter((m) => m.text?.startsWith('2024年5月考核结果')));
      const inNotice = /= ([\d.]+) 分/.exec(notice)?.[1];
      const inReport = new RegExp(`${employeeNo} .* 最终([\\d.-]+)`).exec(report)?.[1];
      expect([inNotice ?? null, inReport, sheetFinals.get(employeeNo)]).toEqual([
        stored === null ? null : String(stored),
        stored === null ? '-' : String(stored),
        stored,
      ]);
    }
  });

  it('gives scripts the summary as CSV', async () => {
    const csv = summaryCsv(await h.kaohe.reports.month('2024-05' as MonthKey));
    expect(csv.trim().split('\n')).toEqual([
      '排名,姓名,工号,自评,主管评分,其他奖惩分,最终得分,标记',
      '1,李娜,K002,91,80,0,81.7,',
      '2,张伟,K001,80,71,-3,69.4,',
      '3,赵敏,L001,,60,0,51,未自评',
      ',陈静,K003,,,0,,未自评、未评分',
    ]);
  });

  it('shows one person’s filled form as the paper reads, with the same final as their result', async () => {
    const form = texts(await h.say('wangjl', '报表 2024-05 K001')).split('\n');
    expect(form.slice(0, 4)).toEqual([
      '客服人员考核表',
      '被考核人：张伟 工号：K001 考核日期：2024年5月',
      '序号|项目|标准分|自评分|主管评分|备注',
      '1|是否文明用语，积极、主动、热情地为业主服务|10|8|7|',
    ]);
    expect(form).toContain('12|其他奖惩分|±|-3');
    expect(form).toContain('· 投诉 -3：业主投诉回复不及时');
    expect(form).toContain('总分|100|80|71');
    expect(form).toContain('最终得分：0.15×80 + 0.85×71 − 3 = 69.4');
    expect(form.at(-1)).toBe(
      '近六个月：2023-12 - | 2024-01 - | 2024-02 - | 2024-03 - | 2024-04 - | 2024-05 69.4',
    );
  });

  it('answers a malformed or unknown month, an unknown 工号 and a non-manager clearly', async () => {
    expect(texts(await h.say('wangjl', '/report 2024-5'))).toMatch(/^月份格式不对/);
    expect(texts(await h.say('wangjl', '/report 2024-13'))).toMatch(/^月份格式不对/);
    expect(texts(await h.say('wangjl', '/report 2023-01'))).toBe('2023年1月没有考核。');
    expect(texts(await h.say('wangjl', '/report 2024-05 X999'))).toBe(
      '没有找到工号为 X999 的人员。',
    );
    expect(texts(await h.say('liuyan', '/report 2024-05'))).toBe(
      '“/report”仅限管理处经理、人力资源使用。',
    );
  });
});

describe('after close, only the manager corrects a form, with a reason', () => {
  it('refuses the author, a missing reason and a bad score, changing nothing', async () => {
    expect(texts(await h.say('liuyan', '/amend 2024-05 K001 1 9 复核'))).toBe(
      '“/amend”仅限管理处经理使用。',
    );
    expect(texts(await h.say('wangjl', '/amend 2024-05 K001 1 9'))).toBe('请写明更正的理由。');
    expect(texts(await h.say('wangjl', '/amend 2024-05 K001 6 9 复核'))).toBe(
      '第 6 项满分 5 分，请输入 0 到 5 之间的整数。',
    );
    expect(texts(await h.say('wangjl', '/amend 2024-5 K001 1 9 复核'))).toMatch(/月份格式不对/);
    expect((await h.kaohe.assessments.get('2024-05', 'zhangwei'))?.supervisor.scores.get('1')).toBe(
      7,
    );
  });

  it('changes the score, recomputes the result, tells the employee and keeps the reason', async () => {
    expect(texts(await h.say('wangjl', '更正 2024-05 K001 1 9 复核监控后更正'))).toBe(
      '已更正张伟（K001）第 1 项：7 → 9 分；最终得分 69.4 → 71.1。已通知本人。',
    );
    await h.kaohe.settle();
    expect(texts(h.newFor('zhangwei'))).toBe(
      '你的2024年5月考核结果已更正：第 1 项主管评分 7 → 9 分。理由：复核监控后更正。最终得分：69.4 → 71.1。',
    );
    const doc = await h.kaohe.assessments.get('2024-05', 'zhangwei');
    expect(doc?.result?.final).toBe(71.1);
    const trail = await h.models.audit
      .find({ entityId: '2024-05:zhangwei', action: 'supervisor.amend' })
      .lean();
    expect(trail).toEqual([
      expect.objectContaining({
        actor: 'wangjl',
        reason: '复核监控后更正',
        before: { 'supervisor.scores.1': 7 },
        after: { 'supervisor.scores.1': 9 },
      }),
    ]);
  });
});

describe('the manager runs the cycle by command', () => {
  it('refuses a malformed month and people without the role, changing nothing', async () => {
    expect(texts(await h.say('wangjl', '/open 2024-13'))).toBe(
      '月份格式不对：“2024-13”。请写成 年-月，例如 2024-05。',
    );
    expect(texts(await h.say('wangjl', '/open'))).toBe('请写明月份，例如：/open 2024-05');
    expect(texts(await h.say('liuyan', '/open 2024-06'))).toBe('“/open”仅限管理处经理使用。');
    expect(await h.kaohe.months.get('2024-06')).toBeNull();
    expect(texts(await h.say('wangjl', '开始 2024-05'))).toBe(
      '2024-05 的考核已经结束，不能再开始。',
    );
  });

  it('opens, reminds and closes at once, answering with what it did', async () => {
    at('2024-06-25T12:30:00Z'); // 20:30 in Shanghai: a command is carried out at once anyway
    expect(texts(await h.say('wangjl', '/open 2024-06'))).toBe(
      '已开始2024年6月考核，已通知 4 人（员工共 4 人）。',
    );
    expect(lastCard(h.newFor('lina')).title).toMatch(/^1\/11 /);
    const progress = texts(await h.say('wangjl', '/report 2024-06')).split('\n');
    expect(progress.slice(0, 3)).toEqual([
      '2024年6月考核报表（进行中）',
      '完成：自评 0/4，主管评分 0/4',
      '排名：',
    ]);
    expect(texts(await h.say('wangjl', '提醒 2024-06'))).toBe(
      '已提醒 5 人（员工 4 人，主管 1 人）。',
    );
    // With everyone behind, the manager's /close lists them and asks first.
    expect(texts(await h.say('wangjl', '/close 2024-06'))).toMatch(/^2024年6月还有人未完成：/);
    expect((await h.kaohe.months.get('2024-06'))?.status).toBe('open');
    const closing = texts(await h.say('wangjl', '/close 2024-06 确认'));
    expect(closing).toContain('已结束2024年6月考核，已向 4 人发送结果，汇总已发给经理。');
    expect(closing).toContain('完成情况：自评 0/4，主管评分 0/4'); // the manager's own summary
  });

  it('holds scheduled messages outside working hours until the next working hour', async () => {
    STAFF.forEach((u) => h.newFor(u)); // what June brought is read
    at('2024-07-25T12:00:00Z'); // 20:00 in Shanghai
    await fire('open');
    expect(STAFF.flatMap((u) => h.newFor(u))).toEqual([]);
    at('2024-07-26T00:59:00Z');
    await h.kaohe.settle();
    expect(STAFF.flatMap((u) => h.newFor(u))).toEqual([]);
    at('2024-07-26T01:00:00Z'); // 09:00
    await h.kaohe.settle();
    expect(STAFF.flatMap((u) => h.newFor(u))).toHaveLength(4);
  });
});
