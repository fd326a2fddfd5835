import type { Model } from 'mongoose';
import type { Clock } from '../lib/clock';
import { DoneMarks } from './done-marks';
import { DrainRun } from './drain-run';
import { LineClaims, type ClaimedLine } from './line-claims';

/** The fields a queued document needs: whose it is, its place in line, and its claim. */
export interface Queued {
  _id: unknown;
  userid: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'processing' | 'done';
  order: number;
  notBefore: Date;
  leaseUntil: Date | null;
  attempts: number;
  /** The token of the claim that took it last (see LineClaims). */
  claimedBy?: string | null;
}

/**
 * What became of one item: done (having used `cost` of the person's budget,
 * default 1), to try again after `retryInMs`, or given up for good.
 */
export type Outcome =
  { done: true; cost?: number } | { retryInMs: number; reason: string } | { failed: string };

/** The fields of the queue itself, the only ones a pass reads of every item in line. */
const QUEUE_FIELDS = [
  '_id',
  'userid',
  'status',
  'order',
  'notBefore',
  'leaseUntil',
  'attempts',
  'claimedBy',
] as const;

/** An item as a pass reads it: its queue fields and the queue's `lineFields`, not its content. */
export type InLine<T extends Queued, K extends keyof T = never> = Queued & Pick<T, K>;

/** How a queue is worked. */
export interface QueueOptions<T extends Queued = Queued, K extends keyof T = never> {
  /** Status of an item waiting, of one being worked, of one done. */
  statuses: { waiting: string; working: string; done: string; failed: string };
  concurrency: number;
  leaseMs: number;
  batchSize: number;
  /**
   * How many items each person may have worked now (a rate limit), asked once
   * per pass for everyone in it (with the pass's items); a person missing from the answer is unlimited.
   */
  budgets?: (userids: string[], now: Date, items: InLine<T, K>[]) => Promise<Map<string, number>>;
  /** The field a done item's cost is stored in, for `budgets` to sum (the outbox: `apiCalls`). */
  costField?: string;
  /** Fields beyond the queue's that `budgets` needs of the items in line (the outbox: `platform`). */
  lineFields?: K[];
}

/** One pass as read: its items, the lines to work now, their budgets, and whether held people were left out. */
export interface Prepared<L> {
  read: L[];
  lines: L[][];
  budgets: Map<string, number>;
  skipped: boolean;
}

/**
 * A durable per-person queue in one collection, shared by any number of
 * instances. Each person's items are worked one at a time in order; an item
 * that must wait holds back the person's later ones. An item is claimed
 * (with a lease) before it is worked, so no two workers take the same one,
 * and an item left by a crashed worker is taken again once its lease ends.
 */
export class ClaimQueue<T extends Queued, K extends keyof T = never> {
  private readonly projection: Record<string, 1>;

  constructor(
    private readonly model: Model<T>,
    private readonly clock: Clock,
    private readonly options: QueueOptions<T, K>,
  ) {
    const fields = [...QUEUE_FIELDS, ...(options.lineFields ?? [])].map(String);
    this.projection = Object.fromEntries(fields.map((f) => [f, 1 as const]));
  }

  /**
   * Works every item that is due now; returns how many were done. One pool of
   * `concurrency` workers takes the lines of pass after pass: the next pass is
   * read (and its budgets counted) while the current one is being worked, and
   * a worker moves on to it as soon as every line of the current pass is in
   * hand, so the workers wait neither for the slowest line of a pass nor for
   * its first claim. Passes in flight together hold disjoint people (`held`).
   */
  async drain(work: (item: T) => Promise<Outcome>): Promise<number> {
    const marks = new DoneMarks(this.model as never);
    const run = new DrainRun<T, InLine<T, K>>(
      (held) => this.prepare(held),
      (lines) => this.claimsFor(lines),
      marks,
    );
    const worker = async () => {
      for (let taken = await run.nextLine(); taken; taken = await run.nextLine()) {
        const { line, pass } = taken;
        try {
          // Read `done` only after the await: `done += await …` would lose the other workers' counts.
          const count = await this.workLine(line, pass.budget(line), work, pass.claims, marks);
          pass.done += count;
        } finally {
          run.lineEnded(pass);
        }
      }
    };
    // Every worker ends before the last marks are written, so none is left behind a failed
    // one; what was done is marked even then, so it is not worked again.
    await Promise.all(
      Array.from({ length: this.options.concurrency }, () =>
        worker().catch((err: unknown) => run.fail(err)),
      ),
    );
    await run.settled();
    await marks.flush();
    if (run.failure) throw run.failure.err;
    return run.total;
  }

