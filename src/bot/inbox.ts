import type { ChatEvent } from '../channels/types';
import type { Clock } from '../lib/clock';
import { storeOutageRetry } from '../lib/retry-policy';
import { ClaimQueue, type Outcome } from '../store/claim-queue';
import type { Models } from '../store/models';
import { nextOrder } from '../store/order';
import type { InboxDoc } from '../store/models/inbox';

type Stored = InboxDoc & { _id: unknown };

// Waits of 1 s doubling to 15 s: a 30 s database or 15 s Redis outage costs at most one more wait.
const RETRY = storeOutageRetry({ baseMs: 1000, maxMs: 15_000, maxOtherAttempts: 5 });

/**
 * Received events, durable before the platform is answered. Each person's
 * events are handled one at a time in the order they arrived, by whichever
 * instance claims them; a retried delivery is stored once and handled once.
 */
export class Inbox {
  private readonly queue: ClaimQueue<Stored>;

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

  /** Handles every stored event that is due; returns how many were handled. */
  drain(handle: (event: ChatEvent) => Promise<void>): Promise<number> {
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
  return { ...event, at: new Date(event.at) };
}
