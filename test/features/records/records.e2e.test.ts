import { BotHarness, lastCard, texts } from '../../helpers/bot-harness';
import { textCallback } from '../../helpers/wecom-callback';

let h: BotHarness;
beforeAll(async () => {
  // These walk the API path (WECOM_PASSIVE_REPLIES=off); passive-replies.e2e.test.ts walks the callback path.
  h = await BotHarness.start({ WECOM_PASSIVE_REPLIES: 'off' });
});
afterAll(async () => {
  await h.stop();
});

const codeOf = (reply: string) => /编号 ([0-9A-F]{6})/.exec(reply)![1]!;
const countRecords = () => h.models.records.countDocuments();

describe('line 12: records made during the month', () => {
  const codes: Record<string, string> = {};

  it('a leader records praise, the supervisor a complaint on criterion 8, the manager a spot check', async () => {
    const praise = texts(await h.say('zhaomin', '记录 K002 +2 表扬 业主送来感谢信'));
    expect(praise).toMatch(
      /^已记录 李娜（K002）：表扬 \+2：业主送来感谢信。编号 [0-9A-F]{6}，已通知本人。$/,
    );
    codes.praise = codeOf(praise);
    const late = texts(await h.say('liuyan', '/log K002 -2 日常 #8 迟到'));
    expect(late).toContain('已记录 李娜（K002）：日常检查 -2：迟到（第 8 项）。');
    codes.late1 = codeOf(late);
    codes.late2 = codeOf(texts(await h.say('liuyan', '/log K002 -2 日常 #8 迟到')));
    const spot = texts(await h.say('wangjl', '/log K002 -1 #5 抽查时工装不整'));
    expect(spot).toContain('抽查 -1：抽查时工装不整（第 5 项）');
    codes.spot = codeOf(spot);
    expect(await countRecords()).toBe(4);
  });

  it('tells the employee about each record, with the reason', async () => {
    const notices = h.newFor('lina').map((s) => s.text);
    expect(notices).toHaveLength(4);
    expect(notices[0]).toBe(
      `你有一条新的考核记录：表扬 +2：业主送来感谢信。记录人：赵敏，编号 ${codes.praise}。发送 /records 查看本月记录。`,
    );
    expect(notices[1]).toContain('日常检查 -2：迟到（第 8 项）');
  });

  it('lets the employee list their month’s records', async () => {
    const list = texts(await h.say('lina', '记录查询'));
    expect(list.split('\n')[0]).toBe('你本月的考核记录：');
    expect(list).toContain(`${codes.praise} 表扬 +2：业主送来感谢信`);
    expect(list).toContain('合计 -3 分（4 条有效）');
  });

  it('records once when the same command is delivered again', async () => {
    const before = await countRecords();
    const callback = textCallback(h.settings, {
      from: 'liuyan',
      content: '/log K001 +1 表扬 主动帮助同事',
      msgId: '888001',
    });
    await h.post(callback);
    await h.post(callback);
    await h.kaohe.settle();
    expect(await countRecords()).toBe(before + 1);
    expect(h.newFor('zhangwei').filter((s) => s.text?.includes('主动帮助同事'))).toHaveLength(1);
  });

  it('guides a record on cards: person, kind, points, criterion, then the typed reason', async () => {
    const people = lastCard(await h.say('liuyan', '/log'));
    expect(people.title).toBe('记录奖惩 1/4 选择人员');
    expect(people.options).toEqual(['K001', 'K002', 'K003', 'L001']);
    const kinds = lastCard(await h.tap('liuyan', people.taskId, 'K003'));
    expect(kinds.options).toEqual(['daily', 'praise', 'complaint', 'spot', 'other']);
    const points = lastCard(await h.tap('liuyan', kinds.taskId, 'praise'));
    expect(points.options).toHaveLength(20);
    expect(points.options).not.toContain('0');
    const criteria = lastCard(await h.tap('liuyan', points.taskId, '3'));
    expect(criteria.options).toHaveLength(12);
    expect(texts(await h.tap('liuyan', criteria.taskId, '2'))).toBe(
      '最后，请回复理由（例如：业主送来感谢信）。',
    );
    const done = texts(await h.say('liuyan', '耐心解答业主疑问'));
    expect(done).toMatch(
      /^已记录 陈静（K003）：表扬 \+3：耐心解答业主疑问（第 2 项）。编号 [0-9A-F]{6}，已通知本人。$/,
    );
    const stored = await h.models.records.findOne({ userid: 'chenjing' }).lean();
    expect(stored).toMatchObject({
      authorUserid: 'liuyan',
      kind: 'praise',
      points: 3,
      criterionNo: 2,
      reason: '耐心解答业主疑问',
    });
    expect(texts(h.newFor('chenjing'))).toContain('表扬 +3：耐心解答业主疑问');
    // The draft is used up: the next text is not taken as a reason.
    expect(texts(await h.say('liuyan', '再记一条'))).toBe(
      '没看懂这条消息。发送 /help 查看可用的命令。',
    );
  });

  it('shows the supervisor the evidence for a criterion and line 12 before submit', async () => {
    await h.say('liuyan', '/review K002');
    for (let no = 1; no <= 6; no += 1) await h.say('liuyan', no === 6 ? '4' : '8');
    const eight = lastCard(await h.say('liuyan', '8')); // criterion 7 answered: 8 is asked
    expect(eight.title).toMatch(/^8\/11 /);
    expect(eight.description).toContain('本月记录：迟到 2 次（-4）');
    for (const score of ['8', '4', '8']) await h.say('liuyan', score); // 8, 9, 10
    const summary = texts(await h.say('liuyan', '8')); // 11: the summary, total 80
    expect(summary).toContain('合计：80 分');
    expect(summary).toContain('其他奖惩分：-3（4 条记录');
  });

  it('lets the author (or the manager) void a record; it stops counting, stays on file, and the employee is told', async () => {
    expect(texts(await h.say('zhaomin', `/void ${codes.late1} 记错了`))).toBe(
      '只有记录人或管理处经理可以撤销这条记录。',
    );
    expect(texts(await h.say('liuyan', `撤销 ${codes.late1} 当天调班，不算迟到`))).toBe(
      `已撤销 李娜（K002）的记录 ${codes.late1}，已通知本人。`,
    );
    expect(texts(await h.say('liuyan', `/void ${codes.late1} 再撤一次`))).toBe(
      `记录 ${codes.late1} 已经撤销过了。`,
    );
    await h.kaohe.settle();
    expect(texts(h.newFor('lina'))).toContain(
      `你的考核记录 ${codes.late1}（日常检查 -2：迟到（第 8 项））已撤销，不再计分。理由：当天调班，不算迟到。`,
    );
    expect(texts(await h.say('lina', '/records'))).toContain('合计 -1 分（3 条有效）');
    const stored = await h.models.records.findOne({ code: codes.late1 }).lean();
    expect(stored?.voided).toMatchObject({ by: 'liuyan', reason: '当天调班，不算迟到' });
    const trail = await h.models.audit.find({ entity: 'record', entityId: codes.late1 }).lean();
    expect(trail.map((e) => e.action)).toEqual(['record.create', 'record.void']);
  });

  it('refuses, changing nothing: wrong role, unknown 工号, out of bounds, no reason, oneself, someone else’s team', async () => {
    const before = await countRecords();
    expect(texts(await h.say('zhangwei', '/log K002 +1 表扬 帮忙'))).toBe(
      '“/log”仅限领班、主管、管理处经理使用。',
    );
    expect(texts(await h.say('liuyan', '/log X999 +1 表扬 帮忙'))).toBe(
      '没有找到工号为 X999 的在职员工。',
    );
    expect(texts(await h.say('liuyan', '/log K002 +11 表扬 太好了'))).toBe(
      '每条记录的分值须在 -10 到 10 之间，且不能为 0。',
    );
    expect(texts(await h.say('liuyan', '/log K002 -2 投诉'))).toMatch(/^请写明理由。/);
    expect(texts(await h.say('zhaomin', '/log L001 +5 表扬 自己表扬自己'))).toBe(
      '不能为自己记录。',
    );
    expect(texts(await h.say('liuyan', '/log M001 -1 其他 不是员工'))).toBe(
      '没有找到工号为 M001 的在职员工。',
    );
    expect(await countRecords()).toBe(before);
  });

  it('counts line 12 in the final score at close, listing each record', async () => {
    // 李娜: the supervisor submits (total 80); she never submitted her self-assessment.
    await h.say('liuyan', '/submit');
    // Others are behind: the manager's /close asks first, then closes when confirmed.
    await h.say('wangjl', '/close 2024-05 确认');
    const result = texts(h.newFor('lina'));
    expect(result).toContain('12 其他奖惩分 -1');
    expect(result).toMatch(/· 表扬 \+2：业主送来感谢信（编号 [0-9A-F]{6}）/);
    expect(result).not.toContain('当天调班');
    // 0.15 × 0 (missing self counts 0) + 0.85 × 80 − 1 = 67
    expect(result).toContain('最终得分：0.15×0 + 0.85×80 − 1 = 67 分');
  });

  it('refuses records and voiding once the month is closed', async () => {
    expect(texts(await h.say('liuyan', '/log K002 -1 日常 迟到'))).toBe(
      '当前没有进行中的考核，无法记录。',
    );
    expect(texts(await h.say('wangjl', `/void ${codes.spot} 复核`))).toBe(
      `2024-05 的考核已经结束，记录不能再撤销；本人可在申诉期内申诉（申诉 12 ${codes.spot} 理由）。`,
    );
  });
});

