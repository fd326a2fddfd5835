import type { CardUpdate, OutgoingMessage, Platform } from '../channels/types';
import type { Models } from '../store/models';
import { nextOrder } from '../store/order';
import type { OutboxPayload } from '../store/models/outbox';

/** One message for one person, with the durable key that makes writing it twice harmless. */
export interface OutboxItem {
  /** Unique for this notification, e.g. `event:<id>:1` or `2024-05:zhangwei:result`. */
  key: string;
  platform: Platform;
  userid: string;
  payload: OutboxPayload;
}

/** Durable outgoing messages: whatever is written here is sent once, in order, by the sender. */
export class Outbox {
  constructor(private readonly models: Pick<Models, 'outbox'>) {}

  /** A message to send. */
  static message(
    key: string,
    platform: Platform,
    userid: string,
    message: OutgoingMessage,
  ): OutboxItem {
    return { key, platform, userid, payload: { kind: 'send', message } };
  }

  /** A card to mark as answered. */
  static cardUpdate(
    key: string,
    platform: Platform,
    userid: string,
    update: CardUpdate,
  ): OutboxItem {
    return { key, platform, userid, payload: { kind: 'update', update } };
  }

  /**
   * Stores messages to send; a key already stored is skipped, so a retried
   * event or a repeated job writes nothing new. Returns how many were new.
   */
  async enqueue(items: OutboxItem[], now: Date, notBefore: Date = now): Promise<number> {
    if (items.length === 0) return 0;
    const docs = items.map((item) => ({
      ...item,
      status: 'pending' as const,
      attempts: 0,
      order: nextOrder(now),
      leaseUntil: null,
      notBefore,
      createdAt: now,
      finishedAt: null,
      lastError: null,
    }));
    try {
      const inserted = await this.models.outbox.insertMany(docs, { ordered: false });
      return inserted.length;
    } catch (err) {
      const e = err as {
        code?: number;
        writeErrors?: { code?: number; err?: { code?: number } }[];
        insertedDocs?: unknown[];
      };
      const codes = (e.writeErrors ?? []).map((w) => w.code ?? w.err?.code);
      const onlyDuplicates =
        e.code === 11000 || (codes.length > 0 && codes.every((c) => c === 11000));
      if (!onlyDuplicates) throw err;
      return e.insertedDocs?.length ?? items.length - codes.length;
    }
  }

  /** Messages not yet sent (pending or being sent), for status pages and tests. */
  async pendingCount(): Promise<number> {
    return this.models.outbox.countDocuments({ status: { $in: ['pending', 'sending'] } });
  }
}
