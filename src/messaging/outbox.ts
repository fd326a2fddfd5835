import type { CardUpdate, OutgoingMessage, Platform, ReplyChannel } from '../channels/types';
import { onlyDuplicateKeys } from '../store/duplicate-keys';
import type { Models } from '../store/models';
import { nextOrder } from '../store/order';
import type { OutboxDoc, OutboxPayload } from '../store/models/outbox';

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

// Passed on to the driver as they are; mongoose's types do not list ignoreUndefined.
const LEAN_INSERT = { ordered: false, lean: true, ignoreUndefined: true } as const;

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
    // Every field the schema stores, defaults included: the insert is lean (see below).
    const docs = items.map((item): OutboxDoc => ({
      ...item,
      status: 'pending',
      order: nextOrder(now),
      leaseUntil: null,
      claimedBy: null,
      attempts: 0,
      notBefore: item.notBefore ?? now,
      createdAt: now,
      finishedAt: null,
      apiCalls: null,
      lastError: null,
      media: null,
      piecesSent: 0,
    }));
    try {
      // Lean: a month's opening stores 10,000 messages, and a mongoose document for each
      // (built, validated, turned back into an object) was a sixth of the fan-out's garbage.
      // These documents are built right here from typed items, so the checks add nothing;
      // undefined fields are left out, as mongoose leaves them out.
      const inserted = await this.models.outbox.insertMany(docs, LEAN_INSERT);
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
