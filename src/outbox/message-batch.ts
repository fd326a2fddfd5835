import { createHash } from 'node:crypto';
import type { CardUpdate, ChoiceCard, OutgoingMessage, Platform } from '../channels/types';
import type { Models } from '../store/models';
import { Outbox, type OutboxItem } from './outbox';

/**
 * Messages for one person, collected and then stored together. Every key is
 * derived from `keyPrefix` (an event id, or month + person + kind), so building
 * the same batch again — a retried event, a repeated job, a second instance —
 * stores nothing new, and card ids come out the same.
 */
export class MessageBatch {
  private readonly items: OutboxItem[] = [];
  private readonly cards: { cardId: string; flow: string; data: Record<string, unknown> }[] = [];

  constructor(
    readonly userid: string,
    readonly platform: Platform,
    private readonly keyPrefix: string,
    /** Not sent before this time (scheduled messages wait for working hours). */
    readonly notBefore?: Date,
  ) {}

  /** Adds a text or a message. */
  add(message: OutgoingMessage | string): void {
    const msg: OutgoingMessage =
      typeof message === 'string' ? { type: 'text', text: message } : message;
    this.push(Outbox.message(this.nextKey(), this.platform, this.userid, msg));
  }

  /** Adds a choice card whose taps go to `flow` with `data`. */
  card(
    card: Omit<ChoiceCard, 'type' | 'cardId'>,
    flow: string,
    data: Record<string, unknown>,
  ): void {
    const key = this.nextKey();
    const cardId = `k${createHash('sha256').update(key).digest('hex').slice(0, 30)}`;
    this.cards.push({ cardId, flow, data });
    this.push(Outbox.message(key, this.platform, this.userid, { type: 'choice', cardId, ...card }));
  }

  /** Marks a tapped card as answered. */
  cardUpdate(update: CardUpdate): void {
    this.push(Outbox.cardUpdate(this.nextKey(), this.platform, this.userid, update));
  }

  /** What was added so far. */
  get size(): number {
    return this.items.length;
  }

  /** Stores the cards, then the messages; idempotent. Returns how many messages were new. */
  async flush(models: Pick<Models, 'cards'>, outbox: Outbox, now: Date): Promise<number> {
    return (await MessageBatch.flushAll([this], models, outbox, now)).size;
  }

  /**
   * Stores many batches in a few round trips (a month's fan-out): all cards in
   * one bulk write, all messages in one insert. Returns the people who got
   * anything new.
   */
  static async flushAll(
    batches: MessageBatch[],
    models: Pick<Models, 'cards'>,
    outbox: Outbox,
    now: Date,
  ): Promise<Set<string>> {
    const cards = batches.flatMap((b) =>
      b.cards.map((card) => ({
        updateOne: {
          filter: { cardId: card.cardId },
          update: { $setOnInsert: { ...card, userid: b.userid, createdAt: now } },
          upsert: true,
        },
      })),
    );
    if (cards.length > 0) await models.cards.bulkWrite(cards, { ordered: false });
    const fresh = await outbox.enqueue(
      batches.flatMap((b) => b.items),
      now,
    );
    return new Set(fresh.map((item) => item.userid));
  }

  private push(item: OutboxItem): void {
    this.items.push(this.notBefore ? { ...item, notBefore: this.notBefore } : item);
  }

  private nextKey(): string {
    return `${this.keyPrefix}:${this.items.length + 1}`;
  }
}
