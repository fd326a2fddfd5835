/**
 * The claim queue over many passes: a pass of a few items at a time, so that
 * a drain takes several and the passes overlap (a worker moves on to the next
 * pass while the slowest line of the current one is still being worked).
 */
import { ManualClock } from '../../src/lib/clock';
import { ClaimQueue, type Outcome } from '../../src/messaging/claim-queue';
import { Outbox } from '../../src/messaging/outbox';
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import type { OutboxDoc } from '../../src/store/models/outbox';
import { startTestDatabase, type TestDatabase } from '../helpers/database';

type Stored = OutboxDoc & { _id: unknown };

let db: TestDatabase;
let models: Models;
let clock: ManualClock;

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
  clock = new ManualClock('2024-05-25T01:00:00Z');
});

const queue = (concurrency: number, batchSize: number) =>
  new ClaimQueue<Stored>(models.outbox as never, clock, {
    statuses: { waiting: 'pending', working: 'sending', done: 'sent', failed: 'failed' },
    concurrency,
    leaseMs: 60_000,
    batchSize,
  });

/** `count` messages for each person, enqueued person after person. */
async function enqueue(people: string[], count: number): Promise<void> {
  const items = people.flatMap((userid) =>
    Array.from({ length: count }, (_, i) =>
      Outbox.message(`${userid}:${i + 1}`, 'wecom', userid, { type: 'text', text: `第${i + 1}条` }),
    ),
  );
  await new Outbox(models).enqueue(items, clock.now());
}

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('claim queue', () => {
  it('works every item once over many passes, each person in order and one at a time', async () => {
    const people = Array.from({ length: 12 }, (_, i) => `p${i}`);
    // Three items a person and passes of five items: a person's items span passes.
    await enqueue(people, 3);
    const worked: string[] = [];
    const busy = new Set<string>();
    let inFlight = 0;
    let mostInFlight = 0;
    let overlapped = false;
    const done = await queue(3, 5).drain(async (item): Promise<Outcome> => {
      if (busy.has(item.userid)) overlapped = true;
      busy.add(item.userid);
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      worked.push(item.key);
      inFlight -= 1;
      busy.delete(item.userid);
      return { done: true };
    });

    expect(done).toBe(36);
    expect(new Set(worked).size).toBe(36);
    for (const p of people)
      expect(worked.filter((k) => k.startsWith(`${p}:`))).toEqual([`${p}:1`, `${p}:2`, `${p}:3`]);
    expect(overlapped).toBe(false);
    expect(mostInFlight).toBeLessThanOrEqual(3);
    expect(await models.outbox.countDocuments({ status: 'sent' })).toBe(36);
    expect(await queue(3, 5).drain(async () => ({ done: true }))).toBe(0);
  });

  it('starts the next pass while a slow line of the current one is still being worked', async () => {
    await enqueue(['slow', 'a', 'b', 'c', 'd', 'e'], 1);
    const slow = gate();
    const order: string[] = [];
    const drained = queue(2, 2).drain(async (item): Promise<Outcome> => {
      order.push(`start ${item.userid}`);
      if (item.userid === 'slow') await slow.opened;
      order.push(`end ${item.userid}`);
      // Everyone else is through while the slow one still waits.
      if (item.userid === 'e') slow.open();
      return { done: true };
    });

    expect(await drained).toBe(6);
    // The first pass is slow and a; the others went by on the second worker meanwhile.
    expect(order.indexOf('start e')).toBeLessThan(order.indexOf('end slow'));
    expect(await models.outbox.countDocuments({ status: 'sent' })).toBe(6);
  });

  it("leaves a person's later items to a later drain when an earlier one must wait", async () => {
    await enqueue(['p0', 'p1', 'p2', 'p3'], 2);
    const worked: string[] = [];
    const done = await queue(2, 3).drain(async (item): Promise<Outcome> => {
      worked.push(item.key);
      return item.key === 'p1:1' ? { retryInMs: 60_000, reason: 'busy' } : { done: true };
    });

    expect(done).toBe(6);
    expect(worked).not.toContain('p1:2');
    expect(await models.outbox.countDocuments({ status: 'pending' })).toBe(2);

    clock.advance(61_000);
    const later: string[] = [];
    expect(
      await queue(2, 3).drain(async (item) => {
        later.push(item.key);
        return { done: true };
      }),
    ).toBe(2);
    expect(later).toEqual(['p1:1', 'p1:2']);
  });
});
