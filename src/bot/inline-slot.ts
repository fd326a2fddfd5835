import type { InlineReply } from '../channels/types';

/** What the channel answering inside its callback can carry. */
export interface InlineLimits {
  /** The longest text one answer may hold, in UTF-8 bytes (WeCom: 2,048). */
  textMaxBytes: number;
}

/**
 * The one chance to answer an event inside the platform's HTTP response. The
 * handler takes it when its replies are ready; the receiver closes it when its
 * time budget runs out first. Both happen on one thread, so exactly one wins:
 * a taken slot is answered inline, a closed one leaves every reply to the API.
 */
export class InlineSlot {
  private state: 'open' | 'taken' | 'closed' = 'open';
  private settle!: (reply: InlineReply | null) => void;
  /** Resolves with the inline answer (null: answer empty) once it is stored. */
  readonly answer = new Promise<InlineReply | null>((resolve) => (this.settle = resolve));

  constructor(
    readonly limits: InlineLimits,
    /** Makes the answer durable before it is given, so a platform retry gets it again. */
    private readonly store: (reply: InlineReply) => Promise<void>,
    /**
     * Whether what goes through the API besides will wait for the rate limit,
     * and the person has not been told so lately (then the answer says it).
     */
    readonly mustWait: (comingToo: number) => Promise<boolean> = async () => false,
  ) {}

  /** The handler claims the slot; false when the receiver has already answered without it. */
  take(): boolean {
    if (this.state !== 'open') return false;
    this.state = 'taken';
    return true;
  }

  /** The receiver gives up waiting; false when the handler took the slot (then wait for `answer`). */
  close(): boolean {
    if (this.state !== 'open') return false;
    this.state = 'closed';
    this.settle(null);
    return true;
  }

  private held: InlineReply | null = null;

  /**
   * Gives the inline answer (after take()); null answers empty. Given while
   * work goes on (`early`), it is stored at once; otherwise it is held until
   * `finish`, which stores it with the event's end in one write.
   */
  async give(reply: InlineReply | null, early = false): Promise<void> {
    if (!early) {
      this.held = reply;
      return;
    }
    try {
      if (reply) await this.store(reply);
      this.settle(reply);
    } catch (err) {
      this.settle(null);
      throw err;
    }
  }

  /** The answer held for the event's final write (null: none, or given early). */
  get heldReply(): InlineReply | null {
    return this.held;
  }

  /** The event's end (with the held answer) is stored: answer now. */
  finished(): void {
    if (this.state === 'taken') this.settle(this.held);
  }

  /** Handling failed: answer empty, the event stays to be retried. */
  abandon(): void {
    this.state = 'closed';
    this.settle(null);
  }
}
