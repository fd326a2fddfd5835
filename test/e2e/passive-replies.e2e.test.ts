import { readFileSync } from 'node:fs';
import path from 'node:path';
import { importRoster } from '../../src/roster/import-roster';
import { BotHarness, lastCard, texts, type Seen } from '../helpers/bot-harness';
import { openPassiveReply } from '../helpers/passive-reply';
import { cardClickCallback, textCallback } from '../helpers/wecom-callback';

const selfScores = async (h: BotHarness, userid: string) => {
  const doc = await h.kaohe.assessments.get('2024-05', userid);
  return doc ? Object.fromEntries(doc.self.scores) : {};
};

/** Taps through every criterion card from `card`, choosing `score(no)`; returns the last answer. */
async function tapThrough(
  h: BotHarness,
  user: string,
  first: NonNullable<Seen['card']>,
  score: (no: number) => string,
): Promise<Seen[]> {
  let card = first;
  let seen: Seen[] = [];
  for (let no = 1; no <= 11; no += 1) {
    expect(card.title).toMatch(new RegExp(`^${no}/11 `));
    seen = await h.tap(user, card.taskId, score(no));
    expect(seen.every((s) => s.inline)).toBe(true);
    card = lastCard(seen);
  }
  return seen;
}

describe('answers inside the callback (WeCom passive replies)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('a self-assessment by taps costs one API message: the same card walks the form', async () => {
    const start = await h.say('lina', '/self');
    expect(start).toHaveLength(1);
    expect(start[0]!.inline).toBeUndefined(); // the first card goes through the API
    const first = lastCard(start);
    const summary = await tapThrough(h, 'lina', first, (no) => (no === 6 || no === 9 ? '4' : '8'));
    const card = lastCard(summary);
    expect(card.taskId).toBe(first.taskId); // replaced in place, never a new card
    expect(texts(summary)).toContain('合计：80 分');
    expect(card.buttons).toEqual(['提交', '修改']);
    const done = await h.press('lina', card.taskId, '提交');
    expect(done).toEqual([expect.objectContaining({ inline: true })]);
    expect(done[0]!.card!.locked).toBe('已提交');
    expect(texts(done)).toContain('已提交自评，合计 80 分。谢谢！');
    expect((await h.kaohe.assessments.get('2024-05', 'lina'))?.self.status).toBe('submitted');
    expect(h.apiMessagesTo('lina')).toBe(1);
  });

  it('a typed self-assessment gets each next question back as text, at one API message', async () => {
    const first = lastCard(await h.say('zhangwei', '自评'));
    expect(first.title).toMatch(/^1\/11 /);
    const second = await h.say('zhangwei', '9');
    expect(second).toEqual([expect.objectContaining({ inline: true })]);
    expect(second[0]!.text).toMatch(/^2\/11 能否耐心解答业主问题/);
    expect(second[0]!.text).toContain('满分 10 分');
    expect(second[0]!.text).toContain('请回复 0 到 10 的整数。');
    // A bad score is answered inline too, and changes nothing.
    expect(texts(await h.say('zhangwei', '11'))).toMatch(/第 2 项满分 10 分/);
    for (const score of ['8', '7', '8', '9', '5', '8', '9', '4', '9'])
      await h.say('zhangwei', score);
    const summary = await h.say('zhangwei', '10');
    expect(summary[0]!.inline).toBe(true);
    expect(texts(summary)).toContain('合计：86 分');
    expect(texts(summary)).toContain('/submit');
    const done = await h.say('zhangwei', '/submit');
    expect(texts(done)).toBe('已提交自评，合计 86 分。谢谢！');
    expect(h.apiMessagesTo('zhangwei')).toBe(1);
    // /edit right after submitting reopens the form, at the item asked for.
    const edit = texts(await h.say('zhangwei', '/edit 8'));
    expect(edit).toContain('已重新打开');
    expect(edit).toContain('8/11 考勤是否齐全');
    expect((await h.kaohe.assessments.get('2024-05', 'zhangwei'))?.self.status).toBe('draft');
  });

  it('eleven numbers in one message fill the form; a wrong count or score stores nothing', async () => {
    await h.say('chenjing', '/self');
    expect(texts(await h.say('chenjing', '8 8 8'))).toBe(
      '需要 11 个分数（按第 1 至 11 项的顺序），收到 3 个。未保存，请重新发送。',
    );
    expect(texts(await h.say('chenjing', '8,8,8,8,8,8,8,8,8,8,8'))).toBe(
      '第 6 项满分 5 分，收到 8。未保存，请重新发送。',
    );
    expect(await selfScores(h, 'chenjing')).toEqual({});
    const summary = texts(await h.say('chenjing', '自评 ８ ９、10，7 8 5 9 9 4 8 10'));
    expect(summary).toContain('合计：87 分');
    expect(Object.keys(await selfScores(h, 'chenjing'))).toHaveLength(11);
    expect(texts(await h.say('chenjing', '提交'))).toBe('已提交自评，合计 87 分。谢谢！');
  });

  it('a retried callback gets the same answer again and is handled once', async () => {
    await h.say('zhaomin', '/self');
    const callback = textCallback(h.settings, { from: 'zhaomin', content: '7', msgId: '9001' });
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await h.post(callback));
    await h.kaohe.settle();
    const opened = answers.map((a) => openPassiveReply(h.settings, a.text));
    expect(opened[0]!.text).toMatch(/^2\/11 /);
    expect(opened.map((o) => o.text)).toEqual([opened[0]!.text, opened[0]!.text, opened[0]!.text]);
    const trail = await h.models.audit.countDocuments({
      entityId: '2024-05:zhaomin',
      action: 'self.score',
    });
    expect(trail).toBe(1);
    expect(h.apiMessagesTo('zhaomin')).toBe(1);
  });

  it('a tap on an earlier step of a replaced card changes that criterion and asks the current one', async () => {
    const first = lastCard(h.newFor('zhaomin').length ? [] : h.allFor('zhaomin'));
    const staleTap = cardClickCallback(h.settings, {
      from: 'zhaomin',
      taskId: first.taskId,
      eventKey: 'score', // the key of the card as first sent: step 1
      questionKey: 'score',
      optionIds: ['9'],
      responseCode: 'rc-stale',
    });
    const answer = await h.post(staleTap);
    h.receive('zhaomin', answer.text);
    await h.kaohe.settle();
    const seen = h.newFor('zhaomin');
    expect(texts(seen)).toBe('');
    expect(lastCard(seen).description).toContain('第 1 项已改为 9 分。');
    expect(lastCard(seen).title).toMatch(/^2\/11 /);
    expect(await selfScores(h, 'zhaomin')).toEqual({ '1': 9 });
  });
});

