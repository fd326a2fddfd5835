import { scoreCard } from '../../fixtures/choice-card';
import { DingtalkClient } from '../../../src/channels/dingtalk/client';
import { DingtalkMessenger } from '../../../src/channels/dingtalk/messenger';
import { RetryableSendError } from '../../../src/channels/types';
import { silentLogger } from '../../../src/lib/logger';
import { MemoryStateStore } from '../../../src/state/memory-state-store';
import { startFakeDingtalk, type FakeDingtalk } from '../../fakes/fake-dingtalk';
import { testDingtalkSettings } from './dingtalk-test-app';

const card = scoreCard;

describe('DingtalkMessenger', () => {
  let fake: FakeDingtalk;
  let messenger: DingtalkMessenger;
  const params = () => fake.sent.map((body) => body.msgParam as Record<string, string>);

  beforeEach(async () => {
    fake = await startFakeDingtalk();
    const client = new DingtalkClient({
      settings: testDingtalkSettings({ apiBase: fake.apiBase }),
      state: new MemoryStateStore(),
      logger: silentLogger,
    });
    messenger = new DingtalkMessenger(client);
  });
  afterEach(() => fake.stop());

  it('sends text as sampleText to one person', async () => {
    await messenger.send('zhangsan', { type: 'text', text: '你好' });
    expect(fake.sent).toEqual([
      {
        robotCode: 'dingtestappkey',
        userIds: ['zhangsan'],
        msgKey: 'sampleText',
        msgParam: { content: '你好' },
      },
    ]);
  });

  it('splits text over 4000 bytes at line ends, losing nothing', async () => {
    const lines = Array.from({ length: 120 }, (_, n) => `第${n}行：本月考核尚未完成，请尽快提交。`);
    const calls = await messenger.send('zhangsan', { type: 'text', text: lines.join('\n') });
    const contents = params().map((p) => p.content ?? '');
    expect(calls).toBe(contents.length);
    expect(contents.length).toBeGreaterThan(1);
    for (const content of contents) expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4000);
    expect(contents.join('\n')).toBe(lines.join('\n'));
  });

  it('sends markdown as sampleMarkdown with its title', async () => {
    await messenger.send('zhangsan', {
      type: 'markdown',
      title: '五月考核',
      markdown: '**总分** 92',
    });
    expect(fake.sent.map((b) => b.msgKey)).toEqual(['sampleMarkdown']);
    expect(params()).toEqual([{ title: '五月考核', text: '**总分** 92' }]);
  });

  it('sends a choice card as markdown listing the options, to be answered by typing', async () => {
    await messenger.send('zhangsan', card);
    expect(fake.sent.map((b) => b.msgKey)).toEqual(['sampleMarkdown']);
    const [param] = params();
    expect(param?.title).toBe(card.title);
    const text = param?.text ?? '';
    expect(
      text.startsWith('### 3. 服务态度（10 分）\n\n热情、耐心，无投诉\n\n- **0** 0 分\n'),
    ).toBe(true);
    expect(text).toContain('- **8** 8 分（当前）');
    expect(text).toContain('- **10** 10 分');
    expect(text.split('\n').at(-1)).toBe('回复数字即可');
  });

  it('numbers options by position when their ids are not numbers', async () => {
    const options = [
      { id: 'yes', label: '同意' },
      { id: 'no', label: '不同意' },
    ];
    await messenger.send('zhangsan', { ...card, options, selected: undefined });
    expect(params()[0]?.text).toContain('- **1** 同意\n- **2** 不同意\n\n回复数字即可');
  });

  it('uploads a file and sends it as sampleFile, an image as sampleImageMsg', async () => {
    const xlsx = Buffer.from('PK fake workbook');
    await messenger.send('zhangsan', {
      type: 'file',
      fileName: '考核报表-2024-05.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      data: xlsx,
    });
    await messenger.send('zhangsan', {
      type: 'image',
      fileName: '考核图表-2024-05.png',
      data: Buffer.from('png'),
    });
    expect(fake.uploads.map((u) => [u.type, u.fileName, u.data.toString()])).toEqual([
      ['file', '考核报表-2024-05.xlsx', 'PK fake workbook'],
      ['image', '考核图表-2024-05.png', 'png'],
    ]);
    expect(fake.sent.map((b) => [b.msgKey, b.msgParam])).toEqual([
      ['sampleFile', { mediaId: '@media-1', fileName: '考核报表-2024-05.xlsx', fileType: 'xlsx' }],
      ['sampleImageMsg', { photoURL: '@media-2' }],
    ]);
  });

  it('treats an upload refused for good as not retryable, and DingTalk being down as retryable', async () => {
    fake.expireTokens();
    // An expired token is refetched once; the upload then goes through.
    await messenger.send('zhangsan', { type: 'image', fileName: 'a.png', data: Buffer.from('x') });
    expect(fake.uploads).toHaveLength(1);
    await fake.stop();
    await expect(
      messenger.send('zhangsan', { type: 'image', fileName: 'b.png', data: Buffer.from('x') }),
    ).rejects.toBeInstanceOf(RetryableSendError);
    fake = await startFakeDingtalk();
  });

  it('passes flow control on as a RetryableSendError', async () => {
    fake.flowControlled.add('zhangsan');
    await expect(messenger.send('zhangsan', { type: 'text', text: '提醒' })).rejects.toBeInstanceOf(
      RetryableSendError,
    );
  });

  it('treats updateCard as a no-op', async () => {
    await messenger.updateCard('zhangsan', {
      cardId: card.cardId,
      updateToken: 'x',
      doneLabel: '已选 8 分',
    });
    expect(fake.requests).toHaveLength(0);
  });
});
