import { randomUUID } from 'node:crypto';
import { RetryableSendError } from '../../../src/channels/types';
import { WecomApiError, WecomClient } from '../../../src/channels/wecom/client';
import { silentLogger } from '../../../src/lib/logger';
import { MemoryStateStore } from '../../../src/state/memory-state-store';
import { RedisStateStore } from '../../../src/state/redis-state-store';
import type { StateStore } from '../../../src/state/state-store';
import { startFakeWecom, type FakeWecom } from '../../fakes/fake-wecom';
import { testWecomSettings } from '../../helpers/wecom-callback';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const text = (n: number) => ({
  touser: 'zhangsan',
  msgtype: 'text',
  agentid: 1000002,
  text: { content: `m${n}` },
});

describe('WecomClient against the fake WeCom API', () => {
  let fake: FakeWecom;
  let stores: StateStore[];
  let slept: number[];
  const settings = () => testWecomSettings({ apiBase: fake.apiBase });
  const client = (state: StateStore, extra: { timeoutMs?: number } = {}) =>
    new WecomClient({
      settings: settings(),
      state,
      logger: silentLogger,
      sleep: async (ms) => void slept.push(ms),
      ...extra,
    });
  const redis = () => {
    const store = RedisStateStore.connect(REDIS_URL, `test:wecom:${randomUUID()}:`);
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    const base = testWecomSettings();
    fake = await startFakeWecom({ corpId: base.corpId, secret: base.secret });
    stores = [];
    slept = [];
  });
  afterEach(async () => {
    await fake.stop();
    const { corpId, agentId } = testWecomSettings();
    // The token key is the only thing these tests leave in Redis.
    await Promise.all(stores.map((store) => store.delete(`wecom:token:${corpId}:${agentId}`)));
    await Promise.all(stores.map((store) => store.close()));
  });

  it('fetches one token for many sends', async () => {
    const api = client(redis());
    for (let n = 0; n < 5; n++) await api.sendMessage(text(n));
    expect(fake.tokenCalls()).toBe(1);
    expect(fake.sent.map((body) => (body.text as { content: string }).content)).toEqual([
      'm0',
      'm1',
      'm2',
      'm3',
      'm4',
    ]);
  });

  it('reads the shared token once for a run of sends, and sends on with it while the store is down', async () => {
    const store = redis();
    let reads = 0;
    let down = false;
    const watched: StateStore = {
      kind: store.kind,
      get: async (key) => {
        if (down) throw new Error('store down');
        reads += 1;
        return store.get(key);
      },
      set: (key, value, ttlMs) => store.set(key, value, ttlMs),
      setIfAbsent: (key, value, ttlMs) => store.setIfAbsent(key, value, ttlMs),
      deleteIfEquals: (key, value) => store.deleteIfEquals(key, value),
      delete: (key) => store.delete(key),
      ping: () => store.ping(),
      close: async () => undefined,
    };
    const api = client(watched);
    await api.sendMessage(text(0));
    const afterFirst = reads;
    for (let n = 1; n < 20; n++) await api.sendMessage(text(n));
    expect(reads).toBe(afterFirst);
    down = true;
    await api.sendMessage(text(20));
    expect(fake.sent).toHaveLength(21);
    expect(fake.tokenCalls()).toBe(1);
  });

  it('shares one token between two clients (two instances) on one Redis, even when they start together', async () => {
    const prefix = `test:wecom:${randomUUID()}:`;
    const [a, b] = [
      RedisStateStore.connect(REDIS_URL, prefix),
      RedisStateStore.connect(REDIS_URL, prefix),
    ];
    stores.push(a, b);
    fake.setLatency(150); // keep the first refresh in flight while the second instance asks
    const first = new WecomClient({ settings: settings(), state: a, logger: silentLogger });
    const second = new WecomClient({ settings: settings(), state: b, logger: silentLogger });
    await Promise.all([
      first.sendMessage(text(1)),
      second.sendMessage(text(2)),
      first.sendMessage(text(3)),
    ]);
    expect(fake.tokenCalls()).toBe(1);
    expect(fake.sent).toHaveLength(3);
  });

  it('refetches the token and retries once when WeCom says it expired (42001)', async () => {
    const api = client(redis());
    await api.sendMessage(text(1));
    fake.expireTokens();
    await api.sendMessage(text(2));
    expect(fake.tokenCalls()).toBe(2);
    expect(
      fake.requests.filter((r) => r.path.endsWith('/message/send')).map((r) => r.errcode),
    ).toEqual([0, 42001, 0]);
    expect(fake.sent).toHaveLength(2);
  });

  it('gives up after one token retry when the new token is refused too', async () => {
    const api = client(new MemoryStateStore());
    fake.failNext(2, 42001);
    await expect(api.sendMessage(text(1))).rejects.toThrow(/errcode 42001/);
    expect(fake.tokenCalls()).toBe(2);
  });

  it.each([-1, 45009])('retries errcode %d with backoff and then succeeds', async (errcode) => {
    const api = client(new MemoryStateStore());
    fake.failNext(2, errcode);
    await api.sendMessage(text(1));
    expect(fake.requests.filter((r) => r.path.endsWith('/message/send'))).toHaveLength(3);
    expect(fake.sent).toHaveLength(1);
    expect(slept).toEqual([500, 1000]);
  });

  it('throws a RetryableSendError after three busy answers', async () => {
    const api = client(new MemoryStateStore());
    fake.failNext(3, 45009);
    const error = await api.sendMessage(text(1)).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RetryableSendError);
    expect((error as RetryableSendError).retryAfterMs).toBe(60_000);
    expect(fake.sent).toHaveLength(0);
  });

  it.each(['http503', 'reset'] as const)(
    'throws a RetryableSendError when WeCom is down (%s)',
    async (mode) => {
      const api = client(new MemoryStateStore());
      await api.sendMessage(text(1));
      fake.setDown(mode);
      await expect(api.sendMessage(text(2))).rejects.toBeInstanceOf(RetryableSendError);
    },
  );

  it('throws a RetryableSendError when gettoken itself is unreachable', async () => {
    fake.setDown('http503');
    await expect(client(new MemoryStateStore()).sendMessage(text(1))).rejects.toBeInstanceOf(
      RetryableSendError,
    );
  });

  it('treats an answer slower than the timeout as a network failure', async () => {
    const api = client(new MemoryStateStore(), { timeoutMs: 100 });
    fake.setLatency(400);
    await expect(api.sendMessage(text(1))).rejects.toBeInstanceOf(RetryableSendError);
  });

  it('throws a non-retryable error carrying the errcode for other refusals', async () => {
    const api = client(new MemoryStateStore());
    fake.failNext(1, 40003);
    const error = await api.sendMessage(text(1)).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(WecomApiError);
    expect(error).not.toBeInstanceOf(RetryableSendError);
    expect((error as WecomApiError).errcode).toBe(40003);
    expect((error as Error).message).toContain('40003');
    expect(fake.requests.filter((r) => r.path.endsWith('/message/send'))).toHaveLength(1);
  });

  it('reports a wrong secret as a non-retryable error from gettoken', async () => {
    const api = new WecomClient({
      settings: testWecomSettings({ apiBase: fake.apiBase, secret: 'wrong' }),
      state: new MemoryStateStore(),
      logger: silentLogger,
    });
    await expect(api.sendMessage(text(1))).rejects.toThrow(/gettoken.*40001/);
  });

  it('uploads media as multipart and returns the media_id', async () => {
    const api = client(new MemoryStateStore());
    const data = Buffer.from('月度考核，工号\n1,2\n');
    const mediaId = await api.uploadMedia('file', '2024-05 考核.csv', data);
    expect(fake.uploads).toEqual([{ type: 'file', fileName: '2024-05 考核.csv', data, mediaId }]);
  });
});
