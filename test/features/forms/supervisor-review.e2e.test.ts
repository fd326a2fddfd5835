import { BotHarness, lastCard, texts } from '../../helpers/bot-harness';

let h: BotHarness;
beforeAll(async () => {
  // These walk the API path (WECOM_PASSIVE_REPLIES=off); passive-replies.e2e.test.ts walks the callback path.
  h = await BotHarness.start({ WECOM_PASSIVE_REPLIES: 'off' });
});
afterAll(async () => {
  await h.stop();
});

describe('supervisor review', () => {
  it('lists the team with where each form stands', async () => {
    const list = texts(await h.say('liuyan', '/review'));
    expect(list).toContain('2024年5月待评分 4/4 人：');
    expect(list).toContain('张伟（K001）自评未提交 · 评分未开始');
    expect(list).toContain('赵敏（L001）');
    expect(list).not.toContain('王建林');
  });

  it('scores a team member by typing, start to submit', async () => {
    const first = lastCard(await h.say('liuyan', '/review K001'));
    expect(first.title).toMatch(/^1\/11 /);
    expect(first.description).toContain('为张伟（K001）评分');
    const scores = ['8', '9', '7', '8', '9', '4', '7', '8', '3', '8', '9'];
    let seen = await h.say('liuyan', scores[0]!);
    for (const s of scores.slice(1)) seen = await h.say('liuyan', s);
    expect(texts(seen)).toContain('合计：80 分');
    expect(texts(await h.say('liuyan', '评分 K001'))).toContain('为张伟（K001）评分');
    const submitted = texts(await h.say('liuyan', '/submit'));
    expect(submitted).toContain('已提交为张伟（K001）评分，合计 80 分。谢谢！');
    expect(submitted).toContain('下一位：李娜 K002'); // the next one waiting, one tap away
    const doc = await h.kaohe.assessments.get('2024-05', 'zhangwei');
    expect(doc?.supervisor).toMatchObject({ status: 'submitted', authorUserid: 'liuyan' });
    expect(doc?.self.status).toBe('draft');
    expect(texts(await h.say('liuyan', '/review'))).toContain(
      '张伟（K001）自评未提交 · 评分已评完',
    );
  });

  it('does not show self scores to the supervisor by default', async () => {
    // 李娜 scores herself 10 on criterion 1 first.
    await h.say('lina', '/self');
    await h.say('lina', '10');
    const card = lastCard(await h.say('liuyan', '/review K002'));
    expect(card.description).not.toMatch(/自评/);
    expect((await h.kaohe.assessments.get('2024-05', 'lina'))?.supervisor.scores.size).toBe(0);
  });

  it('refuses someone else’s team member, an unknown 工号 and staff asking to review', async () => {
    const sentBefore = h.fake.sent.length;
    expect(texts(await h.say('liuyan', '/review M001'))).toBe(
      '王建林（M001）不是你负责评分的人员。',
    );
    expect(texts(await h.say('liuyan', '/review X999'))).toBe('没有找到工号为 X999 的在职人员。');
    expect(texts(await h.say('zhangwei', '/review K002'))).toBe(
      '“/review”仅限主管、管理处经理使用。',
    );
    expect(texts(await h.say('liuyan', '/self'))).toBe('“/self”仅限员工使用。');
    expect(h.fake.sent.length - sentBefore).toBe(4);
    expect((await h.kaohe.assessments.get('2024-05', 'lina'))?.supervisor.scores.size).toBe(0);
  });

  it('answers someone who is not on the roster politely, changing nothing', async () => {
    expect(texts(await h.say('stranger', '/self'))).toBe(
      '你不在考核名单中。如有疑问，请联系管理处经理。',
    );
    expect(await h.models.assessments.countDocuments({ userid: 'stranger' })).toBe(0);
  });

  it('helps each person with the commands of their roles', async () => {
    const staff = texts(await h.say('zhangwei', '/help'));
    expect(staff).toContain('/self');
    expect(staff).not.toContain('/review');
    const supervisor = texts(await h.say('liuyan', '帮助'));
    expect(supervisor).toContain('/review');
    expect(supervisor).not.toContain('/self（自评）');
  });
});

describe('when the month shows self scores to supervisors', () => {
  it('puts the employee’s submitted self score on the supervisor’s card', async () => {
    await h.models.months.updateOne(
      { key: '2024-05' },
      { $set: { 'form.policies.showSelfToSupervisor': true } },
    );
    let card = lastCard(await h.say('chenjing', '/self'));
    for (let i = 1; i <= 11; i += 1) {
      const seen = await h.tap('chenjing', card.taskId, '5');
      if (i < 11) card = lastCard(seen);
    }
    await h.say('chenjing', '/submit');
    const review = lastCard(await h.say('liuyan', '/review K003'));
    expect(review.description).toContain('员工自评：5 分');
    await h.models.months.updateOne(
      { key: '2024-05' },
      { $set: { 'form.policies.showSelfToSupervisor': false } },
    );
  });
});

describe('the manager', () => {
  it('sees both forms of anyone, read only, and cannot score them', async () => {
    const seen = await h.say('wangjl', '/review K003');
    expect(seen).toHaveLength(2);
    expect(seen[0]!.text).toContain('2024年5月自评（已提交）');
    expect(seen[0]!.text).toContain('合计：55 分');
    expect(seen[0]!.text).toContain('（员工自评，只读）');
    expect(seen[1]!.text).toContain('为陈静（K003）评分');
    expect(seen.some((s) => s.card)).toBe(false);
    expect(texts(await h.say('wangjl', '8'))).toMatch(/现在没有正在填写的表/);
  });
});

describe('supervisor review by tapping', () => {
  it('scores a whole form by taps and submits it', async () => {
    let card = lastCard(await h.say('liuyan', '/review L001'));
    for (let no = 1; no <= 11; no += 1) {
      expect(card.title).toMatch(new RegExp(`^${no}/11 `));
      const seen = await h.tap('liuyan', card.taskId, no === 6 || no === 9 ? '5' : '9');
      if (no < 11) card = lastCard(seen);
      else expect(texts(seen)).toContain('合计：91 分');
    }
    expect(texts(await h.say('liuyan', '/submit'))).toContain(
      '已提交为赵敏（L001）评分，合计 91 分。谢谢！',
    );
    const doc = await h.kaohe.assessments.get('2024-05', 'zhaomin');
    expect(doc?.supervisor.status).toBe('submitted');
    expect(doc?.supervisor.scores.get('6')).toBe(5);
    expect(doc?.supervisor.scores.get('11')).toBe(9);
  });
});
