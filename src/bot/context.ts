import { departmentOf } from '../assessment/department';
import type {
  ButtonCard,
  CardUpdate,
  ChatEvent,
  ChoiceCard,
  InlineReply,
  OutgoingMessage,
} from '../channels/types';
import { MessageBatch } from '../messaging/message-batch';
import type { Outbox } from '../messaging/outbox';
import type { Models } from '../store/models';
import type { MonthDoc } from '../store/models/month';
import type { Person } from '../store/models/person';
import type { EventReads } from '../store/repositories/event-reads';
import { chooseInline } from './inline-reply';
import type { InlineSlot } from './inline-slot';

/** What a flow needs to answer one event. Replies are collected and stored in the outbox at the end. */
export class BotContext {
  private readonly batch: MessageBatch;

  constructor(
    readonly event: ChatEvent,
    readonly person: Person,
    readonly now: Date,
    private readonly store?: { models: Pick<Models, 'cards'>; outbox: Outbox; sent?: () => void },
    /** Present when the event may be answered inside its callback. */
    private readonly inline?: InlineSlot,
    /** What the bot read for this event before any flow ran (absent when built without it). */
    private readonly read?: Omit<EventReads, 'person' | 'earlierWaiting'>,
  ) {
    // Replies go back where the event came from (through its reply channel while it is valid);
    // keys come from the event, so a retried event adds nothing.
    this.batch = new MessageBatch(
      person.userid,
      event.platform,
      `evt:${event.id}`,
      undefined,
      event.replyTo,
    );
  }

  /**
   * Month `key` of `department` (the person's own unless named) as read at
   * the start of this event, when it was open then.
   * A flow uses it instead of reading the month again; a month closed by a
   * command in this same event is read fresh by that command's own flow.
   */
  openMonth(key: string, department = departmentOf(this.person)): MonthDoc | undefined {
    return this.reads.openMonths.find((m) => m.key === key && m.department === department);
  }

  /** What the bot read for this event before any flow ran (nothing, when built without it). */
  get reads(): Omit<EventReads, 'person' | 'earlierWaiting'> {
    return this.read ?? { openMonths: [], card: null };
  }

  /**
   * The person's department's month being assessed (its latest open one) as read at the start of
   * this event, or undefined when none was read open: a flow then asks the
   * service, which reads it (and says none is open).
   */
  currentMonth(): MonthDoc | undefined {
    const department = departmentOf(this.person);
    return this.reads.openMonths.filter((m) => m.department === department).at(-1);
  }

  /**
   * Whether this event's read (every department's open months) found none
   * open for the person's department, so that a flow which can do without
   * one (a stray number typed) needs no read of its own to know.
   */
  get noMonthOpen(): boolean {
    return this.read !== undefined && this.currentMonth() === undefined;
  }

  /** Answers the person with text or a message. */
  reply(message: OutgoingMessage | string): void {
    this.batch.add(message);
  }

  /**
   * Sends a choice card whose taps go to `flow` with `data`. `inlineText` is
   * the same question as text, used when the answer goes back inside the
   * callback of a typed message (which cannot carry a card).
   */
  replyCard(
    card: Omit<ChoiceCard, 'type' | 'cardId'>,
    flow: string,
    data: Record<string, unknown>,
    options: { inlineText?: string } = {},
  ): void {
    this.batch.card({ type: 'choice', ...card }, flow, data, options);
  }

  /** Sends a card of buttons whose taps go to `flow` with `data`. */
  replyButtons(
    card: Omit<ButtonCard, 'type' | 'cardId'>,
    flow: string,
    data: Record<string, unknown>,
    options: { inlineText?: string } = {},
  ): void {
    this.batch.card({ type: 'buttons', ...card }, flow, data, options);
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
   * (a large report's workbook) is done; the final store adds only the rest.
   */
  async sendSoFar(): Promise<void> {
    if (!this.store) return;
    await this.flush(this.store.models, this.store.outbox, { more: true });
    this.store.sent?.();
  }

  /**
   * Stores the cards and the replies; idempotent for a retried event. The
   * first time, when the event may be answered inside its callback, the
   * replies that fit go there instead, and only the rest to the outbox.
   */
  async flush(
    models: Pick<Models, 'cards'>,
    outbox: Outbox,
    options: { more?: boolean } = {},
  ): Promise<void> {
    const slot = this.inline?.take() ? this.inline : undefined;
    const choice = slot ? chooseInline(this.batch.list(), this.event, slot.limits) : null;
    if (choice) {
      this.batch.remove(choice.taken);
      if (choice.step) {
        const { cardId, stepId, route } = choice.step;
        await models.cards.updateOne({ cardId }, { $set: { [`steps.${stepId}`]: route } });
      }
    }
    // More goes through the API: now (what did not fit inline), or later (`more`, not yet queued).
    const rest = this.batch.size + (options.more ? 1 : 0);
    await this.batch.flush(models, outbox, this.now);
    const coming = options.more ? 1 : 0;
    const reply =
      choice && rest > 0 && (await slot!.mustWait(coming))
        ? withWaitNotice(choice.reply)
        : choice?.reply;
    await slot?.give(reply ?? null, options.more === true);
  }
}

/** Said inside the callback when the rest must wait for the platform's rate limit. */
export const WAIT_NOTICE = '消息较多，稍候自动发送。';

function withWaitNotice(reply: InlineReply): InlineReply {
  if (reply.type === 'text') return { ...reply, text: `${reply.text}\n\n${WAIT_NOTICE}` };
  if (reply.type === 'card')
    return {
      ...reply,
      card: { ...reply.card, description: `${reply.card.description}\n${WAIT_NOTICE}` },
    };
  return reply;
}
