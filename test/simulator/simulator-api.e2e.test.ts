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
      '现在没有进行中的考核,请先点"开始本月"。',
    );
    expect((await call('/simulator/api/demo', {})).status).toBe(200);
    const again = await call('/simulator/api/demo', {});
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('名单里已经有人了,示例团队只能加载到空名单。');
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

  it('turns a tap on a card into a signed card event: the score is stored and the card is done', async () => {
    const opened = await call('/simulator/api/month/open', {});
    expect(opened.body.text).toMatch(/^已开始\d{4}年\d{1,2}月考核,已通知 7 人。$/);
    const card = await waitFor('chenjing', (e) => e.kind === 'card');
    const checkbox = card.card!.checkbox as { question_key: string };
    const submitKey = (card.card!.submit_button as { key: string }).key;
    const tap = (optionIds: string[], key = submitKey) =>
      call(`/simulator/api/chats/chenjing/cards/${card.id}`, {
        eventKey: key,
        selected: [{ questionKey: checkbox.question_key, optionIds }],
      });

    expect((await tap(['11'])).status).toBe(422);
    expect((await tap(['9'], 'forged-key')).status).toBe(422);
    expect(
      (
        await call(`/simulator/api/chats/lina/cards/${card.id}`, {
          eventKey: submitKey,
          selected: [],
        })
      ).status,
    ).toBe(404);

    expect((await tap(['9'])).status).toBe(200);
    await waitFor('chenjing', (e) => e.id === card.id && e.replacedLabel !== undefined);
    await waitFor('chenjing', (e) => e.kind === 'card' && e.id !== card.id);
    const month = (await call('/simulator/api/overview')).body.currentMonth as string;
    const doc = await bot.running.kaohe.assessments.get(month, 'chenjing');
    expect(scoresOf(doc!.self)).toEqual({ 1: 9 });

    const again = await tap(['8']);
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('这张卡片已经提交过了。');
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
      eventKey: (card.card!.submit_button as { key: string }).key,
      selected: [{ questionKey: 'score', optionIds: ['7'] }],
    });
    expect(tapped.status).toBe(200);
    await waitFor('lina', (e) => e.id === card.id && e.replacedLabel === '已选 7 分');
    const month = (await call('/simulator/api/overview')).body.currentMonth as string;
    expect(scoresOf((await bot.running.kaohe.assessments.get(month, 'lina'))!.self)).toEqual({
      1: 7,
    });
  });
});
