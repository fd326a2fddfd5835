import { WecomClient } from '../../src/channels/wecom/client';
import { WecomMessenger } from '../../src/channels/wecom/messenger';
import type { Messenger, Platform } from '../../src/channels/types';
import { ManualClock } from '../../src/lib/clock';
import { silentLogger } from '../../src/lib/logger';
import { Outbox } from '../../src/messaging/outbox';
import { OutboxSender } from '../../src/messaging/outbox-sender';
import { MemoryStateStore } from '../../src/state/memory-state-store';
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import { startFakeWecom, type FakeWecom } from '../fakes/fake-wecom';
import { startTestDatabase, type TestDatabase } from '../helpers/database';
import { testWecomSettings } from '../helpers/wecom-callback';

let db: TestDatabase;
let models: Models;
let fake: FakeWecom;
let clock: ManualClock;
let outbox: Outbox;

beforeAll(async () => {
  db = await startTestDatabase();
  models = createModels(db.connection);
  await ensureIndexes(models);
});
afterAll(async () => {
  await db.stop();
});
beforeEach(async () => {
  await models.outbox.deleteMany({});
  const base = testWecomSettings();
  fake = await startFakeWecom({ corpId: base.corpId, secret: base.secret });
  clock = new ManualClock('2024-05-25T01:00:00Z');
  outbox = new Outbox(models);
});
afterEach(async () => {
  await fake.stop();
});

function sender(): OutboxSender {
  const client = new WecomClient({
    settings: testWecomSettings({ apiBase: fake.apiBase }),
    state: new MemoryStateStore(),
    logger: silentLogger,
    sleep: async () => {},
  });
  const messengers = new Map<Platform, Messenger>([['wecom', new WecomMessenger(client)]]);
  return new OutboxSender(models, messengers, clock, silentLogger);
}

const texts = (userid: string, count: number, from = 1) =>
  Array.from({ length: count }, (_, i) =>
    Outbox.message(`${userid}:${from + i}`, 'wecom', userid, {
      type: 'text',
      text: `第${from + i}条`,
    }),
  );

/** What the fake WeCom received, as "user:text" in arrival order. */
const received = () =>
  fake.sent.map((b) => `${b.touser as string}:${(b.text as { content: string }).content}`);

