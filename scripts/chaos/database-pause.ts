/**
 * Scenario c: the database stops answering (its process is SIGSTOPped) while
 * people keep answering. Each callback is posted the way WeCom does: it waits
 * 5 s for an answer and posts the same message again, at most 3 more times. After
 * the database is back, every answer must be stored exactly once.
 */
import mongoose from 'mongoose';
import {
  sleep,
  startBot,
  startDatabase,
  startRedis,
  stopProc,
  waitQuiet,
  waitUntil,
  type Proc,
} from './processes';
import { cardsOf, createWorld, currentMonth, nextMsgId, type World } from './world';

/** The figures of one run. */
export interface DatabasePauseResult {
  staff: number;
  pauseMs: number;
  /** Answers that got a 200 on some try; the rest were given up by "WeCom". */
  accepted: number;
  /** Tries answered 5xx, and tries with no answer within 5 s. */
  refused: number;
  timedOut: number;
  /** People whose one answer is stored once, in the first criterion, and nothing else. */
  handledOnce: number;
  /** People with more stored than they typed (an event handled twice). */
  handledTwice: number;
}

const WECOM_WAIT_MS = 5000;
const WECOM_RETRIES = 3;

// WeCom's delivery of one message: the same MsgId until it gets a 200, bounded.
async function deliver(world: World, port: number, from: string, text: string) {
  const msgId = nextMsgId();
  const tries: number[] = [];
  for (let attempt = 0; attempt <= WECOM_RETRIES; attempt += 1) {
    const status = await world.say(port, from, text, { msgId, timeoutMs: WECOM_WAIT_MS });
    tries.push(status);
    if (status === 200) break;
    if (status !== 0) await sleep(WECOM_WAIT_MS);
  }
  return tries;
}

/** Runs scenario c once. */
export async function databasePause(options: {
  staff: number;
  pauseMs: number;
}): Promise<DatabasePauseResult> {
  const world = await createWorld(options.staff);
  const redis = await startRedis();
  const database = await startDatabase(world.dir);
  const procs: Proc[] = [redis.proc, database.proc];
  const connection = await mongoose.createConnection(database.uri).asPromise();
  const { fake, team } = world;
  const month = currentMonth();
  try {
    const bot = await startBot({ ...world.env, REDIS_URL: redis.url, MONGODB_URI: database.uri });
    procs.push(bot.proc);
    await world.say(bot.port, team.manager, `/open ${month}`);
    await waitUntil(() => team.staff.every((u) => cardsOf(fake, u).length > 0), 60_000);
    database.proc.signal('SIGSTOP');
    const resume = setTimeout(() => database.proc.signal('SIGCONT'), options.pauseMs);
    // The answers come in spread over the pause: person i types i % 5 + 1 for criterion 1.
    const gap = options.pauseMs / team.staff.length;
    const tries = await Promise.all(
      team.staff.map(async (userid, i) => {
        await sleep(i * gap);
        return deliver(world, bot.port, userid, String((i % 5) + 1));
      }),
    );
    clearTimeout(resume);
    database.proc.signal('SIGCONT');
    const docs = async () =>
      connection
        .collection('assessments')
        .find({ month }, { projection: { userid: 1, 'self.scores': 1 } })
        .toArray();
    await waitUntil(
      async () => (await docs()).every((d) => Object.keys(d.self?.scores ?? {}).length > 0),
      60_000,
    );
    await waitQuiet(fake, 2000, 30_000);
    const stored = new Map((await docs()).map((d) => [String(d.userid), d.self?.scores ?? {}]));
    const all = tries.flat();
    return {
      staff: options.staff,
      pauseMs: options.pauseMs,
      accepted: tries.filter((t) => t.includes(200)).length,
      refused: all.filter((s) => s >= 500).length,
      timedOut: all.filter((s) => s === 0).length,
      handledOnce: team.staff.filter(
        (u, i) => JSON.stringify(stored.get(u)) === JSON.stringify({ 1: (i % 5) + 1 }),
      ).length,
      handledTwice: team.staff.filter((u) => Object.keys(stored.get(u) ?? {}).length > 1).length,
    };
  } finally {
    database.proc.signal('SIGCONT');
    await connection.close();
    for (const proc of procs.reverse()) await stopProc(proc);
    await world.close();
  }
}

/** One line of figures. */
export function databasePauseLine(r: DatabasePauseResult): string {
  return (
    `c. database paused ${r.pauseMs / 1000} s: answers accepted ${r.accepted}/${r.staff} ` +
    `(${r.refused} tries answered 5xx, ${r.timedOut} unanswered in 5 s), ` +
    `stored once ${r.handledOnce}/${r.staff}, twice ${r.handledTwice}`
  );
}
