import { BotHarness, lastCard, texts } from '../../helpers/bot-harness';

let h: BotHarness;
beforeAll(async () => {
  // These walk the API path (WECOM_PASSIVE_REPLIES=off); passive-replies.e2e.test.ts walks the callback path.
  h = await BotHarness.start({ WECOM_PASSIVE_REPLIES: 'off' });
});
afterAll(async () => {
  await h.stop();
});

const selfScores = async (userid: string) => {
  const doc = await h.kaohe.assessments.get('2024-05', userid);
  return doc ? Object.fromEntries(doc.self.scores) : {};
};

describe('self-assessment by typing', () => {
  it('asks criterion 1 of 11 on a card with every allowed score', async () => {
    const seen = await h.say('zhangwei', '/self');
    const card = lastCard(seen);
    expect(card.title).toBe('1/11 是否文明用语，积极、主动、热情地为业主服务');
    expect(card.description).toContain('2024年5月自评 · 满分 10 分');
    expect(card.description).toContain('文明用语');
    expect(card.options).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  });

  it('takes typed numbers, refuses bad ones with a clear reply, and walks the form', async () => {
    expect(lastCard(await h.say('zhangwei', '9')).title).toMatch(/^2\/11 /);
    expect(texts(await h.say('zhangwei', '11'))).toBe(
      '11 分超出范围。第 2 项满分 10 分，请输入 0 到 10 之间的整数。',
    );
    expect(texts(await h.say('zhangwei', 'abc'))).toBe(
      '没看懂这条消息。发送 /help 查看可用的命令。',
    );
    expect(texts(await h.say('zhangwei', '7.5'))).toMatch(
      /不是有效分数。请输入 0 到 10 之间的整数/,
    );
    expect(await selfScores('zhangwei')).toEqual({ '1': 9 });

    expect(lastCard(await h.say('zhangwei', '8')).title).toMatch(/^3\/11 /);
    // Back to 2: the card shows the score already given.
    const back = lastCard(await h.say('zhangwei', '/back'));
    expect(back.title).toMatch(/^2\/11 /);
    expect(back.checked).toBe('8');
    expect(lastCard(await h.say('zhangwei', '10')).title).toMatch(/^3\/11 /);
    // Skip 3, answer the rest; 6 and 9 have a max of 5.
    expect(lastCard(await h.say('zhangwei', '/skip')).title).toMatch(/^4\/11 /);
    await h.say('zhangwei', '8'); // 4
    const six = lastCard(await h.say('zhangwei', '9')); // 5
    expect(six.title).toMatch(/^6\/11 /);
    expect(six.options).toHaveLength(6);
    expect(texts(await h.say('zhangwei', '6'))).toMatch(/满分 5 分/);
    for (const score of ['5', '8', '9', '4', '9']) await h.say('zhangwei', score); // 6..10
    // 11 answered: the skipped criterion 3 comes back.
    expect(lastCard(await h.say('zhangwei', '10')).title).toMatch(/^3\/11 /);
  });

  it('keeps the draft when Redis state is lost, and resumes at the first unanswered criterion', async () => {
    await h.state.delete('conv:zhangwei');
    expect(lastCard(await h.say('zhangwei', '自评')).title).toMatch(/^3\/11 /);
  });

  it('answers /back with no form in progress clearly', async () => {
    await h.state.delete('conv:zhangwei');
    await h.say('zhangwei', '/back'); // nothing to go back in: a clear answer, nothing changes
    expect(texts(h.allFor('zhangwei').slice(-1))).toMatch(/现在没有正在填写的表/);
    await h.state.delete('conv:zhangwei');
  });

  it('shows a summary with the total, takes a remark and submits', async () => {
    const seen = await h.say('zhangwei', '7');
    const summary = texts(seen);
    expect(summary).toContain('2024年5月自评');
    expect(summary).toContain('合计：88 分');
    expect(seen.at(-1)?.card?.buttons).toEqual(['提交', '修改']);
    expect(texts(await h.say('zhangwei', '备注 本月加班较多'))).toBe('已添加整体备注。');
    expect(texts(await h.say('zhangwei', '/submit'))).toBe('已提交自评，合计 88 分。谢谢！');
    const doc = await h.kaohe.assessments.get('2024-05', 'zhangwei');
    expect(doc?.self.status).toBe('submitted');
    expect(doc?.self.remark).toBe('本月加班较多');
    expect(Object.fromEntries(doc!.self.scores)).toEqual({
      '1': 9,
      '2': 10,
      '3': 7,
      '4': 8,
      '5': 9,
      '6': 5,
      '7': 8,
      '8': 9,
      '9': 4,
      '10': 9,
      '11': 10,
    });
  });

  it('shows a submitted form instead of asking again', async () => {
    const seen = await h.say('zhangwei', '/self');
    expect(texts(seen)).toContain('（已提交）');
    expect(seen.at(-1)?.card?.locked).toBe('已提交');
  });
});

describe('self-assessment by tapping', () => {
  it('fills the whole form by taps, each tapped card showing what was chosen', async () => {
    let card = lastCard(await h.say('lina', '/self'));
    const updatesBefore = h.fake.updates.length;
    for (let i = 1; i <= 11; i += 1) {
      expect(card.title).toMatch(new RegExp(`^${i}/11 `));
      const seen = await h.tap('lina', card.taskId, i === 6 || i === 9 ? '4' : '8');
      if (i < 11) card = lastCard(seen);
      else expect(texts(seen)).toContain('合计：80 分');
    }
    const updates = h.fake.updates.slice(updatesBefore);
    expect(updates).toHaveLength(11);
    expect(updates[0]).toMatchObject({ userids: ['lina'], button: { replace_name: '已选 8 分' } });
    expect(texts(await h.say('lina', '提交'))).toBe('已提交自评，合计 80 分。谢谢！');
  });

  it('a tap on an old card of a submitted form changes nothing', async () => {
    const firstCard = h.allFor('lina').find((s) => s.card)!.card!;
    expect(texts(await h.tap('lina', firstCard.taskId, '0'))).toMatch(/这张表已提交，不能再改/);
    expect((await h.kaohe.assessments.get('2024-05', 'lina'))?.self.scores.get('1')).toBe(8);
  });

  it('a tap without a choice asks for one', async () => {
    const card = lastCard(await h.say('zhaomin', '/self'));
    expect(texts(await h.tap('zhaomin', card.taskId, null))).toBe('请先点选一个分数，再按“确定”。');
    expect(await selfScores('zhaomin')).toEqual({});
  });

  it('a tap on an earlier card changes that criterion and asks the current one again', async () => {
    const first = lastCard(await h.say('zhaomin', '/self'));
    const second = lastCard(await h.tap('zhaomin', first.taskId, '6'));
    expect(second.title).toMatch(/^2\/11 /);
    const seen = await h.tap('zhaomin', first.taskId, '9');
    expect(texts(seen)).toBe('第 1 项已改为 9 分。');
    expect(lastCard(seen).title).toMatch(/^2\/11 /);
    expect(await selfScores('zhaomin')).toEqual({ '1': 9 });
  });
});
