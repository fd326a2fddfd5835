import request from 'supertest';
import { RedisStateStore } from '../../src/state/redis-state-store';
import { BotHarness, lastCard } from '../helpers/bot-harness';
import { startThrowawayRedis, type ThrowawayRedis } from '../helpers/throwaway-redis';

let redis: ThrowawayRedis;
let h: BotHarness;

beforeAll(async () => {
  redis = await startThrowawayRedis();
  h = await BotHarness.start(
    // Replies through the API: what an outage delays is what this looks at.
    { WECOM_PASSIVE_REPLIES: 'off' },
    { state: RedisStateStore.connect(redis.url, 'kaohe-outage:') },
  );
}, 30_000);
afterAll(async () => {
  await h.stop();
  await redis.destroy();
});

const selfScores = async (userid: string) => {
  const doc = await h.kaohe.assessments.get('2024-05', userid);
  return doc ? Object.fromEntries(doc.self.scores) : {};
};

/** Lets time pass on the bot's clock past every retry wait, handling what is due, until nothing waits. */
async function catchUp(): Promise<void> {
  for (
    let i = 0;
    i < 20 && (await h.kaohe.backlogs()).inbox.pending + (await h.kaohe.outbox.pendingCount()) > 0;
    i++
  ) {
    h.clock.advance(16_000);
    await h.kaohe.settle();
  }
}

describe('Redis down in the middle of a form', () => {
  it('keeps every score typed meanwhile for the criterion it was meant for, and answers each', async () => {
    expect(lastCard(await h.say('zhangwei', '/self')).title).toMatch(/^1\/11 /);
    expect(lastCard(await h.say('zhangwei', '8')).title).toMatch(/^2\/11 /);
    // Skip 2: the position (in Redis) is now 3, while the first unanswered criterion is 2.
    expect(lastCard(await h.say('zhangwei', '/skip')).title).toMatch(/^3\/11 /);

    await redis.stop();
    await h.say('zhangwei', '7'); // meant for 3
    await h.say('zhangwei', '6'); // meant for 4
    // Her answer needs no conversation state: it goes out with the access token the bot
    // already holds, during the outage or, if it had none, once Redis is back.
    const linaDuring = await h.say('lina', '/help');
    const started = Date.now();
    const health = await request(h.app.callback()).get('/healthz');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ ok: false, redis: 'down' });
    // Down a while: the bot keeps retrying, and nothing is given up.
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      h.clock.advance(16_000);
      await h.kaohe.settle();
    }
    expect(await selfScores('zhangwei')).toEqual({ '1': 8 });
    expect(h.newFor('zhangwei')).toEqual([]);

    await redis.start();
    while (!(await h.state.ping())) await new Promise((r) => setTimeout(r, 100));
    await catchUp();

    expect(await selfScores('zhangwei')).toEqual({ '1': 8, '3': 7, '4': 6 });
    const seen = h.newFor('zhangwei');
    // One card per typed score, in order: 4 after 3, then 5 after 4.
    expect(seen.filter((s) => s.card).map((s) => s.card!.title.split(' ')[0])).toEqual([
      '4/11',
      '5/11',
    ]);
    const lina = [...linaDuring, ...h.newFor('lina')];
    expect(lina.filter((s) => s.text?.includes('/help（帮助）'))).toHaveLength(1);
    expect(await h.models.outbox.countDocuments({ status: 'failed' })).toBe(0);
    expect(await h.models.inbox.countDocuments({ status: { $ne: 'done' } })).toBe(0);
  }, 60_000);

  it('resumes at the first unanswered criterion with no score lost after Redis is emptied', async () => {
    await redis.admin.flushdb();
    expect(lastCard(await h.say('zhangwei', '/self')).title).toMatch(/^2\/11 /);
    expect(lastCard(await h.say('zhangwei', '9')).title).toMatch(/^5\/11 /);
    expect(await selfScores('zhangwei')).toEqual({ '1': 8, '2': 9, '3': 7, '4': 6 });
  });
});
