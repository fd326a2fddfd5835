import {
  RetryableSendError,
  SendRefusedError,
  refusalCode,
  type Messenger,
  type Platform,
  type SendContext,
} from '../channels/types';
import { limitsOf } from '../channels';
import type { Clock } from '../lib/clock';
import { isInfrastructureError } from '../lib/infra-error';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';
import { ClaimQueue, type Outcome } from './claim-queue';
import type { Models } from '../store/models';
import type { OutboxDoc } from '../store/models/outbox';
import { toBuffer } from './binary';

/** Limits the sender keeps to. */
export interface SenderOptions {
  /** Messages per person per minute on a platform, or null for none (default: the channel's limit). */
  pacing: (platform: Platform) => number | null;
  /** People sent to at the same time. */
  concurrency: number;
  /** How long a claimed message stays with its sender before another may take it. */
  leaseMs: number;
  /** Where sends and rate-limit waits are counted. */
  metrics?: Metrics;
}

const DEFAULTS: SenderOptions = {
  pacing: (platform) => limitsOf(platform).perPersonPerMinute,
  concurrency: 8,
  leaseMs: 60_000,
};
const MINUTE = 60_000;
// An error that is neither a refusal nor a known passing failure is most likely a bug: a few tries only.
const MAX_UNKNOWN_ATTEMPTS = 5;

type Stored = OutboxDoc & { _id: unknown };

/**
 * Sends what the outbox holds: per person one at a time and in order, within
 * the per-person rate limit of their channel; when the platform is down or limiting, the
 * message and the person's later ones wait and go out later, none twice.
 */
export class OutboxSender {
  private readonly queue: ClaimQueue<Stored, 'platform'>;
  private readonly pacing: SenderOptions['pacing'];
  private readonly metrics: Metrics | undefined;

  constructor(
    private readonly models: Pick<Models, 'outbox'>,
    private readonly messengers: Map<Platform, Messenger>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: Partial<SenderOptions> = {},
  ) {
    const { pacing, concurrency, leaseMs, metrics } = { ...DEFAULTS, ...options };
    this.pacing = pacing;
    this.metrics = metrics;
    this.queue = new ClaimQueue<Stored, 'platform'>(models.outbox as never, clock, {
      statuses: { waiting: 'pending', working: 'sending', done: 'sent', failed: 'failed' },
      concurrency,
      leaseMs,
      batchSize: 1000,
      costField: 'apiCalls',
      lineFields: ['platform'],
      budgets: async (all, now, items) => {
        // A person is on one platform; people on an unpaced one get no budget (no limit).
        const limits = new Map(items.map((i) => [i.userid, pacing(i.platform)]));
        const userids = all.filter((u) => limits.get(u) != null);
        if (userids.length === 0) return new Map();
        // One query per pass: how many API messages each of these people got in the last minute
        // (an entry split into pieces counts each piece; one finished before the count was kept, 1).
        const recent = await this.models.outbox
          .find(
            { finishedAt: { $gt: new Date(now.getTime() - MINUTE) }, userid: { $in: userids } },
            { userid: 1, apiCalls: 1 },
          )
          .lean<{ userid: string; apiCalls?: number | null }[]>();
        const budgets = new Map(userids.map((u) => [u, limits.get(u)!]));
        for (const { userid, apiCalls } of recent)
          budgets.set(userid, budgets.get(userid)! - (apiCalls ?? 1));
        metrics?.rateLimitWait([...budgets.values()].filter((b) => b <= 0).length);
        return budgets;
      },
    });
  }

  /**
   * Whether a person's queued messages will wait for the per-person limit:
   * what they were sent in the last minute, what waits, and `comingToo` (not
   * yet queued) go over it.
   */
  async isPaced(platform: Platform, userid: string, comingToo = 0): Promise<boolean> {
    const limit = this.pacing(platform);
    if (limit === null) return false;
    const since = new Date(this.clock.now().getTime() - MINUTE);
    const [recent, waiting] = await Promise.all([
      this.models.outbox.countDocuments({ userid, finishedAt: { $gt: since } }),
      this.models.outbox.countDocuments({ userid, status: { $in: ['pending', 'sending'] } }),
    ]);
    return recent + waiting + comingToo > limit;
  }

  /** Sends everything that is due now; returns how many messages went out. */
  drain(): Promise<number> {
    return this.queue.drain((doc) => this.deliver(doc));
  }

  // The key and a stored media id let the messenger repeat the first try's request byte for byte.
  private sendContext(doc: Stored): SendContext {
    return {
      key: doc.key,
      now: this.clock.now(),
      media: doc.media,
      rememberMedia: async (media) => {
        await this.models.outbox.updateOne({ _id: doc._id }, { $set: { media } });
      },
      piecesSent: doc.piecesSent ?? 0,
      ...(doc.replyTo ? { replyTo: doc.replyTo } : {}),
      rememberPieces: async (piecesSent) => {
        await this.models.outbox.updateOne({ _id: doc._id }, { $set: { piecesSent } });
      },
    };
  }

  private async deliver(doc: Stored): Promise<Outcome> {
    const messenger = this.messengers.get(doc.platform);
    // The platform is not configured on this instance: keep the message for one that has it.
    if (!messenger)
      return { retryInMs: 10 * MINUTE, reason: `no ${doc.platform} channel configured` };
    try {
      if (doc.payload.kind === 'send') {
        const message = doc.payload.message;
        const apiCalls = await messenger.send(
          doc.userid,
          'data' in message ? { ...message, data: toBuffer(message.data) } : message,
          this.sendContext(doc),
        );
        this.metrics?.send(doc.platform, 'sent');
        return { done: true, cost: apiCalls };
      }
      await messenger.updateCard(doc.userid, doc.payload.update);
      this.metrics?.send(doc.platform, 'sent');
      return { done: true };
    } catch (err) {
      // Made only here: a pino child serializes its bindings at once, for each of 10,000 sends.
      const log = this.logger.child({ outbox: doc.key, user: doc.userid, platform: doc.platform });
      const outcome = this.afterFailure(err, doc.attempts);
      const reason = (err as Error).message;
      const errcode = refusalCode(err);
      if ('failed' in outcome) {
        log.error({ reason, errcode }, 'send failed for good');
        this.metrics?.send(doc.platform, 'failed', errcode);
      } else {
        log.warn(
          { attempts: doc.attempts + 1, retryInMs: outcome.retryInMs, reason },
          'send postponed',
        );
        this.metrics?.send(doc.platform, 'retry', errcode);
      }
      return outcome;
    }
  }

  /**
   * Only a definite refusal by the platform fails a message for good. The
   * platform busy or limiting, and Redis (the token cache) or the database
   * away, pass: those are retried with capped backoff for as long as they last.
   */
  private afterFailure(err: unknown, attempts: number): Exclude<Outcome, { done: true }> {
    const reason = (err as Error).message;
    const backoff = Math.min(10 * MINUTE, 1000 * 2 ** Math.min(attempts + 1, 30));
    if (err instanceof SendRefusedError) return { failed: reason };
    if (err instanceof RetryableSendError)
      return { retryInMs: Math.max(err.retryAfterMs, backoff), reason };
    // Short waits for a store outage: it usually lasts seconds and the messages are replies.
    if (isInfrastructureError(err)) return { retryInMs: Math.min(backoff, 15_000), reason };
    return attempts + 1 < MAX_UNKNOWN_ATTEMPTS
      ? { retryInMs: backoff, reason }
      : { failed: reason };
  }
}
