/**
 * Nothing lost, nothing twice, nothing crashes: the running bot is sent over
 * thirty kinds of bad input. Transport forgeries get a 4xx and reach no one;
 * bad input from people gets one short Chinese reply; nothing in the data
 * changes; the log holds no secret and no message text; and afterwards a
 * roster member's /status still works.
 */
import request from 'supertest';
import { NOT_ON_ROSTER } from '../../src/bot/bot';
import { signedHeaders } from '../channels/dingtalk/dingtalk-test-app';
import { lastCard, texts } from '../helpers/bot-harness';
import { textCallback } from '../helpers/wecom-callback';
import {
  dingBody,
  dingPost,
  dingReceived,
  dingSay,
  dingSettings,
  isShortChinese,
  snapshot,
  startHostileWorld,
  type HostileWorld,
} from './hostile-world';
import { wecomForgeries } from './wecom-forgeries';

let w: HostileWorld;
let before: Record<string, string>;
let zhangweiCard: string;
const HUGE_ANSWER = `1.${'1'.repeat(30_000)}`;
const MARKER = '机密内容-7f3a';

beforeAll(async () => {
  w = await startHostileWorld();
  // 张伟 is in the middle of his self-assessment, so typed numbers are scores.
  zhangweiCard = lastCard(await w.h.say('zhangwei', '/self')).taskId;
  before = await snapshot(w.h);
});
afterAll(async () => {
  await w.stop();
});

/** How many API requests (of any kind) each platform got, and how many events were stored. */
async function counts() {
  return {
    wecom: w.h.fake.requests.length,
    dingtalk: w.ding.requests.length,
    inbox: await w.h.models.inbox.countDocuments(),
  };
}

