/**
 * Issue 16: at most 6 database commands (now 5) per answered tap and per typed score,
 * counted with mongoose's debug hook from the POST of the callback until its
 * handling is finished (the inbox marked done). A count, not a timing.
 */
import { BotHarness, lastCard, type Seen } from '../helpers/bot-harness';
import { recordCommands } from '../helpers/command-log';
import { openPassiveReply } from '../helpers/passive-reply';
import { SCORE_QUESTION, SCORE_SUBMIT } from '../../src/features/forms/texts';
import { cardClickCallback, textCallback } from '../helpers/wecom-callback';

const LIMIT = 6;
let createTime = Math.floor(Date.now() / 1000);

describe('database commands on the answer path', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start();
  });
  afterAll(async () => {
    await h.stop();
  });

  /** Posts one callback and counts the commands until its handling has finished. */
  async function count(callback: ReturnType<typeof textCallback>, user: string) {
    const { result, commands } = await recordCommands(async () => {
      const answer = await h.post(callback);
      await h.kaohe.answered();
      return answer;
    });
    expect(result.status).toBe(200);
    expect(result.text).not.toBe(''); // answered inside the callback
    h.receive(user, result.text);
    return { commands, reply: openPassiveReply(h.settings, result.text) };
  }

  /** A tap of `option` on a card as WeCom reports it: the card's own question and submit keys. */
  function tap(
    user: string,
    card: { task_id: string; checkbox: { question_key: string }; submit_button: { key: string } },
    option: string,
  ) {
    return cardClickCallback(h.settings, {
      from: user,
      taskId: card.task_id,
      eventKey: card.submit_button.key,
      questionKey: card.checkbox.question_key,
      optionIds: [option],
      responseCode: `rc-commands-${createTime}`,
      createTime: ++createTime,
    });
  }

  const scoreOf = async (userid: string, no: number) =>
    (await h.kaohe.assessments.get('2024-05', userid))?.self.scores.get(String(no));

  it('a tapped score, on the card sent and on the card replaced in place', async () => {
    await h.say('lina', '/self');
    const sent = h.fake.sent.at(-1)!.template_card as never;
    const first = await count(tap('lina', sent, '8'), 'lina');
    expect(first.commands.length).toBeLessThanOrEqual(LIMIT);
    expect(await scoreOf('lina', 1)).toBe(8);
    // The replaced card's keys carry where its taps go: nothing stored, nothing read but the one read.
    const replaced = first.reply.card as never;
    const second = await count(tap('lina', replaced, '7'), 'lina');
    expect(second.commands).toEqual([
      'inbox.insertOne',
      'people.aggregate',
      'assessments.findOneAndUpdate',
      'audit.insertOne',
      'inbox.updateOne',
    ]);
    expect(await scoreOf('lina', 2)).toBe(7);
    expect((second.reply.card as { main_title: { title: string } }).main_title.title).toMatch(
      /^3\/11 /,
    );
  });

  it('a typed score', async () => {
    await h.say('zhangwei', '/self');
    await h.say('zhangwei', '9');
    const typed = await count(
      textCallback(h.settings, { from: 'zhangwei', content: '8', msgId: '9100001' }),
      'zhangwei',
    );
    expect(typed.commands).toEqual([
      'inbox.insertOne',
      'people.aggregate',
      'assessments.findOneAndUpdate',
      'audit.insertOne',
      'inbox.updateOne',
    ]);
    expect(await scoreOf('zhangwei', 2)).toBe(8);
  });

  it('a command that starts a form reads the open month only with the person', async () => {
    const { commands } = await recordCommands(async () => {
      await h.post(
        textCallback(h.settings, { from: 'zhaomin', content: '/self', msgId: '9100002' }),
      );
      await h.kaohe.answered();
    });
    expect(commands).toContain('people.aggregate');
    expect(commands.filter((c) => c.startsWith('months.'))).toEqual([]);
  });

  it('a card replaced before routes rode on its keys still routes by its stored step', async () => {
    const seen: Seen[] = await h.say('chenjing', '/self');
    const card = lastCard(seen);
    await h.models.cards.updateOne(
      { cardId: card.taskId },
      {
        $set: {
          'steps.0123456789': {
            flow: 'form',
            data: { month: '2024-05', role: 'self', target: 'chenjing', criterionNo: 4 },
          },
        },
      },
    );
    const old = {
      task_id: card.taskId,
      checkbox: { question_key: SCORE_QUESTION },
      submit_button: { key: `${SCORE_SUBMIT}~0123456789` },
    };
    const answer = await count(tap('chenjing', old, '6'), 'chenjing');
    expect(answer.commands.length).toBeLessThanOrEqual(LIMIT);
    expect(await scoreOf('chenjing', 4)).toBe(6);
  });
});

describe('database commands when no month is open', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start({}, { open: false });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('a number typed, and 帮助, take the inbox insert, the one read and the finish', async () => {
    for (const [content, msgId] of [
      ['8', '9200001'],
      ['帮助', '9200002'],
    ] as const) {
      const { result, commands } = await recordCommands(async () => {
        const answer = await h.post(textCallback(h.settings, { from: 'lina', content, msgId }));
        await h.kaohe.answered();
        return answer;
      });
      expect(openPassiveReply(h.settings, result.text).text).not.toBe('');
      expect(commands).toEqual(['inbox.insertOne', 'people.aggregate', 'inbox.updateOne']);
    }
  });
});
