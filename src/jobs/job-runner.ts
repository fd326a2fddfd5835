import { randomUUID } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { StateStore } from '../state/state-store';
import type { Job } from './job';

const LOCK_MS = 10 * 60_000;

/**
 * Runs declared jobs on their cron schedule in the configured time zone. A
 * job takes a lock in the shared state store first, so when several instances
 * fire it at once only one runs it; the lock expires if its holder dies and is
 * released when done. What a job sends is idempotent besides, so a run after
 * a crash finishes the work without repeating it.
 */
export class JobRunner {
  private tasks: ScheduledTask[] = [];

  constructor(
    private readonly jobs: Job[],
    private readonly state: StateStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly timeZone: string,
  ) {}

  /** Schedules every job. */
  start(): void {
    for (const job of this.jobs) {
      const task = cron.schedule(job.schedule, () => void this.fire(job.name), {
        timezone: this.timeZone,
        name: job.name,
      });
      this.tasks.push(task);
    }
    this.logger.info(
      { jobs: this.jobs.map((j) => `${j.name} (${j.schedule})`), timeZone: this.timeZone },
      'schedule on',
    );
  }

  /** Runs a job now if no other instance is running it; returns what it did, or null when another instance had it. */
  async fire(name: string): Promise<string | null> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) throw new Error(`unknown job ${name}`);
    const lock = `job:${name}`;
    const holder = randomUUID();
    if (!(await this.state.setIfAbsent(lock, holder, LOCK_MS))) {
      this.logger.info({ job: name }, 'job running elsewhere; skipped');
      return null;
    }
    try {
      const outcome = await job.run(this.clock.now());
      this.logger.info({ job: name, outcome }, 'job done');
      return outcome;
    } catch (err) {
      this.logger.error({ err, job: name }, 'job failed');
      throw err;
    } finally {
      await this.state.deleteIfEquals(lock, holder);
    }
  }

  async stop(): Promise<void> {
    // destroy, not stop: a stopped task stays registered with node-cron and can be started again.
    for (const task of this.tasks) await task.destroy();
    this.tasks = [];
  }
}