describe('hostile input', () => {
  it('refuses every WeCom transport forgery with a 4xx, storing and sending nothing', async () => {
    const start = await counts();
    const answers: Record<string, number> = {};
    const expected: Record<string, number> = {};
    for (const forgery of wecomForgeries(w.h.settings)) {
      const agent = request(w.h.app.callback());
      const method =
        forgery.method === 'PUT' ? 'put' : forgery.method === 'DELETE' ? 'delete' : 'post';
      const res = await agent[method](forgery.path)
        .set('content-type', 'text/xml')
        .send(forgery.body);
      answers[forgery.name] = res.status;
      expected[forgery.name] = forgery.status;
    }
    await w.h.kaohe.settle();
    expect(answers).toEqual(expected);
    expect(Object.keys(answers).length).toBeGreaterThanOrEqual(25);
    expect(await counts()).toEqual(start);
  });

  it('refuses a forged, a stale and a replayed DingTalk sign, storing and sending nothing', async () => {
    const captured = signedHeaders(dingSettings.appSecret, Date.now());
    expect((await dingPost(w.h, dingBody('/status', 'chenjing'), captured)).status).toBe(200);
    await w.h.kaohe.settle();
    const start = await counts();
    const forged = { ...signedHeaders(dingSettings.appSecret, Date.now()), sign: 'Zm9yZ2Vk' };
    const stale = signedHeaders(dingSettings.appSecret, Date.now() - 2 * 3600_000);
    const statuses = [
      (await dingPost(w.h, dingBody('/status', 'chenjing'), forged)).status,
      (await dingPost(w.h, dingBody('/status', 'chenjing'), stale)).status,
      (await dingPost(w.h, dingBody('/report 2024-05', 'chenjing'), captured)).status,
    ];
    await w.h.kaohe.settle();
    expect(statuses).toEqual([401, 401, 401]);
    expect(await counts()).toEqual(start);
  });

  it('stores one event for ten simultaneous posts of one fresh DingTalk sign', async () => {
    for (let round = 0; round < 3; round += 1) {
      const { inbox } = await counts();
      const headers = signedHeaders(dingSettings.appSecret, Date.now() - round);
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          dingPost(w.h, dingBody('/help', i === 0 ? 'chenjing' : `outsider${i}`), headers),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array(9).fill(401)]);
      expect((await counts()).inbox).toBe(inbox + 1);
    }
    await w.h.kaohe.settle();
  });

  it('handles a replayed WeCom envelope once', async () => {
    w.h.newFor('zhangwei');
    const start = await counts();
    const valid = textCallback(w.h.settings, {
      from: 'zhangwei',
      content: '/status',
      msgId: '777001',
    });
    // A replay is answered 200 like WeCom's own retry, but stored once and handled once.
    expect((await w.h.post(valid)).status).toBe(200);
    expect((await w.h.post(valid)).status).toBe(200);
    await w.h.kaohe.settle();
    expect((await counts()).inbox).toBe(start.inbox + 1);
    const stored = await w.h.models.inbox.findOne({ key: 'wecom:msg:777001' }).lean();
    expect(stored).toMatchObject({ status: 'done', attempts: 1 });
    // At most one reply through the API (none once it goes back inside the callback's response).
    const replies = await w.h.models.outbox.countDocuments({ key: /^evt:wecom:msg:777001:/ });
    expect(replies).toBeLessThanOrEqual(1);
    w.h.newFor('zhangwei'); // the answer to /status is not one of the next test's replies
  });

  it('answers each bad input from a person with one short Chinese reply', async () => {
    const cases: [string, string][] = [
      ['ghost', `/status ${MARKER}`],
      ['zhangwei', '-1'],
      ['zhangwei', '11'],
      ['zhangwei', '1e9'],
      ['zhangwei', '5.5'],
      ['zhangwei', HUGE_ANSWER],
      ['zhangwei', '/open 2024-06'],
      ['zhangwei', '/close 2024-05'],
      ['zhangwei', '/remind 2024-05'],
      ['zhangwei', '/report 2024-05'],
      ['zhangwei', '/amend 2024-05 K002 1 10 改分'],
      ['zhangwei', '/log K002 -2 日常 迟到'],
      ['liuyan', '/log K001 +1000 表扬 很好'],
      ['wangjl', '/report 2024-13'],
      ['wangjl', '/report 0000-00'],
      ['wangjl', "/report 2024-05' OR 1=1"],
      ['wangjl', `/open ${'9'.repeat(5000)}`],
      ['wangjl', '/report 2024-05 {"$gt":""}'],
    ];
    const wrong: string[] = [];
    for (const [user, text] of cases) {
      const replies = await w.h.say(user, text);
      const reply = texts(replies);
      if (replies.length !== 1 || !isShortChinese(reply)) {
        wrong.push(
          `${user} ${text.slice(0, 30)} → ${replies.length} replies: ${reply.slice(0, 80)}`,
        );
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers a stranger with the roster notice only, and 30,000 characters with one short reply', async () => {
    expect(texts(await w.h.say('ghost', '/help'))).toBe(NOT_ON_ROSTER);
    const reply = await w.h.say('zhangwei', HUGE_ANSWER);
    expect(reply).toHaveLength(1);
    expect(texts(reply)).toMatch(/^“1\.111111…”不是有效分数。/);
  });

  it('treats a DingTalk sender named like a WeCom person as a stranger', async () => {
    const wecomBefore = w.h.fake.sent.length;
    expect(await dingSay(w, 'wangjl', '/report 2024-05')).toEqual([NOT_ON_ROSTER]);
    expect(await dingSay(w, 'zhangwei', '1')).toEqual([NOT_ON_ROSTER]);
    expect(w.h.fake.sent.length).toBe(wecomBefore);
  });

  it('refuses taps on an unknown card and on someone else’s card', async () => {
    for (const [user, taskId] of [
      ['zhangwei', 'no-such-card'],
      ['lina', zhangweiCard],
    ] as const) {
      const reply = texts(await w.h.tap(user, taskId, '0'));
      expect(reply).toBe('这张卡片已失效。发送 /help 查看可用的命令。');
    }
  });

  it('changed nothing in the data', async () => {
    expect(await snapshot(w.h)).toEqual(before);
  });

  it('never wrote a secret or a message text to the log', () => {
    const log = w.log.join('');
    expect(log.length).toBeGreaterThan(0);
    const { secret, token, encodingAesKey } = w.h.settings;
    const leaks = [
      secret,
      token,
      encodingAesKey,
      dingSettings.appSecret,
      'fake-token-', // the fake WeCom's access tokens
      'fake-dt-token-', // the fake DingTalk's
      MARKER,
      '1111111111',
      '1=1',
      '改分',
      '很好',
    ].filter((needle) => log.includes(needle));
    expect(leaks).toEqual([]);
  });

  it('still answers a roster member’s /status afterwards', async () => {
    expect(texts(await w.h.say('zhangwei', '/status'))).toContain('自评');
    expect(dingReceived(w.ding, 'chenjing').length).toBeGreaterThan(0);
  });
});