describe('a supervisor scoring a team of 20 back to back', () => {
  let h: BotHarness;
  const team = Array.from({ length: 20 }, (_, i) => ({
    userid: `t${i + 1}`,
    employeeNo: `T${String(i + 1).padStart(3, '0')}`,
  }));
  beforeAll(async () => {
    h = await BotHarness.start();
    // The fixture's manager and supervisor, and a team of 20 in place of the fixture's staff.
    const fixture = readFileSync(path.join(__dirname, '../fixtures/roster.csv'), 'utf8');
    const heads = fixture.trim().split('\n').slice(0, 3);
    const rows = team.map((t, i) => `${t.userid},队员${i + 1},${t.employeeNo},staff,liuyan,wecom`);
    await importRoster([...heads, ...rows].join('\n'), h.kaohe.people, 'test', h.clock.now());
  });
  afterAll(async () => {
    await h.stop();
  });

  it('scores ten by taps and ten by eleven numbers, every answer inline, within 40 API messages', async () => {
    const before = h.apiMessagesTo('liuyan');
    let card = lastCard(await h.say('liuyan', '/review T001'));
    const byTaps = new Set<string>();
    for (let i = 0; i < 10; i += 1) {
      const who = /为(队员\d+)/.exec(card.description)?.[1];
      expect(who && !byTaps.has(who)).toBe(true);
      byTaps.add(who!);
      const summary = await tapThrough(h, 'liuyan', card, () => '5');
      const submitted = await h.press('liuyan', lastCard(summary).taskId, '提交');
      expect(submitted[0]!.inline).toBe(true);
      const next = lastCard(submitted);
      expect(next.title).toMatch(/^下一位：队员\d+ T\d{3}$/);
      if (i === 9) break;
      card = lastCard(await h.press('liuyan', next.taskId, '下一位'));
    }
    const rest = team.filter((_, i) => !byTaps.has(`队员${i + 1}`));
    expect(rest).toHaveLength(10);
    for (const member of rest) {
      const summary = await h.say('liuyan', `评分 ${member.employeeNo} 9 9 9 9 9 5 9 9 5 9 9`);
      expect(summary.every((s) => s.inline)).toBe(true);
      expect(texts(summary)).toContain('合计：91 分');
      const done = await h.say('liuyan', '/submit');
      expect(done.every((s) => s.inline)).toBe(true);
    }
    const docs = await h.kaohe.assessments.forMonth('2024-05');
    const scored = docs.filter(
      (d) => d.userid.startsWith('t') && d.supervisor.status === 'submitted',
    );
    expect(scored).toHaveLength(20);
    expect(h.apiMessagesTo('liuyan') - before).toBeLessThanOrEqual(40);
    expect(h.apiMessagesTo('liuyan') - before).toBe(1);
  }, 120_000);
});

