/**
 * Scenario d: WeCom's API is unreachable for a while (connections dropped) while
 * the month opens and people answer; once it is back, every queued message is
 * delivered once, and each person's in the order they were queued.
 */
import type { FakeWecom } from '../../test/fakes/fake-wecom';
import {
  sleep,
  startBot,
  startRedis,
  stopProc,
  waitQuiet,
  waitUntil,
  type Proc,
} from './processes';
import { cardsOf, createWorld, currentMonth, deliveryFigures } from './world';

/** How a run is shaped. */
export interface ApiDownOptions {
  staff: number;
  downMs: number;
  timeoutMs: number;
}

/** The figures of one run. */
export interface ApiDownResult {
  staff: number;
  downMs: number;
  /** Distinct messages the bot tried to send. */
  queued: number;
  delivered: number;
  duplicated: number;
  /** People whose messages arrived in another order than the bot first tried them. */
  outOfOrder: number;
  reached: number;
}

/** Runs scenario d once. */
export async function apiDown(options: ApiDownOptions): Promise<ApiDownResult> {
  const world = await createWorld(options.staff);
  const redis = await startRedis();
  const procs: Proc[] = [redis.proc];
  const { fake, team } = world;
  try {
    // Every reply through the API, none inside the callback: the API's outage is what is tried here.
    const bot = await startBot({
      ...world.env,
      REDIS_URL: redis.url,
      WECOM_PASSIVE_REPLIES: 'false',
    });
    procs.push(bot.proc);
    fake.setDown('reset');
    const wentDown = Date.now();
    if ((await world.say(bot.port, team.manager, `/open ${currentMonth()}`)) !== 200)
      throw new Error('/open was not taken');
    // Everyone answers the first criterion while WeCom is down: a second card is queued behind the first.
    for (const userid of team.staff) await world.say(bot.port, userid, '1');
    await sleep(Math.max(0, wentDown + options.downMs - Date.now()));
    fake.setDown(false);
    await waitUntil(() => team.staff.every((u) => cardsOf(fake, u).length >= 2), options.timeoutMs);
    await waitQuiet(fake, 2000, 30_000);
    const figures = deliveryFigures(fake, team.staff);
    const everyone = [team.manager, ...team.staff];
    const attempted = everyone.flatMap((u) => firstTries(fake, u));
    return {
      staff: options.staff,
      downMs: options.downMs,
      queued: attempted.length,
      delivered: fake.sent.filter((b) => everyone.includes(String(b.touser))).length,
      duplicated: figures.duplicated,
      outOfOrder: everyone.filter((u) => !inOrder(fake, u)).length,
      reached: figures.reached,
    };
  } finally {
    for (const proc of procs.reverse()) await stopProc(proc);
    await world.close();
  }
}

/** The distinct send bodies tried for `userid`, in the order first tried. */
function firstTries(fake: FakeWecom, userid: string): string[] {
  const seen = new Set<string>();
  for (const r of fake.requests)
    if (r.path.endsWith('/message/send') && r.body?.touser === userid)
      seen.add(JSON.stringify(r.body));
  return [...seen];
}

// Delivered in the order first tried, and nothing tried is missing.
function inOrder(fake: FakeWecom, userid: string): boolean {
  const delivered = fake.sent.filter((b) => b.touser === userid).map((b) => JSON.stringify(b));
  return JSON.stringify(delivered) === JSON.stringify(firstTries(fake, userid));
}

/** One line of figures. */
export function apiDownLine(r: ApiDownResult): string {
  return (
    `d. WeCom down ${r.downMs / 1000} s: delivered ${r.delivered}/${r.queued} queued, ` +
    `duplicated ${r.duplicated}, out of order ${r.outOfOrder}, reached ${r.reached}/${r.staff}`
  );
}
