import { scoreCard } from '../../fixtures/choice-card';
import { RetryableSendError } from '../../../src/channels/types';
import { WecomApiError, WecomClient } from '../../../src/channels/wecom/client';
import { WecomMessenger } from '../../../src/channels/wecom/messenger';
import { silentLogger } from '../../../src/lib/logger';
import { MemoryStateStore } from '../../../src/state/memory-state-store';
import { startFakeWecom, type FakeWecom } from '../../fakes/fake-wecom';
import { testWecomSettings } from '../../helpers/wecom-callback';

const card = scoreCard;

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
      { touser: 'zhangsan', agentid: 1000002, msgtype: 'text', text: { content: '你好' } },
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