describe('when the answer misses its budget', () => {
  let h: BotHarness;
  beforeAll(async () => {
    // A budget of 0 ms: the test hook that forces every answer over budget.
    h = await BotHarness.start({ INLINE_REPLY_BUDGET_MS: '0' });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('answers empty, and the reply arrives through the API once, nothing lost or doubled', async () => {
    const first = lastCard(await h.say('lina', '/self'));
    const seen = await h.tap('lina', first.taskId, '7');
    expect(seen.some((s) => s.inline)).toBe(false);
    expect(lastCard(seen).title).toMatch(/^2\/11 /);
    expect(h.fake.updates).toHaveLength(1); // the tapped card marked through the API
    const typed = await h.say('lina', '6');
    expect(typed).toHaveLength(1);
    expect(typed[0]!.inline).toBeUndefined();
    expect(await selfScores(h, 'lina')).toEqual({ '1': 7, '2': 6 });
    expect(await h.models.inbox.countDocuments({ status: 'done' })).toBe(3);
  });
});

describe('when API messages must wait for WeCom’s per-person limit', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('says so once, inside the answer, instead of leaving a silent screen', async () => {
    // The manager was just sent 30 messages: the report's files will wait a minute.
    const now = h.clock.now();
    await h.models.outbox.insertMany(
      Array.from({ length: 30 }, (_, i) => ({
        key: `earlier:${i}`,
        platform: 'wecom',
        userid: 'wangjl',
        payload: { kind: 'send', message: { type: 'text', text: `消息 ${i}` } },
        status: 'sent',
        order: i,
        attempts: 1,
        notBefore: now,
        createdAt: now,
        finishedAt: now,
        leaseUntil: null,
        lastError: null,
      })),
    );
    const first = await h.post(
      textCallback(h.settings, { from: 'wangjl', content: '/report 2024-05', msgId: '9101' }),
    );
    const reply = openPassiveReply(h.settings, first.text);
    expect(reply.text).toContain('2024年5月');
    expect(reply.text!.endsWith('消息较多，稍候自动发送。')).toBe(true);
    await h.kaohe.settle();
    const second = await h.post(
      textCallback(h.settings, { from: 'wangjl', content: '/report 2024-05', msgId: '9102' }),
    );
    expect(openPassiveReply(h.settings, second.text).text).not.toContain('稍候自动发送');
    await h.kaohe.settle();
  });
});
