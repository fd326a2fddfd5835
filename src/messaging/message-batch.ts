import { createHash } from 'node:crypto';
import type { Card, CardUpdate, OutgoingMessage, Platform, ReplyChannel } from '../channels/types';
import type { Models } from '../store/models';
import { Outbox, type OutboxItem } from './outbox';

/** A card as a flow asks for it: everything but its id, which the batch derives. */
export type CardDraft = Card extends infer C ? (C extends Card ? Omit<C, 'cardId'> : never) : never;

/** Where taps on a card go: the flow that handles them, with that flow's data. */
export interface CardRoute {
  flow: string;
  data: Record<string, unknown>;
}

/** What the batch knows of one of its messages beyond the outbox item itself. */
export interface BatchEntry {
  item: OutboxItem;
  /** For a card: where its taps go. */
  route?: CardRoute;
  /** For a card: the same question as text, for an answer that cannot carry a card. */
  inlineText?: string;
}

/**
 * Messages for one person, collected and then stored together. Every key is
 * derived from `keyPrefix` (an event id, or month + person + kind), so building
 * the same batch again — a retried event, a repeated job, a second instance —
 * stores nothing new, and card ids come out the same.
 */
export class MessageBatch {
  private entries: BatchEntry[] = [];
  private added = 0;

  constructor(
    readonly userid: string,
    readonly platform: Platform,
    private readonly keyPrefix: string,
    /** Not sent before this time (scheduled messages wait for working hours). */
    readonly notBefore?: Date,
    /** The reply channel of the event these messages answer (only for replies to it). */
    readonly replyTo?: ReplyChannel,
  ) {}

  /** Adds a text or a message. */
  add(message: OutgoingMessage | string): void {
    const msg: OutgoingMessage =
      typeof message === 'string' ? { type: 'text', text: message } : message;
    this.push({ item: Outbox.message(this.nextKey(), this.platform, this.userid, msg) });
  }

  /** Adds a card (a choice or buttons) whose taps go to `flow` with `data`. */
  card(
    card: CardDraft,
    flow: string,
    data: Record<string, unknown>,
    options: { inlineText?: string } = {},
  ): void {
    const key = this.nextKey();
    const cardId = `k${createHash('sha256').update(key).digest('hex').slice(0, 30)}`;
    const message = { ...card, cardId } as Card;
    this.push({
      item: Outbox.message(key, this.platform, this.userid, message),
      route: { flow, data },
      inlineText: options.inlineText,
    });
  }

  /** Marks a tapped card as answered. */
  cardUpdate(update: CardUpdate): void {
    this.push({ item: Outbox.cardUpdate(this.nextKey(), this.platform, this.userid, update) });
  }

  /** What was added so far and not yet taken. */
  get size(): number {
    return this.entries.length;
  }

  /** The entries in order, for choosing what answers inside the callback. */
  list(): readonly BatchEntry[] {
    return this.entries;
  }

  /** Removes entries (answered inside the callback instead); their keys stay used. */
  remove(taken: readonly BatchEntry[]): void {
    this.entries = this.entries.filter((entry) => !taken.includes(entry));
  }

  /** Stores the cards, then the messages; idempotent. Returns how many messages were new. */
  async flush(models: Pick<Models, 'cards'>, outbox: Outbox, now: Date): Promise<number> {
    return (await MessageBatch.flushAll([this], models, outbox, now)).size;
  }

  /**
   * Stores one text for one person under the durable `key` (month + person +
   * kind, a command's id…): true when it is new, false when that key was
   * stored before (a retry, a repeated job) and nothing is sent twice.
   */
  static async tell(
    store: { models: Pick<Models, 'cards'>; outbox: Outbox },
    to: { userid: string; platform: Platform },
    key: string,
    text: string,
    now: Date,
    notBefore?: Date,
  ): Promise<boolean> {
    const batch = new MessageBatch(to.userid, to.platform, key, notBefore);
    batch.add(text);
    return (await batch.flush(store.models, store.outbox, now)) > 0;
  }

  /**
   * Stores many batches in a few round trips (a month's fan-out): all cards in
   * one bulk write, all messages in one insert. Returns the people who got
   * anything new. What was stored is taken out of the batch, so storing
   * again (replies sent early, then the rest) adds only what came since.
   */
  static async flushAll(
    batches: MessageBatch[],
    models: Pick<Models, 'cards'>,
    outbox: Outbox,
    now: Date,
  ): Promise<Set<string>> {
    const cards = batches.flatMap((b) =>
      b.entries.flatMap(({ item, route }) =>
        route && item.payload.kind === 'send' && 'cardId' in item.payload.message
          ? [
              {
                updateOne: {
                  filter: { cardId: item.payload.message.cardId },
                  update: {
                    $setOnInsert: {
                      cardId: item.payload.message.cardId,
                      ...route,
                      userid: b.userid,
                      createdAt: now,
                    },
                  },
                  upsert: true,
                },
              },
            ]
          : [],
      ),
    );
    // The driver's bulkWrite: these upserts are built from values of the schema's types
    // (strings, a date, the flow's data), every field set, and mongoose's casting of a
    // month's 10,000 of them was garbage the opening did not need.
    if (cards.length > 0) await models.cards.collection.bulkWrite(cards, { ordered: false });
    const items = batches.flatMap((b) => b.entries.map((e) => e.item));
    const fresh = await outbox.enqueue(items, now);
    for (const b of batches) b.entries = [];
    return new Set(fresh.map((item) => item.userid));
  }

  private push(entry: BatchEntry): void {
    this.added += 1;
    const item: OutboxItem = { ...entry.item };
    if (this.notBefore) item.notBefore = this.notBefore;
    // A card update changes a card in place; only messages can go through the reply channel.
    if (this.replyTo && item.payload.kind === 'send') item.replyTo = this.replyTo;
    this.entries.push({ ...entry, item });
  }

  private nextKey(): string {
    return `${this.keyPrefix}:${this.added + 1}`;
  }
}
