/**
 * The fake WeCom's duplicate check, spoken to with raw requests: the chaos runs
 * count deliveries from it, so its model must be right before their figures mean anything.
 */
import { startFakeWecom, type FakeWecom } from './fake-wecom';

describe('fake WeCom: message/send duplicate check', () => {
  let fake: FakeWecom;
  let clock = 0;
  let token = '';

  const send = async (body: string) => {
    const url = `${fake.apiBase}/message/send?access_token=${token}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return (await response.json()) as { errcode: number; msgid?: string };
  };
  const text = (content: string, check?: { interval?: number; on?: number }) =>
    JSON.stringify({
      touser: 'zhangsan',
      msgtype: 'text',
      agentid: 1,
      text: { content },
      ...(check ? { enable_duplicate_check: check.on ?? 1 } : {}),
      ...(check?.interval ? { duplicate_check_interval: check.interval } : {}),
    });

  beforeEach(async () => {
    clock = 1_000_000;
    fake = await startFakeWecom({ now: () => clock });
    const issued = await fetch(`${fake.apiBase}/gettoken?corpid=c&corpsecret=s`);
    token = ((await issued.json()) as { access_token: string }).access_token;
  });
  afterEach(() => fake.stop());

  it('answers a repeat inside the interval ok, with the first msgid, and does not deliver it', async () => {
    const first = await send(text('hi', { interval: 60 }));
    clock += 59_000;
    const again = await send(text('hi', { interval: 60 }));
    expect(again).toEqual(first);
    expect(fake.sent).toHaveLength(1);
    expect(fake.requests.map((r) => r.duplicate ?? false)).toEqual([false, false, true]);
  });

  it('delivers a repeat once the interval (default 1800 s) has passed', async () => {
    await send(text('hi', {}));
    clock += 1_799_000;
    await send(text('hi', {}));
    clock += 2_000;
    await send(text('hi', {}));
    expect(fake.sent).toHaveLength(2);
  });

  it('checks nothing unless enable_duplicate_check is 1', async () => {
    await send(text('hi'));
    await send(text('hi'));
    await send(text('hi', { on: 0 }));
    await send(text('hi', { on: 0 }));
    expect(fake.sent).toHaveLength(4);
  });

  it('compares bytes: other content, or the same fields in another order, is delivered', async () => {
    await send(text('hi', {}));
    await send(text('hello', {}));
    const reordered = JSON.stringify({
      msgtype: 'text',
      touser: 'zhangsan',
      agentid: 1,
      text: { content: 'hi' },
      enable_duplicate_check: 1,
    });
    await send(reordered);
    expect(fake.sent).toHaveLength(3);
  });

  it('refuses a card whose task_id was delivered before with 42014', async () => {
    const card = (interval: number) =>
      JSON.stringify({
        touser: 'zhangsan',
        msgtype: 'template_card',
        agentid: 1,
        template_card: { card_type: 'vote_interaction', task_id: 't1' },
        enable_duplicate_check: 1,
        duplicate_check_interval: interval,
      });
    expect((await send(card(60))).errcode).toBe(0);
    expect((await send(card(60))).errcode).toBe(0);
    expect((await send(card(61))).errcode).toBe(42014);
    expect(fake.sent).toHaveLength(1);
  });

  it('fails a share of calls when told to, and none after', async () => {
    let n = 0;
    fake.failRandomly(0.5, -1, () => (n++ % 2 === 0 ? 0.1 : 0.9));
    const answers = [];
    for (const c of ['a', 'b', 'c', 'd']) answers.push((await send(text(c))).errcode);
    fake.failRandomly(0, -1);
    answers.push((await send(text('e'))).errcode);
    expect(answers).toEqual([-1, 0, -1, 0, 0]);
    expect(fake.sent).toHaveLength(3);
  });
});
