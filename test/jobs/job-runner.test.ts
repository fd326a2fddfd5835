import cron from 'node-cron';
import { loadConfig } from '../../config';
import { JobRunner } from '../../src/jobs/job-runner';
import type { Job } from '../../src/jobs/job';
import { ManualClock } from '../../src/lib/clock';
import { silentLogger } from '../../src/lib/logger';
import { MemoryStateStore } from '../../src/state/memory-state-store';

const names = () => [...cron.getTasks().values()].map((t) => t.name).sort();

describe('job runner', () => {
  it('schedules every configured job in the configured time zone, and stops them', async () => {
    const { assessment } = loadConfig({});
    const jobs: Job[] = Object.entries(assessment.schedule).map(([name, schedule]) => ({
      name,
      schedule,
      run: async () => name,
    }));
    const runner = new JobRunner(
      jobs,
      new MemoryStateStore(),
      new ManualClock('2024-05-25T01:00:00Z'),
      silentLogger,
      'Asia/Shanghai',
    );
    runner.start();
    expect(names()).toEqual([
      'askSupervisors',
      'close',
      'open',
      'recordDigest',
      'remindStaff',
      'remindSupervisors',
    ]);
    await runner.stop();
    expect(names()).toEqual([]);
  });

  it('runs a job once when it is fired while another run holds the lock', async () => {
    let runs = 0;
    let release!: () => void;
    const slow: Job = {
      name: 'slow',
      schedule: '0 9 * * *',
      run: () =>
        new Promise((r) => {
          runs += 1;
          release = () => r('done');
        }),
    };
    const state = new MemoryStateStore();
    const runner = new JobRunner(
      [slow],
      state,
      new ManualClock('2024-05-25T01:00:00Z'),
      silentLogger,
      'UTC',
    );
    const first = runner.fire('slow');
    await new Promise((r) => setImmediate(r));
    expect(await runner.fire('slow')).toBeNull();
    release();
    expect(await first).toBe('done');
    expect(runs).toBe(1);
    // Released when done: the next scheduled run may take it.
    const again = runner.fire('slow');
    await new Promise((r) => setImmediate(r));
    release();
    expect(await again).toBe('done');
  });
});
