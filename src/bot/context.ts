import { createHash } from 'node:crypto';
import type { CardUpdate, ChatEvent, ChoiceCard, OutgoingMessage } from '../channels/types';
import { Outbox, type OutboxItem } from '../outbox/outbox';
import type { Models } from '../store/models';
import type { Person } from '../store/models/person';

/** What a flow needs to answer one event. Replies are collected and stored in the outbox at the end. */
export class BotContext {
  private readonly items: OutboxItem[] = [];
  private readonly cards: { cardId: string; flow: string; data: Record<string, unknown> }[] = [];

  constructor(
    readonly event: ChatEvent,
    readonly person: Person,
    readonly now: Date,
  ) {}

  /** Answers the person with text or a message. */
  reply(message: OutgoingMessage | string): void {
    const msg: OutgoingMessage =
      typeof message === 'string' ? { type: 'text', text: message } : message;
    this.items.push(Outbox.message(this.nextKey(), this.event.platform, this.person.userid, msg));
  }

  /**
   * Sends a choice card whose taps go to `flow` with `data`. The card id comes
   * from the event, so handling the same event again makes the same card.
   */
  replyCard(
    card: Omit<ChoiceCard, 'type' | 'cardId'>,
    flow: string,
    data: Record<string, unknown>,
  ): void {
    const key = this.nextKey();
    const cardId = `k${createHash('sha256').update(key).digest('hex').slice(0, 30)}`;
    this.cards.push({ cardId, flow, data });
    this.items.push(
      Outbox.message(key, this.event.platform, this.person.userid, {
        type: 'choice',
        cardId,
        ...card,
      }),
    );
  }

  /** Marks the tapped card as answered. */
  markCard(update: CardUpdate): void {
    this.items.push(
      Outbox.cardUpdate(this.nextKey(), this.event.platform, this.person.userid, update),
    );
  }

  /** Stores the cards and the replies; idempotent for a retried event. */
  async flush(models: Pick<Models, 'cards'>, outbox: Outbox): Promise<void> {
    for (const card of this.cards) {
      await models.cards.updateOne(
        { cardId: card.cardId },
        { $setOnInsert: { ...card, userid: this.person.userid, createdAt: this.now } },
        { upsert: true },
      );
    }
    await outbox.enqueue(this.items, this.now);
  }

  /** Replies collected so far (for tests and logs). */
  get replies(): readonly OutboxItem[] {
    return this.items;
  }

  private nextKey(): string {
    return `evt:${this.event.id}:${this.items.length + 1}`;
  }
}
