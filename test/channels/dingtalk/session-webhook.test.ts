/**
 * Replies to a typed DingTalk message go through that message's session
 * webhook while it is valid, and through batchSend otherwise. The webhook is
 * served by the fake API, over real HTTP.
 */
import { scoreCard } from '../../fixtures/choice-card';
import { DingtalkClient } from '../../../src/channels/dingtalk/client';
import { DingtalkMessenger } from '../../../src/channels/dingtalk/messenger';
import { ManualClock } from '../../../src/lib/clock';
import { silentLogger } from '../../../src/lib/logger';
import { MemoryStateStore } from '../../../src/state/memory-state-store';
import { startFakeDingtalk, type FakeDingtalk } from '../../fakes/fake-dingtalk';
import { testDingtalkSettings } from './dingtalk-test-app';

const MINUTE = 60_000;

describe('DingtalkMessenger with a reply channel', () => {
  const clock = new ManualClock('2024-05-26T02:00:00Z');
  let fake: FakeDingtalk;
  let messenger: DingtalkMessenger;
  const channel = (session: string, minutes: number) => ({
    url: fake.sessionWebhook(session),
    expiresAt: new Date(clock.now().getTime() + minutes * MINUTE),
  });

  beforeEach(async () => {
    fake = await startFakeDingtalk();
    const client = new DingtalkClient({
      settings: testDingtalkSettings({ apiBase: fake.apiBase }),
      state: new MemoryStateStore(),
      logger: silentLogger,
    });
    messenger = new DingtalkMessenger(client, { clock });
  });
  afterEach(() => fake.stop());

  it('posts text to the session webhook, with the app token, and not to batchSend', async () => {
    await messenger.send(
      'zhangsan',
      { type: 'text', text: '已记录 8 分。' },
      {
        key: 'k',
        now: new Date(),
        replyTo: channel('s-1', 60),
      },
    );
    expect(fake.sent).toEqual([]);
    expect(fake.sessionSent).toEqual([
      { session: 's-1', body: { msgtype: 'text', text: { content: '已记录 8 分。' } } },
    ]);
    const post = fake.requests.find((r) => r.path === '/robot/sendBySession');
    expect(post?.token).toMatch(/^fake-dt-token-/);
  });

  it('sends a card without a template as markdown through the webhook', async () => {
    await messenger.send('zhangsan', scoreCard, {
      key: 'k',
      now: new Date(),
      replyTo: channel('s-2', 60),
    });
    expect(fake.sent).toEqual([]);
    const body = fake.sessionSent[0]!.body as {
      msgtype: string;
      markdown: { title: string; text: string };
    };
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.title).toBe(scoreCard.title);
    expect(body.markdown.text).toContain('回复数字即可');
  });

  it('uses batchSend once the webhook has expired, or is about to', async () => {
    await messenger.send(
      'zhangsan',
      { type: 'text', text: '一' },
      { key: 'k', now: new Date(), replyTo: channel('old', -1) },
    );
    await messenger.send(
      'zhangsan',
      { type: 'text', text: '二' },
      {
        key: 'k',
        now: new Date(),
        replyTo: { ...channel('edge', 0), expiresAt: new Date(clock.now().getTime() + 1000) },
      },
    );
    expect(fake.sessionSent).toEqual([]);
    expect(fake.sent.map((b) => (b.msgParam as { content: string }).content)).toEqual(['一', '二']);
  });

  it('never posts to a webhook on another host (the address came in a callback body)', async () => {
    await messenger.send(
      'zhangsan',
      { type: 'text', text: '你好' },
      {
        key: 'k',
        now: new Date(),
        replyTo: {
          url: 'http://127.0.0.1:9/robot/sendBySession?session=x',
          expiresAt: new Date(clock.now().getTime() + 60 * MINUTE),
        },
      },
    );
    expect(fake.sessionSent).toEqual([]);
    expect(fake.sent).toHaveLength(1);
  });

  it('falls back to batchSend when the webhook refuses the message', async () => {
    const replyTo = channel('s-3', 60);
    await messenger.send('zhangsan', { type: 'text', text: '本月考核已开始。' });
    // The cached token goes stale: the fake's webhook answers errcode 300001 for it.
    fake.expireTokens();
    await messenger.send(
      'zhangsan',
      { type: 'text', text: '你好' },
      { key: 'k', now: new Date(), replyTo },
    );
    expect(fake.sessionSent).toEqual([]);
    expect(fake.requests.filter((r) => r.path === '/robot/sendBySession')).toHaveLength(1);
    expect(fake.sent.map((b) => (b.msgParam as { content: string }).content)).toEqual([
      '本月考核已开始。',
      '你好',
    ]);
  });

  it('keeps batchSend when there is no reply channel (a message that starts a conversation)', async () => {
    await messenger.send('zhangsan', { type: 'text', text: '本月考核已开始。' });
    expect(fake.sessionSent).toEqual([]);
    expect(fake.sent).toHaveLength(1);
  });
});
