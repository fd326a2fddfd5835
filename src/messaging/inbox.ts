import { Types } from 'mongoose';
import type { ChatEvent, InlineReply } from '../channels/types';
import type { Clock } from '../lib/clock';
import { storeOutageRetry } from '../lib/retry-policy';
import { ClaimQueue, type Outcome } from './claim-queue';
import { GroupCommit, writeErrorsByIndex } from '../store/group-commit';
import type { Models } from '../store/models';
import { nextOrder } from '../store/order';
import type { InboxDoc } from '../store/models/inbox';

type Stored = InboxDoc & { _id: unknown };
type NewDoc = InboxDoc & { _id: Types.ObjectId };

// Waits of 1 s doubling to 15 s: a 30 s database or 15 s Redis outage costs at most one more wait.
const RETRY = storeOutageRetry({ baseMs: 1000, maxMs: 15_000, maxOtherAttempts: 5 });
// An event handled inside its callback is held this long; if its handler dies, the poller takes it.
const INLINE_LEASE_MS = 60_000;
// An inserted field left undefined (an event's absent `replyTo`) is left out, as mongoose's
// documents leave it; the driver alone would store null. (Its updates keep them as null,
// as the model's updateOne did.)
const KEEP_AS_MONGOOSE = { ignoreUndefined: true };

/** How an event stored for an answer inside its callback stands. */
export type InlineAcceptance =
  | { kind: 'claimed'; id: unknown; order: number }
  | { kind: 'duplicate'; reply: InlineReply | null };

/**
 * Received events, durable before the platform is answered. Each person's
 * events are handled one at a time in the order they arrived, by whichever
 * instance claims them; a retried delivery is stored once and handled once.
 */
export class Inbox {
  private readonly queue: ClaimQueue<Stored>;
  // The callbacks in flight share their inserts and their finishes (see GroupCommit).
  private readonly inserts: GroupCommit<NewDoc, 'stored' | 'duplicate'>;
  private readonly finishes: GroupCommit<{ id: unknown; set: Record<string, unknown> }, void>;

  constructor(
    private readonly models: Pick<Models, 'inbox'>,
    private readonly clock: Clock,
  ) {
    this.queue = new ClaimQueue<Stored>(models.inbox as never, clock, {
      statuses: { waiting: 'pending', working: 'processing', done: 'done', failed: 'failed' },
      concurrency: 8,
      leaseMs: 60_000,
      batchSize: 500,
    });
    this.inserts = new GroupCommit((docs) => this.insertAll(docs));
    this.finishes = new GroupCommit((marks) => this.finishAll(marks));
  }