  private claimsFor(lines: InLine<T, K>[][]): LineClaims<T> {
    return new LineClaims<T>(
      this.model,
      this.clock,
      this.options.statuses,
      this.options.leaseMs,
      lines,
      Math.max(16, 2 * this.options.concurrency),
    );
  }

  /**
   * Reads a pass: the first items in line, people with `held` items left out, and their
   * budgets. Only the queue's fields are read here: the prefetch also reads the items of
   * the pass being worked (held, then left out), and each item's content is read when
   * it is claimed (LineClaims), so a month's fan-out decodes each message once, not thrice.
   */
  private async prepare(held: Map<string, string>): Promise<Prepared<InLine<T, K>>> {
    const { waiting, working } = this.options.statuses;
    const now = this.clock.now();
    const found = (await this.model
      .find({ status: { $in: [waiting, working] } } as never, this.projection)
      .sort({ order: 1 })
      .limit(this.options.batchSize + held.size)
      .lean()) as unknown as InLine<T, K>[];
    const busy = new Set(held.values());
    const read = found.filter((item) => !busy.has(item.userid)).slice(0, this.options.batchSize);
    const byPerson = new Map<string, InLine<T, K>[]>();
    for (const item of read)
      byPerson.set(item.userid, [...(byPerson.get(item.userid) ?? []), item]);
    const budgets = this.options.budgets
      ? await this.options.budgets([...byPerson.keys()], now, read)
      : new Map<string, number>();
    const lines = [...byPerson.values()]
      .map((line) => this.workable(line, now, budgets.get(line[0]!.userid) ?? Infinity))
      .filter((line) => line.length > 0);
    return { read, lines, budgets, skipped: found.some((item) => busy.has(item.userid)) };
  }

  /**
   * The items of one person's line that may be worked now, in order: up to the
   * first that is not due, or is held by another worker's live lease, and no
   * more than the person's budget (each item costs at least one).
   */
  private workable<L extends Queued>(line: L[], now: Date, budget: number): L[] {
    const items: L[] = [];
    for (const item of line) {
      if (items.length >= budget || item.notBefore > now) break;
      if (item.status === this.options.statuses.working && item.leaseUntil && item.leaseUntil > now)
        break;
      items.push(item);
    }
    return items;
  }

  /**
   * Works one person's claimed items in order, stopping at the first that this
   * worker did not get (another took it) or that must wait; the claimed items
   * after it are given back, so the line keeps its order.
   */
  private async workLine(
    line: ClaimedLine<T>,
    budget: number,
    work: (item: T) => Promise<Outcome>,
    claims: LineClaims<T>,
    marks: DoneMarks,
  ): Promise<number> {
    let done = 0;
    const { items } = line;
    let i = 0;
    for (; i < items.length; i += 1) {
      // The whole document, as the claim read it back; none when another worker took it.
      const item = line.mine.get(String(items[i]!._id));
      if (budget <= 0 || !item) break;
      const outcome = await work(item).catch((err: unknown): Outcome => ({
        failed: (err as Error).message,
      }));
      if ('done' in outcome) {
        await marks.add(item._id, this.doneSet(outcome));
        done += 1;
        budget -= outcome.cost ?? 1;
        continue;
      }
      await this.settle(item, outcome);
      if ('retryInMs' in outcome) {
        i += 1;
        break;
      }
    }
    await claims.release(items.slice(i), line);
    return done;
  }

  private doneSet(outcome: { cost?: number }): Record<string, unknown> {
    return {
      status: this.options.statuses.done,
      leaseUntil: null,
      finishedAt: this.clock.now(),
      ...(this.options.costField ? { [this.options.costField]: outcome.cost ?? 1 } : {}),
    };
  }

  private async settle(item: Queued, outcome: Exclude<Outcome, { done: true }>): Promise<void> {
    const { statuses } = this.options;
    const now = this.clock.now();
    const set =
      'retryInMs' in outcome
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
