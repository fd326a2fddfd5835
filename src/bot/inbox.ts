import type { ChatEvent } from '../channels/types';
import type { Clock } from '../lib/clock';
import { ClaimQueue, type Outcome } from '../store/claim-queue';
import type { Models } from '../store/models';
import { nextOrder } from '../store/order';
import type { InboxDoc } from '../store/models/inbox';

type Stored = InboxDoc & { _id: unknown };

const MAX_ATTEMPTS = 5;

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
        // The bot answers flow errors itself; what reaches here is infrastructure
        // (the database away). Try again a few times; the event itself stays stored either way.
        const reason = (err as Error).message;
        return doc.attempts < MAX_ATTEMPTS
          ? { retryInMs: 1000 * 2 ** doc.attempts, reason }
          : { failed: reason };
      }
    });
  }
}

function reviveDates(event: ChatEvent): ChatEvent {
  return { ...event, at: new Date(event.at) };
}