  /** Stores an event; false when this delivery was stored before (a platform retry). */
  async accept(event: ChatEvent): Promise<boolean> {
    const now = this.clock.now();
    try {
      await this.models.inbox.create({
        key: event.id,
        userid: event.userId,
        event,
        status: 'pending',
        order: nextOrder(now),
        notBefore: now,
        leaseUntil: null,
        attempts: 0,
        receivedAt: now,
        finishedAt: null,
        lastError: null,
      });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  /**
   * Stores an event already claimed by this instance, to handle it at once and
   * answer inside the callback; a retried delivery is `duplicate`, with the
   * answer the first one got. The claimed event is out of its person's line:
   * its handler must first see that none of the person's earlier events still
   * wait (the bot asks with its one read, from `order`), or give it back with
   * `release`, so that order holds.
   */
  async acceptInline(event: ChatEvent): Promise<InlineAcceptance> {
    const now = this.clock.now();
    const order = nextOrder(now);
    const doc = inboxDocument(event, {
      status: 'processing',
      order,
      now,
      leaseUntil: new Date(now.getTime() + INLINE_LEASE_MS),
    });
    if ((await this.inserts.add(doc)) === 'stored') return { kind: 'claimed', id: doc._id, order };
    const stored = await this.models.inbox.findOne({ key: event.id }, { reply: 1 }).lean();
    return { kind: 'duplicate', reply: stored?.reply ?? null };
  }

  /** Keeps the answer given inside the callback of a claimed event. */
  async storeReply(id: unknown, reply: InlineReply): Promise<void> {
    await this.models.inbox.updateOne({ _id: id }, { $set: { reply } });
  }

  /** A claimed event was handled; `reply` is the answer it got inside the callback, if not stored yet. */
  async finish(id: unknown, reply: InlineReply | null = null): Promise<void> {
    const set = { status: 'done', leaseUntil: null, finishedAt: this.clock.now() };
    await this.finishes.add({ id, set: reply ? { ...set, reply } : set });
  }

  /**
   * Inserts the callbacks' events in one command; a key stored before is
   * `duplicate`. The model's native collection, not `create`: the hot path
   * would pay mongoose's document, casting and validation for values that are
   * already of their schema's types (`inboxDocument` builds exactly what
   * `create` stored, test/messaging/inbox-writes.test.ts holds it).
   */
  private async insertAll(docs: NewDoc[]): Promise<('stored' | 'duplicate' | Error)[]> {
    const collection = this.models.inbox.collection;
    try {
      if (docs.length === 1) await collection.insertOne(docs[0]!, KEEP_AS_MONGOOSE);
      else await collection.insertMany(docs, { ...KEEP_AS_MONGOOSE, ordered: false });
      return docs.map(() => 'stored');
    } catch (err) {
      if (docs.length === 1 && (err as { code?: number }).code === 11000) return ['duplicate'];
      const errors = writeErrorsByIndex(err);
      if (errors.size === 0) throw err;
      return docs.map((_, i) => {
        const error = errors.get(i);
        if (!error) return 'stored';
        return (error as { code?: number }).code === 11000 ? 'duplicate' : error;
      });
    }
  }

  /**
   * Marks the callbacks' events done in one command (native, as insertAll: the
   * values are the schema's types; an undefined in a reply is stored null, as
   * the model's updateOne stored it).
   */
  private async finishAll(marks: { id: unknown; set: Record<string, unknown> }[]): Promise<void[]> {
    const collection = this.models.inbox.collection;
    const update = (set: Record<string, unknown>) => ({ $set: set, $inc: { attempts: 1 } });
    if (marks.length === 1) {
      await collection.updateOne({ _id: marks[0]!.id as never }, update(marks[0]!.set));
      return [undefined];
    }
    const ops = marks.map(({ id, set }) => ({
      updateOne: { filter: { _id: id as never }, update: update(set) },
    }));
    try {
      await collection.bulkWrite(ops, { ordered: false });
      return marks.map(() => undefined);
    } catch (err) {
      const errors = writeErrorsByIndex(err);
      if (errors.size === 0) throw err;
      return marks.map((_, i) => errors.get(i) as never);
    }
  }

  /** A claimed event goes back to wait for the poller (handling failed, or others are before it). */
  async release(id: unknown, reason: string | null): Promise<void> {
    const now = this.clock.now();
    await this.models.inbox.updateOne(
      { _id: id },
      {
        $set: {
          status: 'pending',
          leaseUntil: null,
          notBefore: reason ? new Date(now.getTime() + 1000) : now,
          lastError: reason,
        },
        ...(reason ? { $inc: { attempts: 1 } } : {}),
      },
    );
  }

  /** Handles every stored event that is due; returns how many were handled. */
  drain(handle: (event: ChatEvent) => Promise<unknown>): Promise<number> {
    return this.queue.drain(async (doc): Promise<Outcome> => {
      try {
        await handle(reviveDates(doc.event));
        return { done: true };
      } catch (err) {
        // The bot answers flow errors itself; what reaches here is infrastructure (Redis
        // or the database away), retried until it is back; the event stays stored either way.
        const reason = (err as Error).message;
        const wait = RETRY(err, doc.attempts);
        return wait === null ? { failed: reason } : { retryInMs: wait, reason };
      }
    });
  }
}

function reviveDates(event: ChatEvent): ChatEvent {
  const { replyTo } = event;
  return {
    ...event,
    at: new Date(event.at),
    ...(replyTo ? { replyTo: { ...replyTo, expiresAt: new Date(replyTo.expiresAt) } } : {}),
  };
}

/** The inbox document of a received event, field for field what the model's `create` stores (defaults included). */
export function inboxDocument(
  event: ChatEvent,
  at: { status: InboxDoc['status']; order: number; now: Date; leaseUntil: Date | null },
): NewDoc {
  return {
    _id: new Types.ObjectId(),
    key: event.id,
    userid: event.userId,
    event,
    status: at.status,
    order: at.order,
    notBefore: at.now,
    leaseUntil: at.leaseUntil,
    claimedBy: null,
    attempts: 0,
    receivedAt: at.now,
    finishedAt: null,
    lastError: null,
    reply: null,
  };
}
