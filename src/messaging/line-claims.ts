import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { Clock } from '../lib/clock';
import type { Queued } from './claim-queue';

/**
 * One person's items to work now, in order (as the pass read them: queue fields only),
 * with the whole documents of those this claim took, by id.
 */
export interface ClaimedLine<T> {
  items: Queued[];
  mine: Map<string, T>;
}

/**
 * Claims the lines of a pass a chunk at a time, in two commands a chunk (one
 * updateMany stamping a claim token, one find of what it took) instead of one
 * update per item. Chunks are claimed just ahead of the workers, so a claim's
 * lease starts shortly before the items are worked, not when the pass began.
 */
export class LineClaims<T extends Queued> {
  private readonly ready: ClaimedLine<T>[] = [];
  private claiming: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly model: Model<T>,
    private readonly clock: Clock,
    private readonly statuses: { waiting: string; working: string },
    private readonly leaseMs: number,
    /** Lines not yet claimed, each the prefix of a person's items that may be worked now. */
    private readonly pending: Queued[][],
    private readonly chunk: number,
  ) {}

  /** Whether every line has been claimed: what is left is ready or in workers' hands. */
  get allClaimed(): boolean {
    return this.pending.length === 0 && !this.claiming;
  }

  /** Claims the next chunk if the lines ready run low (single flight); `next` does it too. */
  claimAhead(): void {
    if (this.ready.length <= this.chunk / 2 && this.pending.length > 0 && !this.claiming) {
      this.claiming = this.claimChunk()
        .catch((err: unknown) => void (this.failure = err))
        .finally(() => (this.claiming = undefined));
    }
  }

  /** The next claimed line, or undefined when every line was handed out. */
  async next(): Promise<ClaimedLine<T> | undefined> {
    for (;;) {
      if (this.failure) throw this.failure;
      // Claim the next chunk while the workers still have lines in hand.
      this.claimAhead();
      const line = this.ready.shift();
      if (line) return line;
      if (!this.claiming) return this.failure ? Promise.reject(this.failure) : undefined;
      await this.claiming;
    }
  }

  private async claimChunk(): Promise<void> {
    const lines = this.pending.splice(0, this.chunk);
    const ids = lines.flat().map((item) => item._id);
    const now = this.clock.now();
    const token = randomUUID();
    const { waiting, working } = this.statuses;
    // Taken only if still free: waiting and due, or working under a lease that ran out
    // (its worker crashed). The token tells which of them this claim got.
    await this.model.updateMany(
      {
        _id: { $in: ids },
        notBefore: { $lte: now },
        $or: [{ status: waiting }, { status: working, leaseUntil: { $lte: now } }],
      } as never,
      {
        $set: {
          status: working,
          leaseUntil: new Date(now.getTime() + this.leaseMs),
          claimedBy: token,
        },
      } as never,
    );
    // Read back whole: the pass read only the queue's fields, and this is what will be worked.
    const taken = (await this.model
      .find({ _id: { $in: ids }, claimedBy: token } as never)
      .lean()) as unknown as T[];
    const mine = new Map(taken.map((d) => [String(d._id), d]));
    for (const items of lines) this.ready.push({ items, mine });
  }

  /** Gives back claimed items that will not be worked in this pass (an earlier one must wait). */
  async release(items: Queued[], line: ClaimedLine<T>): Promise<void> {
    const ids = items.filter((i) => line.mine.has(String(i._id))).map((i) => i._id);
    if (ids.length === 0) return;
    await this.model.updateMany(
      { _id: { $in: ids }, status: this.statuses.working } as never,
      { $set: { status: this.statuses.waiting, leaseUntil: null } } as never,
    );
  }
}
