import type { CardUpdate, ChatEvent, ChoiceCard, OutgoingMessage } from '../channels/types';
import { MessageBatch } from '../outbox/message-batch';
import type { Outbox } from '../outbox/outbox';
import type { Models } from '../store/models';
import type { Person } from '../store/models/person';

/** What a flow needs to answer one event. Replies are collected and stored in the outbox at the end. */
export class BotContext {
  private readonly batch: MessageBatch;

  constructor(
    readonly event: ChatEvent,
    readonly person: Person,
    readonly now: Date,
    private readonly store?: { models: Pick<Models, 'cards'>; outbox: Outbox; sent?: () => void },
  ) {
    // Replies go back where the event came from; keys come from the event, so a retried event adds nothing.
    this.batch = new MessageBatch(person.userid, event.platform, `evt:${event.id}`);
  }

  /** Answers the person with text or a message. */
  reply(message: OutgoingMessage | string): void {
    this.batch.add(message);
  }

  /** Sends a choice card whose taps go to `flow` with `data`. */
  replyCard(
    card: Omit<ChoiceCard, 'type' | 'cardId'>,
    flow: string,
    data: Record<string, unknown>,
  ): void {
    this.batch.card(card, flow, data);
  }

  /** Marks the tapped card as answered. */
  markCard(update: CardUpdate): void {
    this.batch.cardUpdate(update);
  }

  /** How many replies were collected. */
  get replyCount(): number {
    return this.batch.size;
  }

  /**
   * Stores what was replied so far and lets it go out now, before slow work
   * (a large report's workbook) is done; the keys make the final store add only the rest.
   */
  async sendSoFar(): Promise<void> {
    if (!this.store) return;
    await this.flush(this.store.models, this.store.outbox);
    this.store.sent?.();
  }

  /** Stores the cards and the replies; idempotent for a retried event. */
  async flush(models: Pick<Models, 'cards'>, outbox: Outbox): Promise<void> {
    await this.batch.flush(models, outbox, this.now);
  }
}
