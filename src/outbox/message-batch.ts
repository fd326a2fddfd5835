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
    this.items.push(Outbox.message(this.nextKey(), this.platform, this.userid, msg));
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
    this.items.push(
      Outbox.message(key, this.platform, this.userid, { type: 'choice', cardId, ...card }),
    );
  }

  /** Marks a tapped card as answered. */
  cardUpdate(update: CardUpdate): void {
    this.items.push(Outbox.cardUpdate(this.nextKey(), this.platform, this.userid, update));
  }

  /** What was added so far. */
  get size(): number {
    return this.items.length;
  }

  /** Stores the cards, then the messages; idempotent. */
  async flush(models: Pick<Models, 'cards'>, outbox: Outbox, now: Date): Promise<number> {
    for (const card of this.cards) {
      await models.cards.updateOne(
        { cardId: card.cardId },
        { $setOnInsert: { ...card, userid: this.userid, createdAt: now } },
        { upsert: true },
      );
    }
    return outbox.enqueue(this.items, now, this.notBefore);
  }

  private nextKey(): string {
    return `${this.keyPrefix}:${this.items.length + 1}`;
  }
}
