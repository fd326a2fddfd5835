/**
 * Scenario e: two bot processes on one database (an embedded server of its own)
 * and one Redis, with the schedule on and the opening due every minute: both fire
 * it at the same second. Each person must get exactly one opening card.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_ASSESSMENT_FILE } from '../../config';
import {
  startBot,
  startDatabase,
  startRedis,
  stopProc,
  waitQuiet,
  waitUntil,
  type Proc,
} from './processes';
import { cardsOf, createWorld, deliveryFigures } from './world';

/** The figures of one run. */
export interface TwoInstancesResult {
  staff: number;
  reached: number;
  duplicated: number;
  /** How many cards the staff got in all (one each is right). */
  cards: number;
  /** Per instance, how often its schedule ran the opening and how often it found it running elsewhere. */
  instances: { ran: number; skipped: number }[];
}

// Every job but the opening moved to 1 January, 03:00 (far from any run); the opening every minute;
// working hours all day, so the scheduled cards are not held until 09:00.
function everyMinuteAssessment(file: string): void {
  const assessment = JSON.parse(readFileSync(DEFAULT_ASSESSMENT_FILE, 'utf8')) as {
    schedule: Record<string, string>;
    workingHours: { start: string; end: string };
  };
  for (const job of Object.keys(assessment.schedule)) assessment.schedule[job] = '0 3 1 1 *';
  assessment.schedule.open = '* * * * *';
  assessment.workingHours = { start: '00:00', end: '23:59' };
  writeFileSync(file, JSON.stringify(assessment));
}

/** Runs scenario e once; waits for the next minute's tick (at most about 70 s). */
export async function twoInstances(options: { staff: number }): Promise<TwoInstancesResult> {
  const world = await createWorld(options.staff);
  const redis = await startRedis();
  const database = await startDatabase(world.dir);
  const procs: Proc[] = [redis.proc, database.proc];
  const { fake, team } = world;
  try {
    const assessmentFile = path.join(world.dir, 'assessment.json');
    everyMinuteAssessment(assessmentFile);
    const env = {
      ...world.env,
      REDIS_URL: redis.url,
      MONGODB_URI: database.uri,
      CRON_ENABLED: 'true',
      ASSESSMENT_FILE: assessmentFile,
    };
    // One after the other: both sync the roster file at start.
    const bots: Proc[] = [];
    for (const name of ['one', 'two']) {
      const bot = await startBot({ ...env, DATA_DIR: path.join(world.dir, name) });
      procs.push(bot.proc);
      bots.push(bot.proc);
    }
    const reached = () => team.staff.every((u) => cardsOf(fake, u).length > 0);
    await waitUntil(reached, 90_000);
    await waitQuiet(fake, 3000, 30_000);
    const figures = deliveryFigures(fake, team.staff);
    return {
      staff: options.staff,
      reached: figures.reached,
      duplicated: figures.duplicated,
      cards: team.staff.reduce((n, u) => n + cardsOf(fake, u).length, 0),
      instances: bots.map((bot) => ({
        ran: bot.lines.filter((l) => l.includes('"job done"')).length,
        skipped: bot.lines.filter((l) => l.includes('job running elsewhere')).length,
      })),
    };
  } finally {
    for (const proc of procs.reverse()) await stopProc(proc);
    await world.close();
  }
}

/** One line of figures. */
export function twoInstancesLine(r: TwoInstancesResult): string {
  return (
    `e. two instances, scheduled open on both: reached ${r.reached}/${r.staff}, ` +
    `duplicated ${r.duplicated}, cards ${r.cards} for ${r.staff} people ` +
    `(ran/skipped by the lock: ${r.instances.map((i) => `${i.ran}/${i.skipped}`).join(' and ')})`
  );
}
