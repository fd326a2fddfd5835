import { RetryableSendError, type Messenger, type Platform } from '../channels/types';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { ClaimQueue, type Outcome } from '../store/claim-queue';
import type { Models } from '../store/models';
import type { OutboxDoc } from '../store/models/outbox';
import { toBuffer } from './binary';

/** Limits the sender keeps to. */
export interface SenderOptions {
  /** Messages per person per minute; WeCom drops the excess silently, so never go over (30). */
  perPersonPerMinute: number;
  /** People sent to at the same time. */
  concurrency: number;
  /** How long a claimed message stays with its sender before another may take it. */
  leaseMs: number;
}

const DEFAULTS: SenderOptions = { perPersonPerMinute: 30, concurrency: 8, leaseMs: 60_000 };
const MINUTE = 60_000;

type Stored = OutboxDoc & { _id: unknown };

/**
 * Sends what the outbox holds: per person one at a time and in order, within
 * the per-person rate limit; when the platform is down or limiting, the
 * message and the person's later ones wait and go out later, none twice.
 */
export class OutboxSender {
  private readonly queue: ClaimQueue<Stored>;

  constructor(
    private readonly models: Pick<Models, 'outbox'>,
    private readonly messengers: Map<Platform, Messenger>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: Partial<SenderOptions> = {},
  ) {
    const { perPersonPerMinute, concurrency, leaseMs } = { ...DEFAULTS, ...options };
    this.queue = new ClaimQueue<Stored>(models.outbox as never, clock, {
      statuses: { waiting: 'pending', working: 'sending', done: 'sent', failed: 'failed' },
      concurrency,
      leaseMs,
      batchSize: 1000,
      budgets: async (userids, now) => {
        // One query per pass: what each of these people was sent in the last minute.
        const recent = await this.models.outbox
          .find(
            { finishedAt: { $gt: new Date(now.getTime() - MINUTE) }, userid: { $in: userids } },
            { userid: 1 },
          )
          .lean<{ userid: string }[]>();
        const budgets = new Map(userids.map((u) => [u, perPersonPerMinute]));
        for (const { userid } of recent) budgets.set(userid, budgets.get(userid)! - 1);
        return budgets;
      },
    });
  }

  /** Sends everything that is due now; returns how many messages went out. */
  drain(): Promise<number> {
    return this.queue.drain((doc) => this.deliver(doc));
  }

  private async deliver(doc: Stored): Promise<Outcome> {
    const messenger = this.messengers.get(doc.platform);
    // The platform is not configured on this instance: keep the message for one that has it.
    if (!messenger)
      return { retryInMs: 10 * MINUTE, reason: `no ${doc.platform} channel configured` };
    const log = this.logger.child({ outbox: doc.key, user: doc.userid, platform: doc.platform });
    try {
      if (doc.payload.kind === 'send') {
        const message = doc.payload.message;
        await messenger.send(
          doc.userid,
          'data' in message ? { ...message, data: toBuffer(message.data) } : message,
          doc.replyTo ? { replyTo: doc.replyTo } : undefined,
        );
      } else {
        await messenger.updateCard(doc.userid, doc.payload.update);
      }
      return { done: true };
    } catch (err) {
      const reason = (err as Error).message;
      if (err instanceof RetryableSendError) {
        const wait = Math.max(
          err.retryAfterMs,
          Math.min(10 * MINUTE, 1000 * 2 ** (doc.attempts + 1)),
        );
        log.warn({ attempts: doc.attempts + 1, retryInMs: wait, reason }, 'send postponed');
        return { retryInMs: wait, reason };
      }
      log.error({ reason }, 'send failed for good');
      return { failed: reason };
    }
  }
}
