/**
 * The inbox's hot-path writes skip mongoose's documents (native collection,
 * group commit): what they store must be what `create` and the model's
 * `updateOne` stored, and callbacks in flight together must each get their
 * own outcome (stored, or a retried delivery).
 */
import type { ChatEvent, InlineReply } from '../../src/channels/types';
import { ManualClock } from '../../src/lib/clock';
import { Inbox, inboxDocument } from '../../src/messaging/inbox';
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import { startTestDatabase, type TestDatabase } from '../helpers/database';
import { recordCommands } from '../helpers/command-log';

let db: TestDatabase;
let models: Models;
let clock: ManualClock;
let inbox: Inbox;

beforeAll(async () => {
  db = await startTestDatabase();
  models = createModels(db.connection);
  await ensureIndexes(models);
});
afterAll(async () => {
  await db.stop();
});
beforeEach(async () => {
  await models.inbox.deleteMany({});
  clock = new ManualClock('2024-05-25T01:00:00Z');
  inbox = new Inbox(models, clock);
});

const at = new Date('2024-05-25T00:59:58Z');
const text = (id: string, userId = 'lina'): ChatEvent => ({
  id,
  platform: 'wecom',
  userId,
  at,
  kind: 'text',
  text: '8',
});
// A tap with nothing selected keeps its empty `selections` (the schema does not minimize).
const tap: ChatEvent = {
  id: 'wecom:evt:1',
  platform: 'wecom',
  userId: 'lina',
  at,
  kind: 'action',
  action: { cardId: 'c1', key: 'submit', selections: {} },
};
const card: InlineReply = {
  type: 'card',
  card: {
    type: 'buttons',
    cardId: 'c1',
    title: '完成',
    description: '',
    buttons: [],
    lockedLabel: undefined,
  },
};

const raw = (key: string) => models.inbox.collection.findOne({ key });

describe('inbox writes', () => {
  it.each([
    ['a text', text('wecom:msg:1')],
    ['a tap with no selections', tap],
    // Fields left undefined are left out, as mongoose's documents leave them out (not null).
    [
      'fields left undefined',
      { ...tap, replyTo: undefined, action: { ...tap.action!, updateToken: undefined } },
    ],
  ])('an event accepted inline is stored as create stored it: %s', async (_, event) => {
    const accepted = await inbox.acceptInline(event);
    expect(accepted.kind).toBe('claimed');
    const mine = await raw(event.id);
    // The same fields through the model, as acceptInline wrote them before.
    const twin = inboxDocument(
      { ...event, id: `${event.id}:twin` },
      {
        status: 'processing',
        order: mine!.order as number,
        now: clock.now(),
        leaseUntil: mine!.leaseUntil as Date,
      },
    );
    const { _id, claimedBy, reply, ...given } = twin;
    void claimedBy;
    void reply;
    await models.inbox.create({ ...given, _id });
    const theirs = await raw(twin.key);
    expect({ ...theirs, _id: mine!._id, key: event.id, event: mine!.event }).toEqual(mine);
    expect(Object.keys(theirs!)).toEqual(Object.keys(mine!));
    // Read back, a null where mongoose left a field out would differ.
    expect(mine!.event).toEqual({ ...theirs!.event, id: event.id });
    expect(JSON.stringify(mine!.event)).toBe(JSON.stringify({ ...theirs!.event, id: event.id }));
  });

  it('a finish stores what the model update stored', async () => {
    const a = await inbox.acceptInline(text('wecom:msg:1'));
    const b = await inbox.acceptInline(text('wecom:msg:2'));
    if (a.kind !== 'claimed' || b.kind !== 'claimed') throw new Error('not claimed');
    await inbox.finish(a.id, card);
    await models.inbox.updateOne(
      { _id: b.id },
      {
        $set: { status: 'done', leaseUntil: null, finishedAt: clock.now(), reply: card },
        $inc: { attempts: 1 },
      },
    );
    const [mine, theirs] = [await raw('wecom:msg:1'), await raw('wecom:msg:2')];
    const differ = ['_id', 'key', 'event', 'order'];
    const same = (d: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(d).filter(([k]) => !differ.includes(k)));
    expect(same(mine!)).toEqual(same(theirs!));
    expect(mine).toMatchObject({ status: 'done', attempts: 1, leaseUntil: null });
    expect((mine!.reply as { card: { lockedLabel: unknown } }).card.lockedLabel).toBeNull();
  });

  it('events accepted together share one insert, each with its own outcome', async () => {
    const lone = await recordCommands(() => inbox.acceptInline(text('wecom:msg:0')));
    expect(lone.commands).toEqual(['inbox.insertOne']);
    const events = [
      text('wecom:msg:1', 'a'),
      text('wecom:msg:0', 'lina'), // a retried delivery of one stored before
      text('wecom:msg:2', 'b'),
      text('wecom:msg:2', 'b'), // the same delivery twice in one batch
      text('wecom:msg:3', 'c'),
    ];
    const { result, commands } = await recordCommands(() =>
      Promise.all(events.map((e) => inbox.acceptInline(e))),
    );
    expect(result.map((r) => r.kind)).toEqual([
      'claimed',
      'duplicate',
      'claimed',
      'duplicate',
      'claimed',
    ]);
    // Asked for in one turn of the event loop: one insert for all five.
    expect(commands.filter((c) => c.startsWith('inbox.insert'))).toEqual(['inbox.insertMany']);
    expect(await models.inbox.countDocuments()).toBe(4);
  });

  it('finishes asked for together share one write', async () => {
    const accepted = await Promise.all([1, 2, 3].map((n) => inbox.acceptInline(text(`m${n}`))));
    const finish = async (a: (typeof accepted)[number]) => {
      if (a.kind !== 'claimed') throw new Error('not claimed');
      await inbox.finish(a.id, null);
    };
    const lone = await recordCommands(() => finish(accepted[0]!));
    expect(lone.commands).toEqual(['inbox.updateOne']);
    const { commands } = await recordCommands(() => Promise.all(accepted.slice(1).map(finish)));
    expect(commands).toEqual(['inbox.bulkWrite']);
    const done = await models.inbox.find({ status: 'done', attempts: 1 }).lean();
    expect(done.map((d) => d.key).sort()).toEqual(['m1', 'm2', 'm3']);
    expect(done.every((d) => d.reply === null && d.finishedAt !== null)).toBe(true);
  });
});
