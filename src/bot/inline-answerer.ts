import type { ChatEvent, InlineReply } from '../channels/types';
import type { Logger } from '../lib/logger';
import type { Bot } from './bot';
import type { Inbox } from '../messaging/inbox';
import { InlineSlot, type InlineLimits } from './inline-slot';

/** What answering inside a callback needs. */
export interface InlineAnswererDeps {
  inbox: Inbox;
  bot: Bot;
  logger: Logger;
  /** How long the callback waits for the answer before it is acknowledged empty. */
  budgetMs: number;
  /** Told when an event was left to the poller, or replies were queued. */
  onQueued: () => void;
  /** Whether a person's API messages wait for the rate limit and they were not told lately. */
  mustWait?: (event: ChatEvent, comingToo: number) => Promise<boolean>;
}

/**
 * Stores an event, then handles it at once so its answer can go back inside
 * the callback's HTTP response (no API call, no rate limit). When the answer
 * is not ready within the budget, the callback is acknowledged empty and the
 * replies go through the outbox as usual; nothing is handled twice either way.
 */
export class InlineAnswerer {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: InlineAnswererDeps) {}

  /** The answer for the callback, or null to acknowledge it empty. */
  async answer(event: ChatEvent, limits: InlineLimits): Promise<InlineReply | null> {
    const { inbox, bot, logger } = this.deps;
    const accepted = await inbox.acceptInline(event);
    if (accepted.kind === 'duplicate') return accepted.reply;
    const slot = new InlineSlot(
      limits,
      (reply) => inbox.storeReply(accepted.id, reply),
      (coming) => this.deps.mustWait?.(event, coming) ?? Promise.resolve(false),
    );
    const handling = bot.handle(event, { slot, order: accepted.order }).then(
      async (handled) => {
        // Behind the person's earlier events: back in line, answered through the API in turn.
        if (handled === 'behind') return inbox.release(accepted.id, null);
        await inbox.finish(accepted.id, slot.heldReply);
        slot.finished();
      },
      async (err: unknown) => {
        slot.abandon();
        logger.warn({ err, event: event.id }, 'inline handling failed; left for retry');
        await inbox.release(accepted.id, (err as Error).message);
      },
    );
    const tracked = handling
      .catch((err: unknown) => logger.error({ err, event: event.id }, 'inbox update failed'))
      .finally(() => {
        // Whatever happened, the callback is answered (empty, when nothing was given).
        slot.abandon();
        this.running.delete(tracked);
        this.deps.onQueued();
      });
    this.running.add(tracked);

    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.deps.budgetMs);
    });
    const first = await Promise.race([slot.answer, late]);
    clearTimeout(timer);
    if (first !== 'late') return first;
    if (slot.close()) {
      logger.warn(
        { event: event.id, budgetMs: this.deps.budgetMs },
        'inline answer missed its budget',
      );
      return null;
    }
    return slot.answer;
  }

  /** Waits for handlings still running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
