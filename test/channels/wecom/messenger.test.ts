import { scoreCard } from '../../fixtures/choice-card';
import { RetryableSendError } from '../../../src/channels/types';
import { WecomApiError, WecomClient } from '../../../src/channels/wecom/client';
import {
  DUPLICATE_CHECK_BASE_S,
  WecomMessenger,
  duplicateCheckInterval,
} from '../../../src/channels/wecom/messenger';
import { silentLogger } from '../../../src/lib/logger';
import { MemoryStateStore } from '../../../src/state/memory-state-store';
import { startFakeWecom, type FakeWecom } from '../../fakes/fake-wecom';
import { testWecomSettings } from '../../helpers/wecom-callback';

const card = scoreCard;
// Without a context the interval is the one derived from the empty key.
const CHECK = { enable_duplicate_check: 1, duplicate_check_interval: duplicateCheckInterval() };

describe('WecomMessenger', () => {
  let fake: FakeWecom;
  let messenger: WecomMessenger;
  const contents = () => fake.sent.map((body) => (body.text as { content: string }).content);

  beforeEach(async () => {
    fake = await startFakeWecom();
    const settings = testWecomSettings({ apiBase: fake.apiBase });
    const client = new WecomClient({
      settings,
      state: new MemoryStateStore(),
      logger: silentLogger,
    });
    messenger = new WecomMessenger(client);
  });
  afterEach(() => fake.stop());

  it('sends text to one person through the app', async () => {
    await messenger.send('zhangsan', { type: 'text', text: '你好' });
    expect(fake.sent).toEqual([
      {
        touser: 'zhangsan',
        agentid: 1000002,
        msgtype: 'text',
        text: { content: '你好' },
        ...CHECK,
      },
    ]);
  });

  it('splits text over 2048 bytes at line breaks, losing nothing', async () => {
    const lines = Array.from({ length: 60 }, (_, n) => `第${n}行：本月考核尚未完成，请尽快提交。`);
    await messenger.send('zhangsan', { type: 'text', text: lines.join('\n') });
    expect(fake.sent.length).toBeGreaterThan(1);
    for (const content of contents()) expect(Buffer.byteLength(content)).toBeLessThanOrEqual(2048);
    expect(contents().join('\n')).toBe(lines.join('\n'));
  });

  it('splits one long line between characters, never inside one', async () => {
    const line = '考核'.repeat(1500); // 9000 bytes, no line break
    // The count of API messages is what the outbox's per-person limit adds up.
    expect(await messenger.send('zhangsan', { type: 'text', text: line })).toBe(5);
    expect(contents().map((c) => Buffer.byteLength(c))).toEqual([2046, 2046, 2046, 2046, 816]);
    expect(contents().join('')).toBe(line);
  });

  it('sends markdown content', async () => {
    await messenger.send('zhangsan', { type: 'markdown', title: '结果', markdown: '**总分** 92' });
    expect(fake.sent[0]).toMatchObject({
      msgtype: 'markdown',
      markdown: { content: '**总分** 92' },
    });
  });

  it('sends a choice card as a single-choice vote_interaction template card', async () => {
    await messenger.send('zhangsan', card);
    expect(fake.sent).toEqual([
      {
        touser: 'zhangsan',
        agentid: 1000002,
        msgtype: 'template_card',
        template_card: {
          card_type: 'vote_interaction',
          task_id: 'kh-2024-05-zhangsan-c3-1',
          main_title: { title: '3. 服务态度（10 分）', desc: '热情、耐心，无投诉' },
          checkbox: {
            question_key: 'c3',
            mode: 0,
            option_list: card.options.map((o) => ({
              id: o.id,
              text: o.label,
              is_checked: o.id === '8',
            })),
          },
          submit_button: { text: '确定', key: 'submit' },
        },
        ...CHECK,
      },
    ]);
  });

  it('refuses a card WeCom would refuse, before calling it', async () => {
    await expect(messenger.send('zhangsan', { ...card, cardId: 'has space' })).rejects.toThrow(
      /card id/,
    );
    const options = Array.from({ length: 21 }, (_, n) => ({ id: `${n}`, label: `${n}` }));
    await expect(messenger.send('zhangsan', { ...card, options })).rejects.toThrow(/options/);
    expect(fake.requests).toEqual([]);
  });

  it('updates a tapped card with its response code and a done label', async () => {
    await messenger.updateCard('zhangsan', {
      cardId: card.cardId,
      updateToken: 'RC1',
      doneLabel: '已选 8 分',
    });
    expect(fake.updates).toEqual([
      {
        userids: ['zhangsan'],
        agentid: 1000002,
        response_code: 'RC1',
        button: { replace_name: '已选 8 分' },
      },
    ]);
  });

  it('uploads a file and sends it by media_id', async () => {
    const data = Buffer.from('a,b\n1,2\n');
    await messenger.send('wangwu', {
      type: 'file',
      fileName: 'report.csv',
      mimeType: 'text/csv',
      data,
    });
    expect(fake.uploads).toMatchObject([{ type: 'file', fileName: 'report.csv', data }]);
    expect(fake.sent).toEqual([
      {
        touser: 'wangwu',
        agentid: 1000002,
        msgtype: 'file',
        file: { media_id: fake.uploads[0]?.mediaId },
        ...CHECK,
      },
    ]);
  });

  it('uploads an image and sends it by media_id', async () => {
    await messenger.send('wangwu', {
      type: 'image',
      fileName: 'chart.png',
      data: Buffer.from([137, 80, 78, 71]),
    });
    expect(fake.uploads[0]?.type).toBe('image');
    expect(fake.sent[0]).toMatchObject({
      msgtype: 'image',
      image: { media_id: fake.uploads[0]?.mediaId },
    });
  });

  it('reports an unknown person as a non-retryable error', async () => {
    fake.invalidUsers.add('ghost');
    const error = await messenger
      .send('ghost', { type: 'text', text: 'hi' })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(WecomApiError);
    expect(error).not.toBeInstanceOf(RetryableSendError);
  });

  it('reports a person listed in invaliduser as a non-retryable error even on errcode 0', async () => {
    fake.invalidUsers.add('ghost');
    fake.setInvalidUserErrcode(0);
    await expect(messenger.send('ghost', { type: 'text', text: 'x' })).rejects.toThrow(
      /invaliduser ghost/,
    );
    expect(
      fake.requests.filter((r) => r.path.endsWith('/message/send')).map((r) => r.errcode),
    ).toEqual([0]);
  });
});

