/**
 * The simulator from the outside, over HTTP: its fake WeCom API, the page's
 * API, and the real path in between (what is typed or tapped reaches the bot
 * signed and encrypted; what the bot sends comes back through its WecomClient).
 */
import { scoresOf } from '../../src/assessment/scores';
import type { ChatEntry } from '../../src/simulator/chat-log';
import { startSimulatedBot, type SimulatedBot } from '../helpers/simulated-bot';

let bot: SimulatedBot;

beforeAll(async () => {
  bot = await startSimulatedBot();
});
afterAll(() => bot.stop());

async function call(path: string, body?: unknown) {
  const response = await fetch(`${bot.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function chatOf(userid: string): Promise<ChatEntry[]> {
  return (await call(`/simulator/api/chats/${userid}`)).body.entries as ChatEntry[];
}

/** Waits for the bot's pollers to deliver: the first entry in `userid`'s chat that matches. */
async function waitFor(userid: string, match: (e: ChatEntry) => boolean): Promise<ChatEntry> {
  for (let i = 0; i < 100; i++) {
    const found = (await chatOf(userid)).find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing matched in ${userid}'s chat: ${JSON.stringify(await chatOf(userid))}`);
}

type Json = Record<string, unknown>;
const submitKeyOf = (entry: ChatEntry) => (entry.card!.submit_button as { key: string }).key;

