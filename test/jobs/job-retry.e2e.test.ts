import { MongoNetworkError } from 'mongodb';
import { parseMonth } from '../../src/assessment/month';
import { JobRunner } from '../../src/jobs/job-runner';
import type { Job } from '../../src/jobs/job';
import { silentLogger } from '../../src/lib/logger';
import { Metrics } from '../../src/lib/metrics';
import { BotHarness, texts } from '../helpers/bot-harness';

describe('a scheduled job that fails', () => {
  let h: BotHarness;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    h = await BotHarness.start();
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await h.stop();
  });

  it('is retried with backoff until it succeeds, and the bot keeps answering', async () => {
    let calls = 0;
    // The database call of the job fails twice the way the driver fails when MongoDB is away.
    const remind: Job = {
      name: 'remind-staff',
      schedule: '0 9 28 * *',
      run: async (now) => {
        calls += 1;
        if (calls <= 2) throw new MongoNetworkError('connection 7 to 127.0.0.1:27017 closed');
        const report = await h.kaohe.cycle.remindStaff(parseMonth('2024-05'), now.toISOString());
        return `reminded ${report.notified}`;
      },
    };
    const metrics = new Metrics();
    const runner = new JobRunner([remind], h.state, h.clock, silentLogger, 'UTC', {
      retryBaseMs: 5,
      metrics,
    });
    const until = new Date(Date.now() + 60_000);
    expect(await runner.runScheduled('remind-staff', until)).toMatch(/^reminded \d+$/);
    expect(calls).toBe(3);
    const scraped = await metrics.registry.metrics();
    expect(scraped).toContain('kaohe_job_runs_total{job="remind-staff",outcome="retry"} 2');
    expect(scraped).toContain('kaohe_job_runs_total{job="remind-staff",outcome="done"} 1');
    // The lock was released after each failure, or the third try would have been skipped.
    expect(await h.state.get('job:remind-staff')).toBeNull();
    expect(texts(await h.say('zhangwei', '/help'))).toContain('/self');
    expect(unhandled).toEqual([]);
  });

  it('gives up before its next scheduled time and never rejects', async () => {
    let calls = 0;
    const broken: Job = {
      name: 'broken',
      schedule: '0 9 * * *',
      run: async () => {
        calls += 1;
        throw new Error('bug');
      },
    };
    const runner = new JobRunner([broken], h.state, h.clock, silentLogger, 'UTC', {
      retryBaseMs: 60_000,
    });
    // The first wait (a minute) would reach past the next run (in 5 s): no second try.
    await expect(runner.runScheduled('broken', new Date(Date.now() + 5000))).resolves.toBe(
      undefined,
    );
    expect(calls).toBe(1);
    expect(await h.state.get('job:broken')).toBeNull();
  });

  it('fails loudly to a manager command that fires it', async () => {
    const broken: Job = {
      name: 'broken',
      schedule: '0 9 * * *',
      run: async () => {
        throw new Error('bug');
      },
    };
    const runner = new JobRunner([broken], h.state, h.clock, silentLogger, 'UTC');
    await expect(runner.fire('broken')).rejects.toThrow('bug');
  });

  it('does not let a failing run on the cron schedule reach the process', async () => {
    let calls = 0;
    const everySecond: Job = {
      name: 'every-second',
      schedule: '* * * * * *',
      run: async () => {
        calls += 1;
        throw new Error('bug');
      },
    };
    const runner = new JobRunner([everySecond], h.state, h.clock, silentLogger, 'UTC', {
      retryBaseMs: 50,
    });
    runner.start();
    while (calls < 2) await new Promise((r) => setTimeout(r, 50));
    await runner.stop();
    await new Promise((r) => setImmediate(r));
    expect(unhandled).toEqual([]);
  });
});
