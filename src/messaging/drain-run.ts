import type { Prepared, Queued } from './claim-queue';
import type { DoneMarks } from './done-marks';
import type { ClaimedLine, LineClaims } from './line-claims';

/** A pass being worked: its claims, and how many of its lines are in workers' hands. */
export class PassInFlight<T extends Queued, L extends Queued> {
  done = 0;
  open = 0;
  handedOut = false;
  ending = false;
  readAhead = false;
  readonly ended: Promise<void>;
  end!: () => void;

  constructor(
    readonly prepared: Prepared<L>,
    readonly claims: LineClaims<T>,
  ) {
    this.ended = new Promise((resolve) => (this.end = resolve));
  }

  /** The person's budget for this pass (Infinity: no limit). */
  budget(line: ClaimedLine<T>): number {
    return this.prepared.budgets.get(line.items[0]!.userid) ?? Infinity;
  }
}

/**
 * One drain of a ClaimQueue: hands out the lines of pass after pass to the
 * workers, reading each next pass while the current one is worked. A pass
 * ends once its lines are all handed out and worked; then its marks are
 * written and its people released (`held`), so that a later pass may take
 * them again. The drain finishes when a pass finds nothing to work and no
 * held person was left out of it, or when a pass that had lines did nothing.
 */
export class DrainRun<T extends Queued, L extends Queued> {
  total = 0;
  failure: { err: unknown } | null = null;
  // Items of passes not yet ended, with their person: a later pass leaves those people alone.
  private readonly held = new Map<string, string>();
  private readonly inFlight = new Set<PassInFlight<T, L>>();
  // The next pass as read, if its read has begun.
  private upcoming: Promise<Prepared<L>> | null;
  private current: PassInFlight<T, L> | null = null;
  // The pass after the current one, its first lines being claimed already.
  private following: PassInFlight<T, L> | null = null;
  private advancing: Promise<void> | null = null;
  private noMorePasses = false;

  constructor(
    private readonly prepare: (held: Map<string, string>) => Promise<Prepared<L>>,
    private readonly claimsFor: (lines: L[][]) => LineClaims<T>,
    private readonly marks: DoneMarks,
  ) {
    this.upcoming = this.prefetch();
  }

  /** The next claimed line and its pass, or undefined when the drain is over. */
  async nextLine(): Promise<{ line: ClaimedLine<T>; pass: PassInFlight<T, L> } | undefined> {
    for (;;) {
      if (this.failure) return undefined;
      const pass = this.current;
      if (pass) {
        // Every line of this pass claimed: read and claim the next one's first lines now,
        // so that no worker waits for them when this pass's last lines are handed out.
        if (pass.claims.allClaimed) this.lookAhead();
        const line = await pass.claims.next();
        if (line) {
          pass.open += 1;
          // The pass after the next is read once this one is under way: sent with a
          // claim, the read (a sort of the queue and the budgets' count) delayed it.
          if (!pass.readAhead) {
            pass.readAhead = true;
            this.upcoming ??= this.prefetch();
          }
          return { line, pass };
        }
        if (this.current === pass) {
          this.current = null;
          pass.handedOut = true;
          this.endIfDone(pass);
        }
        continue;
      }
      if (this.following) {
        this.current = this.following;
        this.following = null;
        continue;
      }
      if (this.noMorePasses) return undefined;
      this.lookAhead();
      await this.advancing;
    }
  }

  private lookAhead(): void {
    if (this.following || this.advancing || this.noMorePasses) return;
    this.advancing = this.advance().finally(() => (this.advancing = null));
  }

  /** A worker has finished a line of `pass`. */
  lineEnded(pass: PassInFlight<T, L>): void {
    pass.open -= 1;
    this.endIfDone(pass);
  }

  /** Stops handing out lines; the drain rethrows `err` once every worker has stopped. */
  fail(err: unknown): void {
    this.failure ??= { err };
    // The passes being handed out hand out nothing more: each ends once its lines in hand
    // are worked (what they claimed and never handed out waits for its lease to run out).
    for (const pass of [this.current, this.following]) {
      if (!pass) continue;
      pass.handedOut = true;
      this.endIfDone(pass);
    }
    this.current = null;
    this.following = null;
  }

  /** Resolves once every pass in flight has ended and no read is left running. */
  async settled(): Promise<void> {
    await Promise.all([...this.inFlight].map((p) => p.ended));
    await this.upcoming?.catch(() => undefined);
  }

  private async advance(): Promise<void> {
    const prepared = await (this.upcoming ??= this.prefetch());
    this.upcoming = null;
    if (prepared.lines.length > 0) {
      for (const item of prepared.read) this.held.set(String(item._id), item.userid);
      const pass = new PassInFlight(prepared, this.claimsFor(prepared.lines));
      this.inFlight.add(pass);
      pass.claims.claimAhead();
      this.following = pass;
      return;
    }
    // Nothing due but what held people have: wait until their passes end, then read again.
    if (prepared.skipped) {
      await Promise.all([...this.inFlight].map((p) => p.ended));
      this.upcoming = this.prefetch();
      return;
    }
    this.noMorePasses = true;
  }

  private prefetch(): Promise<Prepared<L>> {
    const next = this.prepare(new Map(this.held));
    // Keep a failure for when it is awaited, not as an unhandled rejection.
    next.catch(() => undefined);
    return next;
  }

  // Its marks are written before its people are released, so no later pass finds them due.
  private endIfDone(pass: PassInFlight<T, L>): void {
    if (!pass.handedOut || pass.open > 0 || pass.ending) return;
    pass.ending = true;
    void this.marks
      .flush()
      .catch((err: unknown) => this.fail(err))
      .finally(() => {
        for (const item of pass.prepared.read) this.held.delete(String(item._id));
        this.total += pass.done;
        // A pass that had lines to work and did nothing: the rest waits for the next drain.
        if (pass.done === 0 && !pass.prepared.skipped) this.noMorePasses = true;
        this.inFlight.delete(pass);
        pass.end();
      });
  }
}
