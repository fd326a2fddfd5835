import type { Logger } from './logger';

/**
 * Runs `work` every `intervalMs`, and soon after `kick()`; never two runs at
 * once. A failed run is logged and the next one comes as usual.
 */
export class Poller {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly name: string,
    private readonly work: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Asks for a run soon; a kick during a run makes one more run after it. Nothing before start(). */
  kick(): void {
    if (!this.timer) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.work();
        } catch (err) {
          this.logger.error({ err, poller: this.name }, 'background run failed');
        }
      } while (this.again);
      this.running = null;
    })();
  }

  /** Stops the timer and waits for a run in progress to end. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
