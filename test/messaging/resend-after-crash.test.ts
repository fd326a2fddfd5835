/**
 * A message the platform accepted just before the sender died is tried again
 * once its lease runs out. These tests play that crash on the real outbox and
 * check that the person still gets it once: WeCom drops the repeated request,
 * DingTalk finds the card by its outTrackId, and delivered pieces of a long
 * DingTalk text are not sent again.
 */
import { DingtalkClient } from '../../src/channels/dingtalk/client';
import { DingtalkMessenger } from '../../src/channels/dingtalk/messenger';
import type { Messenger, OutgoingMessage, Platform } from '../../src/channels/types';
import { WecomClient } from '../../src/channels/wecom/client';
import { WecomMessenger } from '../../src/channels/wecom/messenger';
import { ManualClock } from '../../src/lib/clock';
import { silentLogger } from '../../src/lib/logger';
import { MessageBatch } from '../../src/messaging/message-batch';
import { Outbox } from '../../src/messaging/outbox';
import { OutboxSender } from '../../src/messaging/outbox-sender';
import { MemoryStateStore } from '../../src/state/memory-state-store';
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import { startFakeDingtalk, type FakeDingtalk } from '../fakes/fake-dingtalk';
import { startFakeWecom, type FakeWecom } from '../fakes/fake-wecom';
import { scoreCard } from '../fixtures/choice-card';
import { testDingtalkSettings } from '../channels/dingtalk/dingtalk-test-app';
import { startTestDatabase, type TestDatabase } from '../helpers/database';
import { testWecomSettings } from '../helpers/wecom-callback';

let db: TestDatabase;
let models: Models;
let wecom: FakeWecom;
let dingtalk: FakeDingtalk;
let clock: ManualClock;
let outbox: Outbox;
let messengers: Map<Platform, Messenger>;

beforeAll(async () => {
  db = await startTestDatabase();
  models = createModels(db.connection);
  await ensureIndexes(models);
});
afterAll(() => db.stop());
beforeEach(async () => {
  await Promise.all([models.outbox.deleteMany({}), models.cards.deleteMany({})]);
  wecom = await startFakeWecom();
  dingtalk = await startFakeDingtalk();
  clock = new ManualClock('2024-05-25T01:00:00Z');
  outbox = new Outbox(models);
  const state = new MemoryStateStore();
  const wecomClient = new WecomClient({
    settings: testWecomSettings({ apiBase: wecom.apiBase }),
    state,
    logger: silentLogger,
    sleep: async () => {},
  });
  const dingtalkClient = new DingtalkClient({
    settings: testDingtalkSettings({ apiBase: dingtalk.apiBase }),
    state,
    logger: silentLogger,
  });
  messengers = new Map<Platform, Messenger>([
    ['wecom', new WecomMessenger(wecomClient)],
    ['dingtalk', new DingtalkMessenger(dingtalkClient, { cardTemplateId: 'tpl.schema' })],
  ]);
});
afterEach(async () => {
  await wecom.stop();
  await dingtalk.stop();
});

const sender = () => new OutboxSender(models, messengers, clock, silentLogger);

/** The dying instance: it sends the item as the sender would, then dies before marking it sent. */
async function sendThenDie(key: string): Promise<void> {
  const doc = (await models.outbox.findOne({ key }).lean())!;
  const message = (doc.payload as { message: OutgoingMessage }).message;
  await messengers.get(doc.platform)!.send(doc.userid, message, { key, now: clock.now() });
  await models.outbox.updateOne(
    { key },
    { $set: { status: 'sending', leaseUntil: new Date(clock.now().getTime() + 60_000) } },
  );
  clock.advance(61_000);
}

describe('resend after a crash', () => {
  it('WeCom: the repeated request is dropped by the duplicate check, the person gets one message', async () => {
    const item = Outbox.message('2024-05:zhangsan:notice:1', 'wecom', 'zhangsan', {
      type: 'text',
      text: '本月考核已开始。',
    });
    await outbox.enqueue([item], clock.now());
    await sendThenDie(item.key);
    expect(await sender().drain()).toBe(1);
    expect(wecom.sent).toHaveLength(1);
    expect(wecom.requests.filter((r) => r.duplicate)).toHaveLength(1);
  });

  it('WeCom: a file retried after a failed send reuses the media id stored on the item', async () => {
    const file = {
      type: 'file' as const,
      fileName: 'r.csv',
      mimeType: 'text/csv',
      data: Buffer.from('a,b'),
    };
    await outbox.enqueue([Outbox.message('report:1', 'wecom', 'boss', file)], clock.now());
    wecom.failNext(3, -1, '/message/send');
    expect(await sender().drain()).toBe(0);
    const stored = (await models.outbox.findOne({ key: 'report:1' }).lean())!;
    expect(stored.media).toEqual({ mediaId: wecom.uploads[0]!.mediaId, uploadedAt: clock.now() });
    clock.advance(600_000);
    expect(await sender().drain()).toBe(1);
    expect(wecom.uploads).toHaveLength(1);
    expect(wecom.sent).toMatchObject([{ file: { media_id: wecom.uploads[0]!.mediaId } }]);
  });

  it('DingTalk: the card is created under its stable card id, and a retry creates no second card', async () => {
    const batch = () => {
      const b = new MessageBatch('lisi', 'dingtalk', '2024-05:lisi:open');
      const { cardId: _unused, ...card } = scoreCard;
      void _unused;
      b.card(card, 'self', { month: '2024-05' });
      return b;
    };
    await batch().flush(models, outbox, clock.now());
    const doc = (await models.outbox.findOne({ userid: 'lisi' }).lean())!;
    const cardId = (doc.payload as { message: { cardId: string } }).message.cardId;
    // Built again (a repeated job), the batch stores nothing new and names the same card.
    expect(await batch().flush(models, outbox, clock.now())).toBe(0);
    expect(await models.cards.countDocuments({ cardId })).toBe(1);
    // Stored through the driver: the fields the model holds, of its types, nothing else.
    const { _id, ...stored } = (await models.cards.findOne({ cardId }).lean())!;
    expect([_id, stored]).toEqual([
      expect.anything(),
      { cardId, flow: 'self', data: { month: '2024-05' }, userid: 'lisi', createdAt: clock.now() },
    ]);
    await sendThenDie(doc.key);
    expect(await sender().drain()).toBe(1);
    expect(dingtalk.cards).toHaveLength(1);
    expect(dingtalk.cards[0]!.outTrackId).toBe(cardId);
    const creates = dingtalk.requests.filter((r) => r.path.endsWith('/createAndDeliver'));
    expect(creates).toHaveLength(2);
  });

  it('DingTalk: pieces of a long text delivered before a failure are not sent again', async () => {
    const lines = Array.from({ length: 400 }, (_, n) => `第${n}行：请完成本月自评。`);
    const item = Outbox.message('long:1', 'dingtalk', 'lisi', {
      type: 'text',
      text: lines.join('\n'),
    });
    await outbox.enqueue([item], clock.now());
    // The first piece goes through, the second is refused: the item waits for a retry.
    const pieces = () => dingtalk.sent.map((b) => (b.msgParam as { content: string }).content);
    dingtalk.failNext(1, 500, 1);
    const first = await sender().drain();
    clock.advance(600_000);
    const second = await sender().drain();
    expect([first, second]).toEqual([0, 1]);
    expect(pieces().length).toBeGreaterThan(2);
    expect(pieces().join('\n')).toBe(lines.join('\n'));
    expect(new Set(pieces()).size).toBe(pieces().length);
  });
});
