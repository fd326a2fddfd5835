/**
 * Scenario a: the bot is SIGKILLed in the middle of a month's fan-out while WeCom
 * fails a share of sends, then restarted on the same data folder and Redis.
 * Everyone must get the opening card, nobody twice.
 */
import { startBot, startRedis, stopProc, waitQuiet, waitUntil, type Proc } from './processes';
import { cardsOf, createWorld, currentMonth, deliveryFigures } from './world';

/** How a run is shaped. */
export interface KillFanoutOptions {
  staff: number;
  /** Share of API calls WeCom answers with errcode -1 (busy). */
  failureRate: number;
  /** Kill once this share of the staff has been reached. */
  killAt: number;
  /** Upper bound for the whole run after the restart. */
  timeoutMs: number;
  /** false: a control run on a WeCom without the duplicate check or the task_id guard. */
  guards?: boolean;
}

/** The figures of one run. */
export interface KillFanoutResult {
  staff: number;
  reachedBeforeKill: number;
  reached: number;
  duplicated: number;
  /** Sends repeated after the restart that WeCom dropped as duplicates. */
  dropped: number;
  taskIdReused: number;
  /** Outbox messages the restarted bot sent again although WeCom had them (in flight, or marks lost). */
  resent: number;
}

/** Runs scenario a once. */
export async function killFanout(options: KillFanoutOptions): Promise<KillFanoutResult> {
  const world = await createWorld(options.staff, options.guards);
  const redis = await startRedis();
  const procs: Proc[] = [redis.proc];
  const { fake, team } = world;
  const reachedNow = () => team.staff.filter((u) => cardsOf(fake, u).length > 0).length;
  try {
    fake.failRandomly(options.failureRate, -1);
    const env = { ...world.env, REDIS_URL: redis.url };
    const first = await startBot(env);
    procs.push(first.proc);
    const status = await world.say(first.port, team.manager, `/open ${currentMonth()}`);
    if (status !== 200) throw new Error(`/open answered ${status}`);
    const killAt = Math.ceil(options.staff * options.killAt);
    if (!(await waitUntil(() => reachedNow() >= killAt, options.timeoutMs, 10)))
      throw new Error(`the fan-out never reached ${killAt}`);
    first.proc.signal('SIGKILL');
    await first.proc.exited;
    const killedAt = Date.now();
    const reachedBeforeKill = reachedNow();
    const sendsBeforeRestart = fake.requests.length;

    const second = await startBot(env);
    procs.push(second.proc);
    await waitUntil(() => reachedNow() >= options.staff, options.timeoutMs);
    // Messages leased at the kill come back once the lease (5 s) has run out: wait past
    // it, then until WeCom has heard nothing for 2 s.
    await waitUntil(() => Date.now() > killedAt + 6000, 10_000);
    await waitQuiet(fake, 2000, 30_000);
    const figures = deliveryFigures(fake, team.staff);
    const afterRestart = fake.requests.slice(sendsBeforeRestart);
    return {
      staff: options.staff,
      reachedBeforeKill,
      ...figures,
      resent: afterRestart.filter((r) => r.duplicate || r.errcode === 42014).length,
    };
  } finally {
    for (const proc of procs.reverse()) await stopProc(proc);
    await world.close();
  }
}

/** One line of figures. */
export function killFanoutLine(run: number, r: KillFanoutResult, label = ''): string {
  return (
    `a. kill mid-fan-out${label} #${run}: reached ${r.reached}/${r.staff}, duplicated ${r.duplicated}` +
    ` (killed at ${r.reachedBeforeKill} reached; after restart ${r.resent} sends repeated,` +
    ` ${r.dropped} dropped by the duplicate check, ${r.taskIdReused} refused as a reused task_id)`
  );
}
