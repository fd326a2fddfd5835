/**
 * `npm run chaos`: runs the real bot process through crashes and outages and
 * prints one line of figures per scenario. Everything runs on 127.0.0.1 (a fake
 * WeCom, a throwaway redis-server); every wait is bounded.
 * Options: --staff N (200), --runs N (3), --down-seconds N (20), --pause-seconds N (10),
 * --only a,b,c,d,e (default all);
 * --control adds a run of a on a WeCom that delivers every repeat (what the guards prevent).
 */
import { apiDown, apiDownLine } from './chaos/api-down';
import { databasePause, databasePauseLine } from './chaos/database-pause';
import { killFanout, killFanoutLine } from './chaos/kill-fanout';
import { redisFlush, redisFlushLine } from './chaos/redis-flush';
import { twoInstances, twoInstancesLine } from './chaos/two-instances';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const staff = Number(option('staff', '200'));
  const runs = Number(option('runs', '3'));
  const only = new Set(option('only', 'a,b,c,d,e').split(','));
  let failed = false;
  if (only.has('a')) {
    for (let run = 1; run <= runs; run += 1) {
      const result = await killFanout({ staff, failureRate: 0.2, killAt: 0.4, timeoutMs: 120_000 });
      console.log(killFanoutLine(run, result));
      failed ||= result.reached !== staff || result.duplicated !== 0;
    }
  }
  if (only.has('d')) {
    const downMs = 1000 * Number(option('down-seconds', '20'));
    const result = await apiDown({ staff, downMs, timeoutMs: downMs + 120_000 });
    console.log(apiDownLine(result));
    failed ||= result.delivered !== result.queued || result.duplicated + result.outOfOrder > 0;
  }
  if (only.has('e')) {
    const result = await twoInstances({ staff });
    console.log(twoInstancesLine(result));
    failed ||= result.reached !== staff || result.duplicated > 0 || result.cards !== staff;
  }
  if (only.has('b')) {
    const result = await redisFlush({ staff, timeoutMs: 120_000 });
    console.log(redisFlushLine(result));
    failed ||= result.intact !== staff || result.resumed !== staff;
  }
  if (only.has('c')) {
    const pauseMs = 1000 * Number(option('pause-seconds', '10'));
    const result = await databasePause({ staff, pauseMs });
    console.log(databasePauseLine(result));
    failed ||= result.accepted !== staff || result.handledOnce !== staff;
  }
  if (process.argv.includes('--control')) {
    const options = { staff, failureRate: 0.2, killAt: 0.4, timeoutMs: 120_000, guards: false };
    console.log(killFanoutLine(1, await killFanout(options), ' (control: no WeCom guards)'));
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
