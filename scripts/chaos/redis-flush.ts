/**
 * Scenario b: Redis is emptied (FLUSHALL) while people are half-way through their
 * self-assessment. Afterwards each goes on — half with /self, half by typing the
 * next number at once — and must land on the first unanswered criterion, with
 * every score typed before the flush still in the database.
 */
import { execFileSync } from 'node:child_process';
import mongoose from 'mongoose';
import {
  startBot,
  startDatabase,
  startRedis,
  stopProc,
  waitQuiet,
  waitUntil,
  type Proc,
} from './processes';
import { cardsOf, createWorld, currentMonth } from './world';

/** The figures of one run. */
export interface RedisFlushResult {
  staff: number;
  /** People whose stored scores are exactly what they typed, before and after the flush. */
  intact: number;
  /** People asked the right next criterion after their answer past the flush. */
  resumed: number;
}

// Person i answers 1 + i % 4 criteria before the flush; criterion n gets n % 5 + 1 points.
const before = (i: number) => 1 + (i % 4);
const points = (criterion: number) => String((criterion % 5) + 1);

/** Runs scenario b once. */
export async function redisFlush(options: { staff: number; timeoutMs: number }) {
  const world = await createWorld(options.staff);
  const redis = await startRedis();
  const database = await startDatabase(world.dir);
  const procs: Proc[] = [redis.proc, database.proc];
  const connection = await mongoose.createConnection(database.uri).asPromise();
  const { fake, team } = world;
  const month = currentMonth();
  const scoresOf = async () => {
    const docs = await connection
      .collection('assessments')
      .find({ month }, { projection: { userid: 1, 'self.scores': 1 } })
      .toArray();
    return new Map(
      docs.map((d) => [String(d.userid), (d.self?.scores ?? {}) as Record<string, number>]),
    );
  };
  const counted = async (expected: (i: number) => number) => {
    const scores = await scoresOf();
    return team.staff.every((u, i) => Object.keys(scores.get(u) ?? {}).length >= expected(i));
  };
  try {
    // The next question then comes as an API card, which the fake sees: that is how "resumed" is read.
    const bot = await startBot({
      ...world.env,
      REDIS_URL: redis.url,
      MONGODB_URI: database.uri,
      WECOM_PASSIVE_REPLIES: 'false',
    });
    procs.push(bot.proc);
    await world.say(bot.port, team.manager, `/open ${month}`);
    await waitUntil(() => team.staff.every((u) => cardsOf(fake, u).length > 0), options.timeoutMs);
    const typeAll = async (from: (i: number) => number, to: (i: number) => number) =>
      Promise.all(
        team.staff.map(async (userid, i) => {
          for (let n = from(i); n <= to(i); n += 1) await world.say(bot.port, userid, points(n));
        }),
      );
    await typeAll(() => 1, before);
    execFileSync('redis-cli', ['-p', String(redis.port), 'flushall']);
    await waitUntil(() => counted(before), options.timeoutMs);
    await Promise.all(
      team.staff.map(async (userid, i) => {
        if (i % 2 === 0) await world.say(bot.port, userid, '/self');
        await world.say(bot.port, userid, points(before(i) + 1));
      }),
    );
    await waitUntil(() => counted((i) => before(i) + 1), options.timeoutMs);
    await waitQuiet(fake, 2000, 30_000);
    const scores = await scoresOf();
    let intact = 0;
    let resumed = 0;
    team.staff.forEach((userid, i) => {
      const expected = Object.fromEntries(
        Array.from({ length: before(i) + 1 }, (_, n) => [String(n + 1), Number(points(n + 1))]),
      );
      if (JSON.stringify(sorted(scores.get(userid) ?? {})) === JSON.stringify(sorted(expected)))
        intact += 1;
      const last = cardsOf(fake, userid).at(-1) as { main_title?: { title?: string } } | undefined;
      if (last?.main_title?.title?.startsWith(`${before(i) + 2}/`)) resumed += 1;
    });
    return { staff: options.staff, intact, resumed };
  } finally {
    await connection.close();
    for (const proc of procs.reverse()) await stopProc(proc);
    await world.close();
  }
}

function sorted(scores: Record<string, number>): [string, number][] {
  return Object.entries(scores).sort(([a], [b]) => Number(a) - Number(b));
}

/** One line of figures. */
export function redisFlushLine(r: RedisFlushResult): string {
  return (
    `b. Redis emptied mid-form: scores intact ${r.intact}/${r.staff}, ` +
    `resumed at the first unanswered criterion ${r.resumed}/${r.staff}`
  );
}
