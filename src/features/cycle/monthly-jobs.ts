import type { AppConfig } from '../../../config';
import { monthOf, type MonthKey } from '../../assessment/month';
import { localDate, nextWorkingTime } from '../../assessment/working-hours';
import type { CycleService, Timing } from './cycle-service';
import type { Job } from '../../jobs/job';

/**
 * The month as configured: open on the 25th, remind staff on the 28th, ask
 * supervisors on the 1st, remind them on the 3rd, close on the 5th (defaults).
 * Each job calls the same service as the manager's commands; what it sends
 * waits for working hours.
 */
export function monthlyJobs(
  cycle: CycleService,
  config: Pick<AppConfig, 'timeZone' | 'assessment'>,
): Job[] {
  const { schedule, workingHours } = config.assessment;
  const tz = config.timeZone;
  const timing: Timing = (now) => nextWorkingTime(now, tz, workingHours);
  // Jobs after the opening act on the month still open (the one opened on the 25th).
  const openMonth = async () => (await cycle.latestOpen())?.key as MonthKey | undefined;
  const none = 'no open month';

  return [
    {
      name: 'open',
      schedule: schedule.open,
      run: async (now) => {
        const report = await cycle.open(monthOf(now, tz), 'schedule', timing);
        return `opened ${report.month}, notified ${report.notified}`;
      },
    },
    {
      name: 'remind-staff',
      schedule: schedule.remindStaff,
      run: async (now) => {
        const key = await openMonth();
        if (!key) return none;
        return `reminded ${(await cycle.remindStaff(key, localDate(now, tz), timing)).notified} staff`;
      },
    },
    {
      name: 'ask-supervisors',
      schedule: schedule.askSupervisors,
      run: async () => {
        const key = await openMonth();
        if (!key) return none;
        return `asked ${(await cycle.askSupervisors(key, timing)).notified} supervisors`;
      },
    },
    {
      name: 'remind-supervisors',
      schedule: schedule.remindSupervisors,
      run: async (now) => {
        const key = await openMonth();
        if (!key) return none;
        return `reminded ${(await cycle.remindSupervisors(key, localDate(now, tz), timing)).notified} supervisors`;
      },
    },
    {
      name: 'close',
      schedule: schedule.close,
      run: async (now) => {
        const key = await openMonth();
        // Only a month that has ended is closed: on the 5th of June, May.
        if (!key || key >= monthOf(now, tz)) return none;
        return `closed ${key}, results to ${(await cycle.close(key, 'schedule', timing)).notified}`;
      },
    },
  ];
}
