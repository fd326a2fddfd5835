import type { AppConfig, DepartmentForm } from '../../../config';
import { monthOf, type MonthKey } from '../../assessment/month';
import { localDate, nextWorkingTime } from '../../assessment/working-hours';
import type { CycleService, Timing } from './cycle-service';
import type { Job } from '../../jobs/job';
import { departmentJobName } from './department-forms';

/**
 * Each department's month as its form file schedules it: open on the 25th,
 * remind staff on the 28th, ask supervisors on the 1st, remind them on the
 * 3rd, close on the 5th (defaults). Each job calls the same service as the
 * manager's commands; what it sends waits for the department's working hours.
 * The default department's jobs keep their plain names (`open`…); another
 * department's are named after it (`open:秩序部`), so each has its own lock.
 */
export function monthlyJobs(
  cycle: CycleService,
  config: Pick<AppConfig, 'timeZone' | 'departments'>,
): Job[] {
  return config.departments.flatMap((d, i) => departmentJobs(cycle, config.timeZone, d, i));
}

function departmentJobs(
  cycle: CycleService,
  tz: string,
  { department, form }: DepartmentForm,
  index: number,
): Job[] {
  const named = (kind: string) => departmentJobName(kind, index, department);
  const { schedule, workingHours } = form;
  const timing: Timing = (now) => nextWorkingTime(now, tz, workingHours);
  // Jobs after the opening act on the month still open (the one opened on the 25th).
  const openMonth = async () => (await cycle.latestOpen(department))?.key as MonthKey | undefined;
  const none = 'no open month';

  return [
    {
      name: named('open'),
      schedule: schedule.open,
      run: async (now) => {
        const report = await cycle.open(monthOf(now, tz), 'schedule', timing, department);
        return `opened ${report.month}, notified ${report.notified}`;
      },
    },
    {
      name: named('remind-staff'),
      schedule: schedule.remindStaff,
      run: async (now) => {
        const key = await openMonth();
        if (!key) return none;
        const report = await cycle.remindStaff(key, localDate(now, tz), timing, department);
        return `reminded ${report.notified} staff`;
      },
    },
    {
      name: named('ask-supervisors'),
      schedule: schedule.askSupervisors,
      run: async () => {
        const key = await openMonth();
        if (!key) return none;
        return `asked ${(await cycle.askSupervisors(key, timing, department)).notified} supervisors`;
      },
    },
    {
      name: named('remind-supervisors'),
      schedule: schedule.remindSupervisors,
      run: async (now) => {
        const key = await openMonth();
        if (!key) return none;
        const report = await cycle.remindSupervisors(key, localDate(now, tz), timing, department);
        return `reminded ${report.notified} supervisors`;
      },
    },
    {
      name: named('close'),
      schedule: schedule.close,
      run: async (now) => {
        const key = await openMonth();
        // Only a month that has ended is closed: on the 5th of June, May.
        if (!key || key >= monthOf(now, tz)) return none;
        const report = await cycle.close(key, 'schedule', timing, department);
        return `closed ${key}, results to ${report.notified}`;
      },
    },
  ];
}