describe('outbox', () => {
  it('stores a key once, however often it is written', async () => {
    expect(await outbox.enqueue(texts('zhangwei', 3), clock.now())).toHaveLength(3);
    expect(await outbox.enqueue(texts('zhangwei', 4), clock.now())).toHaveLength(1);
    expect(await models.outbox.countDocuments()).toBe(4);
    await sender().drain();
    expect(received()).toEqual([
      'zhangwei:第1条',
      'zhangwei:第2条',
      'zhangwei:第3条',
      'zhangwei:第4条',
    ]);
  });

  it('stores what a mongoose document of the schema would, its defaults included', async () => {
    // enqueue inserts lean; the reference goes through the model, checked and defaulted.
    const [item] = texts('zhangwei', 1);
    const { _id, ...reference } = new models.outbox({
      ...item,
      key: 'reference',
      order: 1,
      notBefore: clock.now(),
      createdAt: clock.now(),
    }).toObject();
    void _id;
    await outbox.enqueue([item!], clock.now());
    const stored = await db.connection.db!.collection('outbox').findOne({ key: item!.key });
    expect(stored).toEqual({
      ...reference,
      _id: expect.anything(),
      key: item!.key,
      order: expect.any(Number),
    });
    expect(Object.keys(stored!).sort()).toEqual(['_id', ...Object.keys(reference)].sort());
  });

  it('keeps messages while WeCom is down and sends them later, in order, once', async () => {
    await outbox.enqueue([...texts('zhangwei', 3), ...texts('lina', 2)], clock.now());
    fake.setDown('http503');
    expect(await sender().drain()).toBe(0);
    expect(fake.sent).toHaveLength(0);
    expect(await outbox.pendingCount()).toBe(5);

    fake.setDown(false);
    expect(await sender().drain()).toBe(0); // still waiting out its backoff
    clock.advance(5 * 60_000);
    expect(await sender().drain()).toBe(5);
    expect(received().filter((r) => r.startsWith('zhangwei'))).toEqual([
      'zhangwei:第1条',
      'zhangwei:第2条',
      'zhangwei:第3条',
    ]);
    expect(received().filter((r) => r.startsWith('lina'))).toEqual(['lina:第1条', 'lina:第2条']);
    expect(await sender().drain()).toBe(0);
    expect(fake.sent).toHaveLength(5);
  });

  it('retries a busy WeCom (-1, 45009) and still delivers every message exactly once', async () => {
    await outbox.enqueue(texts('zhangwei', 3), clock.now());
    fake.failNext(3, -1); // the client's own three tries of the first message all fail
    await sender().drain();
    expect(fake.sent).toHaveLength(0);
    fake.failNext(1, 45009);
    clock.advance(120_000);
    await sender().drain();
    expect(received()).toEqual(['zhangwei:第1条', 'zhangwei:第2条', 'zhangwei:第3条']);
  });

  it('never sends one person more than 30 messages a minute', async () => {
    await outbox.enqueue(texts('zhangwei', 35), clock.now());
    expect(await sender().drain()).toBe(30);
    clock.advance(30_000);
    expect(await sender().drain()).toBe(0);
    clock.advance(31_000);
    expect(await sender().drain()).toBe(5);
    expect(received().at(-1)).toBe('zhangwei:第35条');
  });

  it('counts each piece of a long text against the 30 a minute', async () => {
    // 5,000 bytes go out as three WeCom messages of at most 2,048 bytes.
    const long = (i: number) =>
      Outbox.message(`zhangwei:long:${i}`, 'wecom', 'zhangwei', {
        type: 'text',
        text: 'a'.repeat(5000),
      });
    await outbox.enqueue(
      Array.from({ length: 12 }, (_, i) => long(i)),
      clock.now(),
    );
    expect(await sender().drain()).toBe(10);
    expect(fake.sent).toHaveLength(30);
    expect(await models.outbox.findOne({ key: 'zhangwei:long:0' }).lean()).toMatchObject({
      status: 'sent',
      apiCalls: 3,
    });
    clock.advance(30_000);
    expect(await sender().drain()).toBe(0);
    clock.advance(31_000);
    expect(await sender().drain()).toBe(2);
    expect(fake.sent).toHaveLength(36);
  });

  it('gives up on a message WeCom refuses for good, and goes on with the rest', async () => {
    fake.invalidUsers.add('ghost');
    await outbox.enqueue([...texts('ghost', 1), ...texts('lina', 1)], clock.now());
    await sender().drain();
    expect(received()).toEqual(['lina:第1条']);
    expect(await models.outbox.findOne({ key: 'ghost:1' }).lean()).toMatchObject({
      status: 'failed',
    });
  });

  it('sends each message once when two instances drain at the same time', async () => {
    await outbox.enqueue(
      [...texts('zhangwei', 10), ...texts('lina', 10), ...texts('chenjing', 10)],
      clock.now(),
    );
    fake.setLatency(5);
    await Promise.all([sender().drain(), sender().drain(), sender().drain()]);
    expect(fake.sent).toHaveLength(30);
    expect(new Set(received()).size).toBe(30);
    for (const user of ['zhangwei', 'lina', 'chenjing']) {
      const mine = received().filter((r) => r.startsWith(`${user}:`));
      expect(mine).toEqual(Array.from({ length: 10 }, (_, i) => `${user}:第${i + 1}条`));
    }
  });

  it('takes over a message left by a sender that crashed mid-send, once its lease ends', async () => {
    await outbox.enqueue(texts('zhangwei', 2), clock.now());
    // A sender claimed the first message and died before sending it.
    await models.outbox.updateOne(
      { key: 'zhangwei:1' },
      { $set: { status: 'sending', leaseUntil: new Date(clock.now().getTime() + 60_000) } },
    );
    expect(await sender().drain()).toBe(0);
    clock.advance(61_000);
    expect(await sender().drain()).toBe(2);
    expect(received()).toEqual(['zhangwei:第1条', 'zhangwei:第2条']);
  });
});
