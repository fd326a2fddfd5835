import { randomUUID } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';
import type { StateStore } from '../state/state-store';
import type { Job } from './job';

const LOCK_MS = 10 * 60_000;

/** How a failed scheduled run is retried, and where runs are counted. */
export interface JobRunnerOptions {
  /** First wait after a failed scheduled run, doubling each time (default 30 s; tests use a few ms). */
  retryBaseMs?: number;
  /** Longest wait between two tries (default 15 min). */
  retryMaxMs?: number;
  metrics?: Metrics;
}

/**
 * Runs declared jobs on their cron schedule in the configured time zone. A
 * job takes a lock in the shared state store first, so when several instances
 * fire it at once only one runs it; the lock expires if its holder dies and is
 * released when done. What a job sends is idempotent besides, so a run after
 * a crash finishes the work without repeating it.
 *
 * The runner is the scheduled jobs' error boundary: a failed run is logged
 * and tried again with backoff until the job's next scheduled time, and
 * never reaches the process as an unhandled rejection.
 */
export class JobRunner {
  private tasks: ScheduledTask[] = [];
  private readonly sleeping = new Set<() => void>();
  private stopped = false;

  constructor(
    private readonly jobs: Job[],
    private readonly state: StateStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly timeZone: string,
    private readonly options: JobRunnerOptions = {},
  ) {}

  /** Schedules every job. */
  start(): void {
    this.stopped = false;
    for (const job of this.jobs) {
      const task: ScheduledTask = cron.schedule(
        job.schedule,
        () => this.runScheduled(job.name, task.getNextRun()),
        { timezone: this.timeZone, name: job.name },
      );
      this.tasks.push(task);
    }
    this.logger.info(
      { jobs: this.jobs.map((j) => `${j.name} (${j.schedule})`), timeZone: this.timeZone },
      'schedule on',
    );
  }

  /**
   * A scheduled run: fires the job, and after a failure tries again with
   * backoff while the next try starts before `until` (the job's next
   * scheduled time), then gives up until that run. Never rejects.
   */
  async runScheduled(name: string, until: Date | null): Promise<string | null | undefined> {
    const base = this.options.retryBaseMs ?? 30_000;
    const max = this.options.retryMaxMs ?? 15 * 60_000;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.fire(name);
      } catch (err) {
        const waitMs = Math.min(max, base * 2 ** Math.min(attempt - 1, 30));
        if (this.stopped || (until && Date.now() + waitMs >= until.getTime())) {
          this.logger.error({ job: name, attempt }, 'job gave up until its next run');
          this.options.metrics?.job(name, 'gave_up');
          return undefined;
        }
        const reason = (err as Error).message;
        this.logger.warn({ job: name, attempt, retryInMs: waitMs, reason }, 'job will be retried');
        this.options.metrics?.job(name, 'retry');
        await this.sleep(waitMs);
      }
    }
  }

  /** Runs a job now if no other instance is running it; returns what it did, or null when another instance had it. Rejects when the job fails. */
  async fire(name: string): Promise<string | null> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) throw new Error(`unknown job ${name}`);
    const lock = `job:${name}`;
    const holder = randomUUID();
    if (!(await this.state.setIfAbsent(lock, holder, LOCK_MS))) {
      this.logger.info({ job: name }, 'job running elsewhere; skipped');
      this.options.metrics?.job(name, 'skipped');
      return null;
    }
    try {
      const outcome = await job.run(this.clock.now());
      this.logger.info({ job: name, outcome }, 'job done');
      this.options.metrics?.job(name, 'done');
      return outcome;
    } catch (err) {
      this.logger.error({ err, job: name }, 'job failed');
      this.options.metrics?.job(name, 'failed');
      throw err;
    } finally {
      // A lock that cannot be released (Redis away) expires on its own; the job's outcome stands.
      await this.state.deleteIfEquals(lock, holder).catch((err: unknown) => {
        this.logger.warn({ err, job: name }, 'job lock not released; it will expire');
      });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.sleeping) wake();
    // destroy, not stop: a stopped task stays registered with node-cron and can be started again.
    for (const task of this.tasks) await task.destroy();
    this.tasks = [];
  }

  /** Waits `ms`, or less when the runner stops; the timer never holds the process. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleeping.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.sleeping.add(wake);
    });
  }
}