describe('the simulator', () => {
  it('plays WeCom strictly: a wrong secret or a missing token is refused as WeCom refuses it', async () => {
    const api = `${bot.url}/simulator/wecom/cgi-bin`;
    const token = await (
      await fetch(`${api}/gettoken?corpid=wwkaohesimulator&corpsecret=x`)
    ).json();
    expect(token).toMatchObject({ errcode: 40001 });
    const send = await fetch(`${api}/message/send?access_token=forged`, {
      method: 'POST',
      body: JSON.stringify({ touser: 'zhangwei', msgtype: 'text', text: { content: 'hi' } }),
    });
    expect(await send.json()).toMatchObject({ errcode: 40014 });
    const { corpId, secret } = bot.running.simulator!.settings;
    const issued = await fetch(`${api}/gettoken?corpid=${corpId}&corpsecret=${secret}`);
    const { access_token } = (await issued.json()) as { access_token: string };
    const broken = await fetch(`${api}/message/send?access_token=${access_token}`, {
      method: 'POST',
      body: '{"touser":',
    });
    expect(await broken.json()).toMatchObject({ errcode: 47001 });
    expect(bot.running.simulator!.chats.chatOf('zhangwei')).toEqual([]);
  });

  it('starts empty, loads the demo team once, and refuses a second load', async () => {
    expect((await call('/simulator/api/overview')).body).toMatchObject({ people: [], month: null });
    expect((await call('/simulator/api/month/remind', {})).body.message).toBe(
      '现在没有进行中的考核，请先点"开始本月"。',
    );
    expect((await call('/simulator/api/demo', {})).status).toBe(200);
    const again = await call('/simulator/api/demo', {});
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('名单里已经有人了，示例团队只能加载到空名单。');
    const people = (await call('/simulator/api/overview')).body.people as {
      name: string;
      roles: string[];
    }[];
    expect(people).toHaveLength(9);
    expect(people.filter((p) => p.roles.includes('staff'))).toHaveLength(7);
    expect(people.find((p) => p.roles.includes('manager'))?.name).toBe('王建国');
  });

  it("delivers what a person types to the bot and shows the bot's answer", async () => {
    const sent = await call('/simulator/api/chats/zhangwei/messages', { text: '帮助' });
    expect(sent.status).toBe(200);
    expect(sent.body.entry).toMatchObject({ from: 'user', kind: 'text', text: '帮助' });
    const answer = await waitFor('zhangwei', (e) => e.from === 'bot');
    expect(answer.text).toContain('/self');
  });

  it('refuses bad input with a short answer and sends nothing', async () => {
    const before = (await chatOf('lina')).length;
    expect((await call('/simulator/api/chats/lina/messages', { text: '   ' })).status).toBe(422);
    expect((await call('/simulator/api/chats/nobody/messages', { text: 'hi' })).status).toBe(404);
    const broken = await fetch(`${bot.url}/simulator/api/chats/lina/messages`, {
      method: 'POST',
      body: '{not json',
    });
    expect(broken.status).toBe(400);
    expect((await chatOf('lina')).length).toBe(before);
  });

  it('turns a tap on a card into a signed card event; the passive reply walks the card on in place', async () => {
    const opened = await call('/simulator/api/month/open', {});
    expect(opened.body.text).toMatch(/^已开始\d{4}年\d{1,2}月考核，已通知 7 人。$/);
    const card = await waitFor('chenjing', (e) => e.kind === 'card');
    expect(card.card!.main_title).toMatchObject({ title: expect.stringMatching(/^1\/11 /) });
    const tap = (optionIds: string[], key: string) =>
      call(`/simulator/api/chats/chenjing/cards/${card.id}`, {
        eventKey: key,
        selected: [{ questionKey: 'score', optionIds }],
      });
    const firstKey = submitKeyOf(card);

    expect((await tap(['11'], firstKey)).status).toBe(422);
    expect((await tap(['9'], 'forged-key')).status).toBe(422);
    expect(
      (
        await call(`/simulator/api/chats/lina/cards/${card.id}`, {
          eventKey: firstKey,
          selected: [],
        })
      ).status,
    ).toBe(404);

    // Answered inside the callback: the card has changed by the time the tap returns.
    const before = (await chatOf('chenjing')).length;
    expect((await tap(['9'], firstKey)).status).toBe(200);
    const stepped = (await chatOf('chenjing')).find((e) => e.id === card.id)!;
    expect(stepped.card!.task_id).toBe(card.card!.task_id);
    expect(stepped.card!.main_title).toMatchObject({ title: expect.stringMatching(/^2\/11 /) });
    expect(stepped.replacedLabel).toBeUndefined();
    expect((await chatOf('chenjing')).length).toBe(before);
    const month = (await call('/simulator/api/overview')).body.currentMonth as string;
    const doc = await bot.running.kaohe.assessments.get(month, 'chenjing');
    expect(scoresOf(doc!.self)).toEqual({ 1: 9 });

    // Taps are checked against the card as it shows now: the first card's key is gone.
    const stale = await tap(['8'], firstKey);
    expect(stale.status).toBe(422);
    expect(stale.body.message).toBe('卡片上没有这个选项。');
    expect((await tap(['8'], submitKeyOf(stepped))).status).toBe(200);
    const third = (await chatOf('chenjing')).find((e) => e.id === card.id)!;
    expect(third.card!.main_title).toMatchObject({ title: expect.stringMatching(/^3\/11 /) });
    expect(scoresOf((await bot.running.kaohe.assessments.get(month, 'chenjing'))!.self)).toEqual({
      1: 9,
      2: 8,
    });
  });

  it('shows a passive text answer as the bot message right after what was typed', async () => {
    const sent = await call('/simulator/api/chats/chenjing/messages', { text: '进度' });
    expect(sent.status).toBe(200);
    // No waiting: the answer came inside the callback's response, not through the API.
    const chat = await chatOf('chenjing');
    const at = chat.findIndex((e) => e.id === (sent.body.entry as ChatEntry).id);
    expect(chat[at + 1]).toMatchObject({ from: 'bot', kind: 'text' });
    expect(chat[at + 1]!.text).toContain('自评');
  });

  it('pushes new messages to open pages as server-sent events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${bot.url}/simulator/api/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    await call('/simulator/api/chats/wuhao/messages', { text: '进度' });
    let received = '';
    while (!received.includes('"from":"bot"')) {
      const { value } = await reader.read();
      received += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(received).toContain('"userid":"wuhao"');
  });

  it('keeps the chats across a restart, and a card from before still answers', async () => {
    const before = await chatOf('lina');
    const card = before.find((e) => e.kind === 'card')!;
    bot = await bot.restart();
    expect(await chatOf('lina')).toEqual(before);

    const tapped = await call(`/simulator/api/chats/lina/cards/${card.id}`, {
      eventKey: submitKeyOf(card),
      selected: [{ questionKey: 'score', optionIds: ['7'] }],
    });
    expect(tapped.status).toBe(200);
    await waitFor(
      'lina',
      (e) => e.id === card.id && /^2\/11 /.test(String((e.card!.main_title as Json).title)),
    );
    const month = (await call('/simulator/api/overview')).body.currentMonth as string;
    expect(scoresOf((await bot.running.kaohe.assessments.get(month, 'lina'))!.self)).toEqual({
      1: 7,
    });
  });
});
