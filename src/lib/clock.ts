/** The source of "now", injected so that tests can move time without sleeping. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until told to move; for tests. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Sets the time. */
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }

  /** Moves the time forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.current += ms;
  }
}
