import type { CardUpdate, OutgoingMessage, Platform, ReplyChannel } from '../channels/types';
import { onlyDuplicateKeys } from '../store/duplicate-keys';
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
  /** Not sent before this time (scheduled messages wait for working hours); default: at once. */
  notBefore?: Date;
  /** For a reply to an event: that event's reply channel (see ChatEvent.replyTo). */
  replyTo?: ReplyChannel;
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
   * event or a repeated job writes nothing new. Returns the items that were new.
   */
  async enqueue(items: OutboxItem[], now: Date): Promise<OutboxItem[]> {
    if (items.length === 0) return [];
    const docs = items.map((item) => ({
      ...item,
      status: 'pending' as const,
      attempts: 0,
      order: nextOrder(now),
      leaseUntil: null,
      notBefore: item.notBefore ?? now,
      createdAt: now,
      finishedAt: null,
      lastError: null,
    }));
    try {
      const inserted = await this.models.outbox.insertMany(docs, { ordered: false });
      return newOnes(items, inserted);
    } catch (err) {
      if (!onlyDuplicateKeys(err)) throw err;
      const e = err as { insertedDocs?: { key: string }[] };
      return newOnes(items, e.insertedDocs ?? []);
    }
  }

  /** Messages not yet sent (pending or being sent), for status pages and tests. */
  async pendingCount(): Promise<number> {
    return this.models.outbox.countDocuments({ status: { $in: ['pending', 'sending'] } });
  }
}

function newOnes(items: OutboxItem[], inserted: { key: string }[]): OutboxItem[] {
  const keys = new Set(inserted.map((d) => d.key));
  return items.filter((item) => keys.has(item.key));
}