describe('WecomMessenger: the same outbox item makes the same request', () => {
  let fake: FakeWecom;
  let messenger: WecomMessenger;
  const now = new Date('2024-05-25T01:00:00Z');
  const sendBodies = () =>
    fake.requests.filter((r) => r.path.endsWith('/message/send')).map((r) => r.body);

  beforeEach(async () => {
    fake = await startFakeWecom();
    const settings = testWecomSettings({ apiBase: fake.apiBase });
    const state = new MemoryStateStore();
    messenger = new WecomMessenger(new WecomClient({ settings, state, logger: silentLogger }));
  });
  afterEach(() => fake.stop());

  it('asks WeCom to drop a repeat, within an interval that outlasts the lease and the backoff', async () => {
    await messenger.send('zhangsan', card, { key: '2024-05:zhangsan:open:1', now });
    const body = sendBodies()[0]!;
    expect(Object.keys(body)).toEqual([
      'touser',
      'msgtype',
      'agentid',
      'template_card',
      'enable_duplicate_check',
      'duplicate_check_interval',
    ]);
    expect(body.enable_duplicate_check).toBe(1);
    expect(body.duplicate_check_interval).toBeGreaterThanOrEqual(DUPLICATE_CHECK_BASE_S);
    expect(body.duplicate_check_interval).toBeLessThanOrEqual(14_400);
  });

  it('a retry after a lost answer sends the same bytes, and the person gets it once', async () => {
    const context = { key: 'event:m1:1', now };
    const message = { type: 'text' as const, text: '已记录。' };
    // WeCom accepted the first try but its answer was lost: the sender tries the same item again.
    await messenger.send('zhangsan', message, context);
    await messenger.send('zhangsan', message, context);
    const [first, second] = sendBodies();
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(fake.sent).toHaveLength(1);
    expect(fake.requests.filter((r) => r.duplicate)).toHaveLength(1);
  });

  it('two different items with the same text are both delivered', async () => {
    const message = { type: 'text' as const, text: '请输入 0–10 的数字。' };
    await messenger.send('zhangsan', message, { key: 'event:m1:1', now });
    await messenger.send('zhangsan', message, { key: 'event:m2:1', now });
    expect(fake.sent).toHaveLength(2);
  });

  it('equal pieces of one long text are distinct requests, each delivered once', async () => {
    const line = '考核'.repeat(1500);
    const context = { key: 'event:m3:1', now };
    await messenger.send('zhangsan', { type: 'text', text: line }, context);
    await messenger.send('zhangsan', { type: 'text', text: line }, context);
    expect(fake.sent).toHaveLength(5);
    expect(fake.requests.filter((r) => r.duplicate)).toHaveLength(5);
  });

  it('a file retried reuses the media id stored by the first try, so the body is the same', async () => {
    const stored: { mediaId: string; uploadedAt: Date }[] = [];
    const file = {
      type: 'file' as const,
      fileName: 'r.csv',
      mimeType: 'text/csv',
      data: Buffer.from('a'),
    };
    const context = () => ({
      key: '2024-05:manager:report:2',
      now,
      media: stored.at(-1) ?? null,
      rememberMedia: async (m: { mediaId: string; uploadedAt: Date }) => void stored.push(m),
    });
    fake.failNext(3, -1, '/message/send'); // the first try uploads, then WeCom is busy
    await expect(messenger.send('wangwu', file, context())).rejects.toBeInstanceOf(
      RetryableSendError,
    );
    await messenger.send('wangwu', file, context());
    await messenger.send('wangwu', file, context());
    expect(fake.uploads).toHaveLength(1);
    expect(stored).toEqual([{ mediaId: fake.uploads[0]!.mediaId, uploadedAt: now }]);
    expect(fake.sent).toHaveLength(1);
  });

  it('uploads again once the stored medium is older than two and a half days', async () => {
    const old = { mediaId: 'media-old', uploadedAt: new Date(now.getTime() - 61 * 3600_000) };
    const image = { type: 'image' as const, fileName: 'c.png', data: Buffer.from([1]) };
    await messenger.send('wangwu', image, { key: 'k', now, media: old });
    expect(fake.uploads).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ image: { media_id: fake.uploads[0]!.mediaId } });
  });

  it('a card whose task_id WeCom has seen (after the check expired) counts as delivered', async () => {
    await messenger.send('zhangsan', card, { key: 'a', now });
    // Another key gives another interval, so the check does not catch it: WeCom answers 42014.
    await expect(messenger.send('zhangsan', card, { key: 'b', now })).resolves.toBe(1);
    expect(fake.requests.map((r) => r.errcode)).toContain(42014);
    expect(fake.sent).toHaveLength(1);
  });
});
