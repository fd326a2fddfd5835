import { encrypt } from '@wecom/crypto';
import { BotHarness, lastCard } from '../helpers/bot-harness';
import { sealCallback, sign, textCallback } from '../helpers/wecom-callback';

let h: BotHarness;
beforeAll(async () => {
  // These walk the API path (WECOM_PASSIVE_REPLIES=off); passive-replies.e2e.test.ts walks the callback path.
  h = await BotHarness.start({ WECOM_PASSIVE_REPLIES: 'off' });
});
afterAll(async () => {
  await h.stop();
});

describe('delivery: retries, outages and restarts lose nothing and repeat nothing', () => {
  it('handles the same callback delivered three times once', async () => {
    await h.say('zhangwei', '/self');
    const callback = textCallback(h.settings, { from: 'zhangwei', content: '8', msgId: '777001' });
    for (let i = 0; i < 3; i += 1) {
      const answer = await h.post(callback);
      expect(answer.status).toBe(200);
      expect(answer.text).toBe('');
    }
    await h.kaohe.settle();
    const seen = h.newFor('zhangwei');
    expect(seen).toHaveLength(1);
    expect(lastCard(seen).title).toMatch(/^2\/11 /);
    expect(await h.models.inbox.countDocuments({ key: 'wecom:msg:777001' })).toBe(1);
    const trail = await h.models.audit.countDocuments({
      entityId: '2024-05:zhangwei',
      action: 'self.score',
    });
    expect(trail).toBe(1);
  });

  it('delivers every reply exactly once when WeCom fails the first sends', async () => {
    h.fake.failNext(3, -1); // the client's three tries of the next send
    const seen = await h.say('zhangwei', '9');
    expect(seen).toHaveLength(0); // WeCom was busy: the reply waits in the outbox
    expect(await h.kaohe.outbox.pendingCount()).toBe(1);
    expect((await h.kaohe.assessments.get('2024-05', 'zhangwei'))?.self.scores.get('2')).toBe(9);
    h.clock.advance(60_000);
    await h.kaohe.settle();
    const later = h.newFor('zhangwei');
    expect(later).toHaveLength(1);
    expect(lastCard(later).title).toMatch(/^3\/11 /);
    h.clock.advance(60_000);
    await h.kaohe.settle();
    expect(h.newFor('zhangwei')).toHaveLength(0);
  });

  it('keeps what was typed when the bot stops right after answering, and handles it after restart', async () => {
    const answer = await h.post(
      textCallback(h.settings, { from: 'zhangwei', content: '7', msgId: '777002' }),
    );
    expect(answer.status).toBe(200);
    // The process dies here: nothing was handled. A new bot on the same database picks it up.
    h.build();
    await h.kaohe.settle();
    expect((await h.kaohe.assessments.get('2024-05', 'zhangwei'))?.self.scores.get('3')).toBe(7);
    expect(lastCard(h.newFor('zhangwei')).title).toMatch(/^4\/11 /);
  });

  describe('refuses what WeCom did not send, changing nothing', () => {
    const countAll = async () => ({
      inbox: await h.models.inbox.countDocuments(),
      sent: h.fake.sent.length,
      assessments: JSON.stringify(await h.models.assessments.find().lean()),
    });

    it.each([
      [
        'a forged signature',
        () => ({ ...good(), query: { ...good().query, msg_signature: 'f'.repeat(40) } }),
      ],
      [
        'a wrong corp id',
        () => sealCallback(h.settings, inner('8'), { receiveId: 'wwSomeoneElse000000' }),
      ],
      ['broken XML', () => signed('<xml><Encrypt>abc')],
      [
        'an entity bomb',
        () =>
          signed(
            `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><xml><Encrypt>&lol2;</Encrypt></xml>`,
          ),
      ],
    ])('%s → 4xx', async (_name, make) => {
      const before = await countAll();
      const answer = await h.post(make());
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      await h.kaohe.settle();
      expect(await countAll()).toEqual(before);
    });
  });
});

let n = 900;
function inner(content: string): string {
  return (
    `<xml><ToUserName><![CDATA[${h.settings.corpId}]]></ToUserName><FromUserName><![CDATA[zhangwei]]></FromUserName>` +
    `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content><![CDATA[${content}]]></Content><MsgId>${++n}</MsgId><AgentID>1000002</AgentID></xml>`
  );
}

function good() {
  return sealCallback(h.settings, inner('8'));
}

/** A body signed correctly over an Encrypt value, whatever the body's shape. */
function signed(body: string) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const encrypted = encrypt(h.settings.encodingAesKey, inner('8'), h.settings.corpId);
  const signature = sign(
    h.settings.token,
    timestamp,
    '1',
    body.includes('<Encrypt>abc') ? 'abc' : encrypted,
  );
  return { query: { msg_signature: signature, timestamp, nonce: '1' }, body };
}
