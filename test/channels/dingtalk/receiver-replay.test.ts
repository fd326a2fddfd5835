/**
 * DingTalk's sign covers only the timestamp, so each timestamp/sign pair is
 * taken once, atomically, on the real Redis: simultaneous replays of one pair
 * store one event, and a pair whose event could not be stored may be retried.
 */
import request from 'supertest';
import type { ChatEvent } from '../../../src/channels/types';
import { ManualClock } from '../../../src/lib/clock';
import type { RedisStateStore } from '../../../src/state/redis-state-store';
import { testRedisStore } from '../../helpers/redis';
import { dingtalkTestApp, signedHeaders, testDingtalkSettings } from './dingtalk-test-app';

const settings = testDingtalkSettings();
const NOW = Date.parse('2024-05-31T09:00:00+08:00');

const message = (msgId: string, sender: string) => ({
  conversationType: '1',
  msgId,
  msgtype: 'text',
  text: { content: '/status' },
  createAt: NOW - 1000,
  senderStaffId: sender,
});

let state: RedisStateStore;
beforeEach(() => {
  state = testRedisStore();
});
afterEach(async () => {
  await state.close();
});

function post(app: ReturnType<typeof dingtalkTestApp>, body: object, timestampMs: number) {
  return request(app.callback)
    .post('/dingtalk/callback')
    .set('content-type', 'application/json')
    .set(signedHeaders(settings.appSecret, timestampMs))
    .send(JSON.stringify(body));
}

describe('DingTalk replay check', () => {
  it('stores exactly one of ten simultaneous posts carrying one fresh sign, round after round', async () => {
    const clock = new ManualClock(new Date(NOW));
    const app = dingtalkTestApp(settings, { clock, state });
    for (let round = 0; round < 5; round += 1) {
      // A fresh timestamp each round: a sign never seen before, posted ten times at once.
      const timestamp = NOW - round * 1000;
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          post(app, message(`r${round}-m${i}`, `sender${i}`), timestamp),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array(9).fill(401)]);
      expect(app.events).toHaveLength(round + 1);
    }
  });

  it('gives the sign back when the event could not be stored, so the retry goes through', async () => {
    const clock = new ManualClock(new Date(NOW));
    const stored: ChatEvent[] = [];
    let failing = true;
    const app = dingtalkTestApp(settings, {
      clock,
      state,
      onEvent: async (event) => {
        if (failing) throw new Error('database down');
        stored.push(event);
      },
    });
    expect((await post(app, message('m1', 'zhangsan'), NOW)).status).toBe(500);
    failing = false;
    expect((await post(app, message('m1', 'zhangsan'), NOW)).status).toBe(200);
    expect((await post(app, message('m2', 'zhangsan'), NOW)).status).toBe(401);
    expect(stored.map((e) => e.id)).toEqual(['dingtalk:msg:m1']);
  });
});
