import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { timeBoxed } from './time-box';

/** What a callback came to: answered 2xx (`accepted`, platform retries included), refused 4xx (`refused`) or failed (`error`). */
export type CallbackOutcome = 'accepted' | 'refused' | 'error';

/** How many items wait in each durable queue, read when /metrics is scraped. */
export type DepthSource = () => Promise<{ inbox: number; outbox: number }>;

// A scrape must answer even while the database is away; the depth is then left out.
const DEPTH_TIMEOUT_MS = 800;

/**
 * The bot's Prometheus series, in a registry of its own per instance (tests
 * build many apps in one process, and prom-client's global registry would
 * refuse the second). Every recorder is one call, so instrumenting a
 * receiver or the sender costs one line.
 */
export class Metrics {
  readonly registry = new Registry();
  private depth: DepthSource | undefined;
  private readonly callbacks = new Counter({
    name: 'kaohe_callbacks_total',
    help: 'Platform callbacks received, by platform and outcome.',
    labelNames: ['platform', 'outcome'],
    registers: [this.registry],
  });
  private readonly answerSeconds = new Histogram({
    name: 'kaohe_callback_answer_seconds',
    help: 'Time from receiving a callback to answering it (the platform retries after 5 s).',
    labelNames: ['platform'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers: [this.registry],
  });
  private readonly sends = new Counter({
    name: 'kaohe_sends_total',
    help: 'Outbox send attempts, by outcome (sent, retry, failed) and platform errcode.',
    labelNames: ['platform', 'outcome', 'errcode'],
    registers: [this.registry],
  });
  private readonly jobs = new Counter({
    name: 'kaohe_job_runs_total',
    help: 'Scheduled job runs, by job and outcome (done, skipped, retry, failed, gave_up).',
    labelNames: ['job', 'outcome'],
    registers: [this.registry],
  });
  private readonly rateLimitWaits = new Counter({
    name: 'kaohe_rate_limit_waits_total',
    help: 'Times the sender held a person back for the per-person message limit.',
    registers: [this.registry],
  });

  constructor() {
    const source = () => this.depth;
    new Gauge({
      name: 'kaohe_queue_depth',
      help: 'Items waiting in the inbox and the outbox (pending or being worked).',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        const read = source();
        if (!read) return;
        const depth = await timeBoxed(read, DEPTH_TIMEOUT_MS, null);
        if (!depth) return;
        this.set({ queue: 'inbox' }, depth.inbox);
        this.set({ queue: 'outbox' }, depth.outbox);
      },
    });
  }

  /** Where the queue depths are read from at scrape time. */
  observeDepth(source: DepthSource): void {
    this.depth = source;
  }

  /** One callback answered after `ms` milliseconds. */
  callback(platform: string, outcome: CallbackOutcome, ms: number): void {
    this.callbacks.inc({ platform, outcome });
    this.answerSeconds.observe({ platform }, ms / 1000);
  }

  /** One send attempt; `errcode` is the platform's code when it gave one. */
  send(platform: string, outcome: 'sent' | 'retry' | 'failed', errcode = ''): void {
    this.sends.inc({ platform, outcome, errcode });
  }

  /** One run of a scheduled job. */
  job(job: string, outcome: 'done' | 'skipped' | 'retry' | 'failed' | 'gave_up'): void {
    this.jobs.inc({ job, outcome });
  }

  /** The sender postponed `count` people for the per-person limit. */
  rateLimitWait(count = 1): void {
    if (count > 0) this.rateLimitWaits.inc(count);
  }
}
