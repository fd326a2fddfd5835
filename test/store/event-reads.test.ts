/**
 * Reads asked for together share one aggregate (EventReadRepository): each
 * must get exactly what a read of its own gives — its person (or none, for a
 * stranger or another platform's person of that userid), its own tapped card,
 * and whether its own person's earlier events still wait.
 */
import { loadConfig } from '../../config';
import { ManualClock } from '../../src/lib/clock';
import { Inbox } from '../../src/messaging/inbox';
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import { EventReadRepository, type EventReads } from '../../src/store/repositories/event-reads';
import { AuditLog } from '../../src/store/repositories/audit-log';
import { MonthRepository } from '../../src/store/repositories/months';
import type { ChatEvent } from '../../src/channels/types';
import { recordCommands } from '../helpers/command-log';
import { startTestDatabase, type TestDatabase } from '../helpers/database';

let db: TestDatabase;
let models: Models;
const t0 = new Date('2024-05-25T01:00:00Z');

beforeAll(async () => {
  db = await startTestDatabase();
  models = createModels(db.connection);
  await ensureIndexes(models);
  const person = (userid: string, platform: 'wecom' | 'dingtalk') => ({
    userid,
    name: userid,
    employeeNo: `E-${userid}`,
    roles: ['staff' as const],
    platform,
    joinedAt: t0,
    updatedAt: t0,
  });
  await models.people.create([person('lina', 'wecom'), person('wang', 'dingtalk')]);
  await models.cards.create([
    { cardId: 'c-lina', userid: 'lina', flow: 'form', data: { n: 1 }, createdAt: t0 },
    { cardId: 'c-other', userid: 'lina', flow: 'form', data: { n: 2 }, createdAt: t0 },
  ]);
  await new MonthRepository(models, new AuditLog(models)).openMonth(
    '2024-05',
    loadConfig({}).assessment,
    'cron',
    t0,
  );
});
afterAll(async () => {
  await db.stop();
});

const event = (id: string, userId: string): ChatEvent => ({
  id,
  platform: 'wecom',
  userId,
  at: t0,
  kind: 'text',
  text: '1',
});

/** What a result says, without the stored documents' ids and dates. */
function said(r: EventReads) {
  return {
    person: r.person ? `${r.person.platform}:${r.person.userid}` : null,
    months: r.openMonths.map((m) => m.key),
    card: r.card ? r.card.cardId : null,
    earlierWaiting: r.earlierWaiting,
  };
}

it('reads asked for together share one aggregate, each answered as if read alone', async () => {
  const inbox = new Inbox(models, new ManualClock(t0.toISOString()));
  // lina has an event still being handled; it is earlier than `later`, not than `sooner`.
  const sooner = 1;
  const waiting = await inbox.acceptInline(event('wecom:msg:1', 'lina'));
  if (waiting.kind !== 'claimed') throw new Error('not claimed');
  const later = waiting.order + 1;
  const asks: Parameters<EventReadRepository['read']>[] = [
    ['wecom', 'lina', 'c-lina', later],
    ['wecom', 'lina', 'c-other', sooner],
    ['wecom', 'nobody', undefined, later],
    ['wecom', 'wang', undefined, later], // wang is on DingTalk: not this identity
    ['wecom', 'lina', 'c-missing'],
  ];
  const alone = [];
  for (const ask of asks) alone.push(said(await new EventReadRepository(models).read(...ask)));
  const reads = new EventReadRepository(models);
  const { result, commands } = await recordCommands(() =>
    Promise.all(asks.map((ask) => reads.read(...ask))),
  );
  expect(result.map(said)).toEqual(alone);
  expect(alone).toEqual([
    { person: 'wecom:lina', months: ['2024-05'], card: 'c-lina', earlierWaiting: true },
    { person: 'wecom:lina', months: ['2024-05'], card: 'c-other', earlierWaiting: false },
    { person: null, months: [], card: null, earlierWaiting: false },
    { person: null, months: [], card: null, earlierWaiting: false },
    { person: 'wecom:lina', months: ['2024-05'], card: null, earlierWaiting: false },
  ]);
  // Asked for in one turn of the event loop: one aggregate for all five.
  expect(commands).toEqual(['people.aggregate']);
});

it('strangers alone are asked about their earlier events on their own', async () => {
  const reads = new EventReadRepository(models);
  const results = await Promise.all([
    reads.read('wecom', 'nobody', undefined, Number.MAX_SAFE_INTEGER),
    reads.read('wecom', 'ghost', undefined, Number.MAX_SAFE_INTEGER),
  ]);
  expect(results.map(said)).toEqual([
    { person: null, months: [], card: null, earlierWaiting: false },
    { person: null, months: [], card: null, earlierWaiting: false },
  ]);
});
