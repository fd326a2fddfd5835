/**
 * One deployment, two departments, one month: 客服部 on the default form
 * (11 criteria, 0.15 / 0.85) and 秩序部 on the shipped sample form
 * (config/forms/security.json: 8 criteria, 0.2 / 0.8), each with its own
 * manager, and HR reading both. Driven through the fake WeCom as people would.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { importRoster } from '../../../src/roster/import-roster';
import type { FakeUpload } from '../../fakes/fake-wecom';
import { BotHarness, lastCard, texts } from '../../helpers/bot-harness';

const ROSTER = `userid,name,employee_no,roles,supervisor_userid,platform,department,project
wangjl,王建林,M001,manager,,wecom,客服部,
liuyan,刘燕,S001,supervisor,wangjl,wecom,客服部,
zhangwei,张伟,K001,staff,liuyan,wecom,客服部,
lina,李娜,K002,staff,liuyan,wecom,客服部,
sunhao,孙浩,M101,manager,,wecom,秩序部,
zhouqiang,周强,S101,supervisor,sunhao,wecom,秩序部,
wugang,吴刚,B101,staff,zhouqiang,wecom,秩序部,
heping,何平,B102,staff,zhouqiang,wecom,秩序部,
chenhui,陈慧,H001,hr,,wecom,人力资源部,
liqiang,李强,M201,manager,,wecom,保洁部,
`;

let h: BotHarness;
beforeAll(async () => {
  h = await BotHarness.start(
    { FORMS_DIR: path.join(__dirname, '../../../config/forms') },
    { open: false, clock: '2024-05-25T01:00:00Z' },
  );
  await importRoster(ROSTER, h.kaohe.people, 'test', h.clock.now());
});
afterAll(async () => {
  await h.stop();
});

const fire = async (job: string) => {
  const outcome = await h.kaohe.jobs.fire(job);
  await h.kaohe.settle();
  return outcome;
};
const scores = (...xs: number[]) => xs.join(' ');

describe('two departments in one month', () => {
  it('opens each department on its own, each person on their department’s form', async () => {
    expect(texts(await h.say('wangjl', '/open 2024-05'))).toBe(
      '已开始2024年5月考核，已通知 2 人（员工共 2 人）。',
    );
    // 秩序部 has not opened: its people got nothing, its month does not exist yet.
    expect(h.newFor('wugang')).toEqual([]);
    expect(await h.kaohe.months.get('2024-05', '秩序部')).toBeNull();
    expect(await fire('open:秩序部')).toBe('opened 2024-05, notified 2');

    const service = lastCard(h.newFor('zhangwei'));
    expect(service.title).toBe('1/11 是否文明用语，积极、主动、热情地为业主服务');
    const security = lastCard(h.newFor('wugang'));
    expect(security.title).toBe('1/8 按规定路线和频次巡逻，巡更点不漏打');
    expect(security.options).toHaveLength(16); // 0..15: the sample form's first criterion
  });

  it('everyone fills their own form; each supervisor scores their department', async () => {
    // 客服部: self 92 and 80; supervisor 81 and 80.
    await h.say('zhangwei', `自评 ${scores(9, 9, 9, 9, 9, 4, 9, 9, 5, 10, 10)}`);
    expect(texts(await h.say('zhangwei', '/submit'))).toBe('已提交自评，合计 92 分。谢谢！');
    await h.say('lina', `自评 ${scores(8, 8, 8, 8, 8, 4, 8, 8, 4, 8, 8)}`);
    expect(texts(await h.say('lina', '/submit'))).toBe('已提交自评，合计 80 分。谢谢！');
    // 秩序部: self 90 and 70 on 8 criteria.
    await h.say('wugang', `自评 ${scores(14, 14, 9, 14, 9, 9, 8, 13)}`);
    expect(texts(await h.say('wugang', '/submit'))).toBe('已提交自评，合计 90 分。谢谢！');
    await h.say('heping', `自评 ${scores(10, 10, 8, 10, 8, 8, 6, 10)}`);
    expect(texts(await h.say('heping', '/submit'))).toBe('已提交自评，合计 70 分。谢谢！');

    await h.say('liuyan', `评分 K001 ${scores(8, 8, 8, 8, 8, 4, 8, 8, 4, 8, 9)}`);
    expect(texts(await h.say('liuyan', '/submit'))).toMatch(
      /^已提交为张伟（K001）评分，合计 81 分/,
    );
    await h.say('liuyan', `评分 K002 ${scores(8, 8, 8, 8, 8, 4, 8, 8, 4, 8, 8)}`);
    expect(texts(await h.say('liuyan', '/submit'))).toMatch(/合计 80 分/);
    await h.say('zhouqiang', `评分 B101 ${scores(13, 13, 9, 13, 9, 9, 9, 10)}`);
    expect(texts(await h.say('zhouqiang', '/submit'))).toMatch(
      /^已提交为吴刚（B101）评分，合计 85 分/,
    );
    await h.say('zhouqiang', `评分 B102 ${scores(11, 11, 8, 11, 8, 8, 8, 10)}`);
    expect(texts(await h.say('zhouqiang', '/submit'))).toMatch(/合计 75 分/);

    // Line 12, each manager for their own people.
    expect(texts(await h.say('wangjl', '/log K001 -3 抽查 工装不整'))).toMatch(/^已记录/);
    expect(texts(await h.say('sunhao', '/log B101 +2 表扬 夜班及时发现漏水'))).toMatch(/^已记录/);
    h.newFor('zhangwei');
    h.newFor('wugang');
  });

  it('a manager sees and acts on their own department only; nothing changes on a refusal', async () => {
    expect(texts(await h.say('wangjl', '/report 2024-05 B101'))).toBe(
      '工号 B101 不是本部门（客服部）的人员，不能查看。',
    );
    expect(texts(await h.say('wangjl', '/report 2024-05 秩序部'))).toBe(
      '你只能查看本部门（客服部）的报表。',
    );
    expect(texts(await h.say('wangjl', '/report 2024-05 不存在部'))).toBe(
      '没有“不存在部”这个部门。现有部门：客服部、秩序部。',
    );
    expect(texts(await h.say('wangjl', '/log B101 -5 抽查 不是我的人'))).toBe(
      '你不负责吴刚（B101），不能为其记录。',
    );
    expect(texts(await h.say('zhouqiang', '/report 2024-05'))).toBe(
      '“/report”仅限管理处经理、人力资源使用。',
    );
    expect(texts(await h.say('chenhui', '/close 2024-05 确认'))).toBe(
      '“/close”仅限管理处经理使用。',
    );
    // A manager of a department with no form file cannot open one.
    expect(texts(await h.say('liqiang', '/open 2024-05'))).toBe(
      '保洁部还没有考核表，请联系管理员添加。现有：客服部、秩序部。',
    );
    expect(await h.kaohe.months.get('2024-05', '保洁部')).toBeNull();
    expect(texts(await h.say('wangjl', '/amend 2024-05 B101 1 10 复核'))).toBe(
      '吴刚（B101）不是客服部的人员，你只能处理本部门的考核。',
    );
    expect((await h.kaohe.months.get('2024-05'))?.status).toBe('open');
    expect((await h.kaohe.months.get('2024-05', '秩序部'))?.status).toBe('open');
    expect(await h.models.records.countDocuments({ userid: 'wugang' })).toBe(1);
    expect(await h.models.audit.countDocuments({ action: 'supervisor.amend' })).toBe(0);

    const report = texts(await h.say('wangjl', '/report 2024-05'));
    expect(report).toMatch(/^2024年5月考核报表（进行中）/);
    expect(report).toContain('张伟 K001 自评92 主管81 奖惩-3 最终79.7');
    expect(report).not.toContain('吴刚');
    expect(report).not.toContain('何平');
  });

  it('the 客服部 manager’s close leaves 秩序部 open; the finals follow each form’s weights', async () => {
    expect(texts(await h.say('wangjl', '/close 2024-05 确认'))).toMatch(/^已结束2024年5月考核/);
    expect((await h.kaohe.months.get('2024-05'))?.status).toBe('closed');
    expect((await h.kaohe.months.get('2024-05', '秩序部'))?.status).toBe('open');
    // 0.15 × 92 + 0.85 × 81 − 3 = 13.8 + 68.85 − 3 = 79.65 → 79.7
    expect(texts(h.newFor('zhangwei'))).toContain('最终得分：0.15×92 + 0.85×81 − 3 = 79.7 分');
    expect(h.newFor('wugang')).toEqual([]);
    // 秩序部's people still fill in: its month is open.
    expect(texts(await h.say('heping', '/status'))).toMatch(/2024年5月/);

    expect(texts(await h.say('sunhao', '/report 2024-05'))).toMatch(
      /^秩序部2024年5月考核报表（进行中）/,
    );
    expect(texts(await h.say('sunhao', '/close 2024-05 确认'))).toMatch(/^已结束2024年5月考核/);
    // 0.2 × 90 + 0.8 × 85 + 2 = 18 + 68 + 2 = 88 (客服部's weights would give 87.8)
    expect(texts(h.newFor('wugang'))).toContain('最终得分：0.2×90 + 0.8×85 + 2 = 88 分');
    // 0.2 × 70 + 0.8 × 75 = 14 + 60 = 74
    expect(texts(h.newFor('heping'))).toContain('最终得分：0.2×70 + 0.8×75 + 0 = 74 分');
    expect(texts(h.newFor('lina'))).toContain('最终得分：0.15×80 + 0.85×80 + 0 = 80 分');
  });

  it('an appeal goes to its own department’s manager only', async () => {
    const receipt = texts(await h.say('heping', '申诉 整体评分偏低'));
    const code = /编号 (\w+)/.exec(receipt)![1]!;
    expect(texts(h.newFor('sunhao'))).toContain(`/uphold ${code} 理由 维持原评分`);
    expect(h.newFor('wangjl')).toEqual([]);
    expect(texts(await h.say('wangjl', '/appeals'))).toBe('没有待处理的申诉。');
    expect(texts(await h.say('wangjl', `/uphold ${code} 维持`))).toBe('你不负责这条申诉。');
    expect(await h.models.appeals.findOne({ code }).lean()).toMatchObject({ status: 'open' });
    expect(texts(await h.say('sunhao', '/appeals'))).toContain(`${code} 何平（B102）`);
  });

  it('an appeal’s reminder waits for its own department’s working hours', async () => {
    // 客服部 works 09:00–18:00 (the default form), 秩序部 08:00–20:00 (its form file).
    const receipt = texts(await h.say('zhangwei', '申诉 第 5 项着装一直整齐'));
    expect(receipt).toMatch(/编号 \w+/);
    h.newFor('liuyan');
    h.newFor('wangjl');
    h.newFor('zhouqiang');
    // Monday 19:00 in Shanghai, a working day after both appeals (made on Saturday).
    h.clock.set('2024-05-27T11:00:00Z');
    expect(await fire('appeals')).toBe('silently confirmed 0, reminded 2');
    expect(texts(h.newFor('zhouqiang'))).toMatch(/^提醒：有 1 条申诉等待处理：\n\w+ 何平（B102）/);
    expect(h.newFor('liuyan')).toEqual([]);
    // Tuesday 09:00: 客服部's day begins, and its supervisor's reminder goes.
    h.clock.set('2024-05-28T01:00:00Z');
    await h.kaohe.settle();
    expect(texts(h.newFor('liuyan'))).toMatch(/^提醒：有 1 条申诉等待处理：\n\w+ 张伟（K001）/);
  });

  it('each department’s report counts its own confirmations and appeals', async () => {
    expect(texts(await h.say('wugang', '确认'))).toMatch(/^已确认/);
    const security = texts(await h.say('sunhao', '/report 2024-05'));
    expect(security).toContain('结果确认：已确认 1，申诉中 1，已更正 0，维持 0，待确认 0');
    expect(security).toMatch(/未结申诉：\n\w+ 何平（B102）[^\n]*\n校准/);
    const service = texts(await h.say('wangjl', '/report 2024-05'));
    expect(service).toContain('结果确认：已确认 0，申诉中 1，已更正 0，维持 0，待确认 1');
    expect(service).toMatch(/未结申诉：\n\w+ 张伟（K001）[^\n]*\n校准/);
  });

  it('HR’s report sums both departments, then a line each, with a summary sheet per department', async () => {
    // 客服部's summary as a version before departments stored it: without the finals' sum.
    await h.models.monthSummaries.updateOne(
      { month: '2024-05', department: '客服部' },
      { $unset: { 'finals.tenths': 1 } },
    );
    const uploads = h.fake.uploads.length;
    // Average of every final: (79.7 + 80 + 88 + 74) / 4 = 80.425 → 80.4;
    // 客服部 (79.7 + 80) / 2 = 79.85 → 79.9; 秩序部 (88 + 74) / 2 = 81.
    expect(texts(await h.say('chenhui', '/report 2024-05'))).toBe(
      [
        '2024年5月考核总览（2 个部门）',
        '合计：4 人，自评 4/4，主管评分 4/4，平均分 80.4',
        '客服部（已结束）：2 人，自评 2/2，主管评分 2/2，平均分 79.9',
        '秩序部（已结束）：2 人，自评 2/2，主管评分 2/2，平均分 81',
        '发送 /report 2024-05 部门 查看一个部门，例如 /report 2024-05 客服部',
      ].join('\n'),
    );
    const stored = await h.models.monthSummaries.findOne({ department: '客服部' }).lean();
    expect(stored?.finals).toMatchObject({ count: 2, tenths: 797 + 800 });
    const [upload] = h.fake.uploads.slice(uploads) as [FakeUpload];
    expect(upload.fileName).toBe('考核报表-2024-05.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(upload.data as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      '汇总-客服部',
      '汇总-秩序部',
      // Each department's people, in the report's order (by userid).
      '李娜K002',
      '张伟K001',
      '何平B102',
      '吴刚B101',
    ]);

    const one = texts(await h.say('chenhui', '/report 2024-05 秩序部'));
    expect(one).toMatch(/^秩序部2024年5月考核报表（已结束）/);
    expect(one).toContain('1. 吴刚 B101 自评90 主管85 奖惩+2 最终88');
    expect(one).not.toContain('张伟');
    const form = texts(await h.say('chenhui', '/report 2024-05 B101'));
    expect(form).toMatch(/^秩序维护员考核表\n被考核人：吴刚 工号：B101/);
    expect(form).toContain('最终得分：0.2×90 + 0.8×85 + 2 = 88');
    const help = texts(await h.say('chenhui', '/help'));
    expect(help).toContain('/report 2024-05（报表）');
    expect(help).toContain('人力资源只读');
    expect(help).not.toContain('/close');
    // HR reads anyone's result, as its owner sees it.
    expect(texts(await h.say('chenhui', '/result 2024-05 K001'))).toContain(
      '最终得分：0.15×92 + 0.85×81 − 3 = 79.7 分',
    );
    expect(texts(await h.say('chenhui', '/report 2024-05 不存在部'))).toBe(
      '没有“不存在部”这个部门。现有部门：客服部、秩序部。',
    );
  });
});
