import type { AppConfig } from '../../../config';
import { localDate, nextWorkingTime } from '../../assessment/working-hours';
import type { Job } from '../../jobs/job';
import { departmentJobName } from '../cycle/department-forms';
import type { RecordService } from './record-service';

/**
 * Each department's daily digest of records (17:30 by default), at the time
 * its form file sets, to its own people; what it sends waits for that
 * department's working hours (named as the monthly jobs are: `record-digest`,
 * `record-digest:秩序部`).
 */
export function recordJobs(
  records: RecordService,
  config: Pick<AppConfig, 'timeZone' | 'departments'>,
): Job[] {
  const tz = config.timeZone;
  return config.departments.map(({ department, form }, i) => ({
    name: departmentJobName('record-digest', i, department),
    schedule: form.schedule.recordDigest,
    run: async (now: Date) => {
      // With records told at once there is nothing left for a digest; the job finds none.
      const told = await records.sendDigest(localDate(now, tz), {
        department,
        notBefore: nextWorkingTime(now, tz, form.workingHours),
      });
      return `digest to ${told}`;
    },
  }));
}
