import { randomUUID } from 'node:crypto';
import { DingtalkApiError, DingtalkClient } from '../../../src/channels/dingtalk/client';
import { RetryableSendError } from '../../../src/channels/types';
import { silentLogger } from '../../../src/lib/logger';
import { MemoryStateStore } from '../../../src/state/memory-state-store';
import { RedisStateStore } from '../../../src/state/redis-state-store';
import type { StateStore } from '../../../src/state/state-store';
import { startFakeDingtalk, type FakeDingtalk } from '../../fakes/fake-dingtalk';
import { testDingtalkSettings } from './dingtalk-test-app';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const BATCH_SEND = '/v1.0/robot/oToMessages/batchSend';

describe('DingtalkClient against the fake DingTalk API', () => {
  let fake: FakeDingtalk;
  let stores: StateStore[];
  const client = (state: StateStore = new MemoryStateStore(), secret?: string) =>
    new DingtalkClient({
      settings: testDingtalkSettings({
        apiBase: fake.apiBase,
        ...(secret && { appSecret: secret }),
      }),
      state,
      logger: silentLogger,
    });
  const sends = () => fake.requests.filter((r) => r.path === BATCH_SEND);

  beforeEach(async () => {
    const { appKey, appSecret } = testDingtalkSettings();
    fake = await startFakeDingtalk({ appKey, appSecret });
    stores = [];
  });
  afterEach(async () => {
    await fake.stop();
    await Promise.all(
      stores.map((store) => store.delete(`dingtalk:token:${testDingtalkSettings().appKey}`)),
    );
    await Promise.all(stores.map((store) => store.close()));
  });

  it('fetches one token for many sends, stored in Redis, and sends the documented body', async () => {
    const store = RedisStateStore.connect(REDIS_URL, `test:dingtalk:${randomUUID()}:`);
    stores.push(store);
    const api = client(store);
    for (let n = 0; n < 3; n++) {
      const result = await api.batchSend(['zhangsan'], 'sampleText', { content: `m${n}` });
      expect(result.processQueryKey).toMatch(/^pqk-/);
    }
    expect(fake.tokenCalls()).toBe(1);
    expect(await store.get('dingtalk:token:dingtestappkey')).toBe('fake-dt-token-1');
    expect(sends().every((r) => r.token === 'fake-dt-token-1')).toBe(true);
    expect(sends()[0]?.body).toEqual({
      robotCode: 'dingtestappkey',
      userIds: ['zhangsan'],
      msgKey: 'sampleText',
      msgParam: '{"content":"m0"}',
    });
  });

  it.each([401, 400, 403])(
    'drops a refused token (HTTP %d InvalidAuthentication), refetches it and retries once',
    async (status) => {
      const api = client();
      await api.batchSend(['zhangsan'], 'sampleText', { content: 'a' });
      fake.expireTokens(status);
      await api.batchSend(['zhangsan'], 'sampleText', { content: 'b' });
      expect(fake.tokenCalls()).toBe(2);
      expect(sends().map((r) => r.status)).toEqual([200, status, 200]);
      expect(fake.sent).toHaveLength(2);
    },
  );

  it('gives up after one token retry when the new token is refused too', async () => {
    const api = client();
    fake.failNext(2, 401);
    const error = await api
      .batchSend(['zhangsan'], 'sampleText', { content: 'a' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DingtalkApiError);
    expect(fake.tokenCalls()).toBe(2);
    expect(sends()).toHaveLength(2);
  });

  it.each([500, 503, 429])('throws a RetryableSendError on HTTP %d', async (status) => {
    const api = client();
    fake.failNext(1, status);
    const error = await api
      .batchSend(['zhangsan'], 'sampleText', { content: 'a' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableSendError);
    expect(fake.sent).toHaveLength(0);
  });

  it('throws a RetryableSendError when the API is unreachable', async () => {
    const api = client();
    await fake.stop();
    await expect(
      api.batchSend(['zhangsan'], 'sampleText', { content: 'a' }),
    ).rejects.toBeInstanceOf(RetryableSendError);
  });

  it('throws a RetryableSendError, worth a later try, for a flow-controlled person', async () => {
    fake.flowControlled.add('zhangsan');
    const error = await client()
      .batchSend(['zhangsan'], 'sampleText', { content: 'a' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableSendError);
    expect((error as RetryableSendError).retryAfterMs).toBeGreaterThan(0);
  });

  it('throws a non-retryable DingtalkApiError for a person DingTalk does not know', async () => {
    fake.invalidUsers.add('ghost');
    const error = await client()
      .batchSend(['ghost'], 'sampleText', { content: 'a' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DingtalkApiError);
    expect(error).not.toBeInstanceOf(RetryableSendError);
    expect((error as Error).message).toContain('ghost');
  });

  it('reports a wrong secret as a non-retryable error, without the secret in it', async () => {
    const error = await client(new MemoryStateStore(), 'wrong-secret')
      .batchSend(['zhangsan'], 'sampleText', { content: 'a' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DingtalkApiError);
    expect((error as Error).message).toMatch(/accessToken.*400/);
    expect((error as Error).message).not.toContain('wrong-secret');
  });
});
