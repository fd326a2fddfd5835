import { departmentOf } from '../../assessment/department';
import { addMonths, type MonthKey } from '../../assessment/month';
import { nextWorkingTime } from '../../assessment/working-hours';
import type { Job } from '../../jobs/job';
import type { WorkingHours } from '../cycle/department-forms';
import type { MonthDoc } from '../../store/models/month';
import { undecided } from './appeal-service';
import { tell, type AppealDeps } from './deps';
import * as text from './texts';
import { addWorkingDays, appealPolicy, windowEnd } from './window';

// Appeals are answered within working days: the supervisor is reminded after one, the manager after two.
const SUPERVISOR_AFTER_DAYS = 1;
const MANAGER_AFTER_DAYS = 2;

/** When the appeals' job runs, and the working hours its reminders wait for, by department. */
export interface AppealJobSettings {
  schedule?: string;
  workingHours: (department: string) => WorkingHours;
}

/**
 * The appeals' scheduled work (hourly by default): results nobody answered
 * become confirmed once their window ended (when silence confirms), and
 * appeals still open are reminded. Both are idempotent: a confirmation is
 * stored once, and each reminder has a durable key.
 */
export function appealJobs(deps: AppealDeps, settings: AppealJobSettings): Job[] {
  return [
    {
      name: 'appeals',
      schedule: settings.schedule ?? '0 * * * *',
      run: async (now) => {
        const confirmed = await confirmSilent(deps, now);
        const reminded = await remindOpen(deps, now, settings.workingHours);
        return `silently confirmed ${confirmed}, reminded ${reminded}`;
      },
    },
  ];
}

/** Confirms, for each recently closed month whose window ended, every result nobody answered. */
export async function confirmSilent(deps: AppealDeps, now: Date): Promise<number> {
  const latest = (await deps.months.newest())?.key as MonthKey | undefined;
  if (!latest) return 0;
  // The window is days long and months close monthly: the last two months cover every window still
  // ending, in every department (each closes its month on its own, with its own window).
  const candidates: MonthDoc[] = [
    ...(await deps.months.allOf(latest)),
    ...(await deps.months.allOf(addMonths(latest, -1))),
  ];
  const people = new Map((await deps.people.all()).map((p) => [p.userid, p]));
  const ours = (month: MonthDoc, userid: string) => {
    const person = people.get(userid);
    return person !== undefined && departmentOf(person) === month.department;
  };
  let count = 0;
  for (const month of candidates) {
    const end = windowEnd(month);
    if (!end || now < end || !appealPolicy(month).silentConfirm) continue;
    const appealed = new Set((await deps.appeals.forMonth(month.key)).map((a) => a.userid));
    const answered = await deps.confirmations.forMonth(month.key);
    for (const doc of await deps.assessments.forMonth(month.key)) {
      if (!ours(month, doc.userid)) continue;
      if (doc.result?.final == null || appealed.has(doc.userid) || answered.has(doc.userid))
        continue;
      const entry = { month: month.key, userid: doc.userid, how: 'silent' as const, at: end };
      if (await deps.confirmations.confirm(entry, 'schedule')) count += 1;
    }
  }
  return count;
}

/**
 * Reminds the supervisor of an appeal open a working day, and the manager of
 * one undecided two; each reminder waits for the working hours of the
 * appeal's department (秩序部 may work 08:00–20:00 where 客服部 stops at 18:00).
 */
export async function remindOpen(
  deps: AppealDeps,
  now: Date,
  hoursOf: (department: string) => WorkingHours,
): Promise<number> {
  let count = 0;
  for (const appeal of (await deps.appeals.undecided()).filter(undecided)) {
    const person = await deps.people.byUserid(appeal.userid);
    const department = person ? departmentOf(person) : undefined;
    const month = (await deps.months.get(appeal.month, department))!;
    const notBefore = nextWorkingTime(now, deps.timeZone, hoursOf(departmentOf(month)));
    const line = text.appealLine(month, appeal, person ?? undefined);
    const due = (days: number) => now >= addWorkingDays(appeal.createdAt, days, deps.timeZone);
    if (appeal.status === 'open' && appeal.supervisorUserid && due(SUPERVISOR_AFTER_DAYS)) {
      const supervisor = await deps.people.byUserid(appeal.supervisorUserid);
      const key = `appeal:${appeal.code}:remind:${appeal.supervisorUserid}`;
      if (supervisor?.active && !supervisor.roles.includes('manager')) {
        const sent = await tell(
          deps,
          supervisor,
          key,
          text.appealReminder([line], false),
          notBefore,
        );
        if (sent) count += 1;
      }
    }
    if (!due(MANAGER_AFTER_DAYS)) continue;
    for (const manager of await deps.people.activeWithRole('manager', department)) {
      const key = `appeal:${appeal.code}:remind:${manager.userid}`;
      if (await tell(deps, manager, key, text.appealReminder([line], true), notBefore)) count += 1;
    }
  }
  return count;
}
