import type { Model } from 'mongoose';
import type { Clock } from '../lib/clock';

/** The fields a queued document needs: whose it is, its place in line, and its claim. */
export interface Queued {
  _id: unknown;
  userid: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'processing' | 'done';
  order: number;
  notBefore: Date;
  leaseUntil: Date | null;
  attempts: number;
}

/**
 * What became of one item: done (having used `cost` of the person's budget,
 * default 1), to try again after `retryInMs`, or given up for good.
 */
export type Outcome =
  { done: true; cost?: number } | { retryInMs: number; reason: string } | { failed: string };

/** How a queue is worked. */
export interface QueueOptions<T extends Queued = Queued> {
  /** Status of an item waiting, of one being worked, of one done. */
  statuses: { waiting: string; working: string; done: string; failed: string };
  concurrency: number;
  leaseMs: number;
  batchSize: number;
  /**
   * How many items each person may have worked now (a rate limit), asked once
   * per pass for everyone in it (with the pass's items); a person missing from the answer is unlimited.
   */
  budgets?: (userids: string[], now: Date, items: T[]) => Promise<Map<string, number>>;
  /** The field a done item's cost is stored in, for `budgets` to sum (the outbox: `apiCalls`). */
  costField?: string;
}

/**
 * A durable per-person queue in one collection, shared by any number of
 * instances. Each person's items are worked one at a time in order; an item
 * that must wait holds back the person's later ones. An item is claimed
 * (with a lease) before it is worked, so no two workers take the same one,
 * and an item left by a crashed worker is taken again once its lease ends.
 */
export class ClaimQueue<T extends Queued> {
  constructor(
    private readonly model: Model<T>,
    private readonly clock: Clock,
    private readonly options: QueueOptions<T>,
  ) {}

  /** Works every item that is due now; returns how many were done. */
  async drain(work: (item: T) => Promise<Outcome>): Promise<number> {
    let total = 0;
    for (;;) {
      const done = await this.pass(work);
      total += done;
      if (done === 0) return total;
    }
  }

  private async pass(work: (item: T) => Promise<Outcome>): Promise<number> {
    const { waiting, working } = this.options.statuses;
    const now = this.clock.now();
    const open = (await this.model
      .find({ status: { $in: [waiting, working] } } as never)
      .sort({ order: 1 })
      .limit(this.options.batchSize)
      .lean()) as unknown as T[];
    const byPerson = new Map<string, T[]>();
    for (const item of open)
      byPerson.set(item.userid, [...(byPerson.get(item.userid) ?? []), item]);
    const lines = [...byPerson.values()];
    const budgets = this.options.budgets
      ? await this.options.budgets([...byPerson.keys()], now, open)
      : new Map<string, number>();
    let done = 0;
    const worker = async () => {
      for (let line = lines.shift(); line; line = lines.shift()) {
        // Read `done` only after the await: `done += await …` would lose the other workers' counts.
        const count = await this.workLine(
          line,
          now,
          budgets.get(line[0]!.userid) ?? Infinity,
          work,
        );
        done += count;
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency }, worker));
    return done;
  }

  /** Works one person's items in order, stopping at the first that cannot be worked now. */
  private async workLine(
    line: T[],
    now: Date,
    budget: number,
    work: (item: T) => Promise<Outcome>,
  ): Promise<number> {
    let done = 0;
    for (const item of line) {
      if (budget <= 0 || item.notBefore > now) break;
      if (item.status === this.options.statuses.working && item.leaseUntil && item.leaseUntil > now)
        break;
      if (!(await this.claim(item, now))) break;
      const outcome = await work(item).catch((err: unknown): Outcome => ({
        failed: (err as Error).message,
      }));
      await this.settle(item, outcome);
      if ('retryInMs' in outcome) break;
      if ('done' in outcome) {
        done += 1;
        budget -= outcome.cost ?? 1;
      }
    }
    return done;
  }

  private async claim(item: T, now: Date): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: item._id, status: item.status, leaseUntil: item.leaseUntil } as never,
      {
        $set: {
          status: this.options.statuses.working,
          leaseUntil: new Date(now.getTime() + this.options.leaseMs),
        },
      } as never,
    );
    return result.modifiedCount === 1;
  }

  private async settle(item: T, outcome: Outcome): Promise<void> {
    const { statuses } = this.options;
    const now = this.clock.now();
    const set =
      'done' in outcome
        ? {
            status: statuses.done,
            leaseUntil: null,
            finishedAt: now,
            ...(this.options.costField ? { [this.options.costField]: outcome.cost ?? 1 } : {}),
          }
        : 'retryInMs' in outcome
          ? {
              status: statuses.waiting,
              leaseUntil: null,
              notBefore: new Date(now.getTime() + outcome.retryInMs),
              lastError: outcome.reason,
            }
          : { status: statuses.failed, leaseUntil: null, lastError: outcome.failed };
    await this.model.updateOne(
      { _id: item._id } as never,
      { $set: set, $inc: { attempts: 1 } } as never,
    );
  }
}