describe('records told in a daily digest, when configured', () => {
  let d: BotHarness;
  beforeAll(async () => {
    d = await BotHarness.start({ WECOM_PASSIVE_REPLIES: 'off' }, { clock: '2024-05-20T02:00:00Z' });
    await d.models.months.updateOne(
      { key: '2024-05' },
      { $set: { 'form.policies.recordNotice': 'digest' } },
    );
  });
  afterAll(async () => {
    await d.stop();
  });

  it('sends nothing at once, then one message a day listing the new records, once', async () => {
    await d.say('liuyan', '/log K001 -2 日常 #8 迟到');
    await d.say('zhaomin', '/log K001 +1 表扬 主动帮忙');
    expect(d.newFor('zhangwei')).toEqual([]);
    d.clock.set('2024-05-20T09:30:00Z'); // 17:30 in Shanghai
    expect(await d.kaohe.jobs.fire('record-digest')).toBe('digest to 1');
    await d.kaohe.settle();
    const digest = texts(d.newFor('zhangwei'));
    expect(digest).toMatch(
      /^今天有 2 条关于你的考核记录：\n[0-9A-F]{6} 日常检查 -2：迟到（第 8 项）\n[0-9A-F]{6} 表扬 \+1：主动帮忙\n/,
    );
    expect(await d.kaohe.jobs.fire('record-digest')).toBe('digest to 0');
    await d.kaohe.settle();
    expect(d.newFor('zhangwei')).toEqual([]);
  });
});
