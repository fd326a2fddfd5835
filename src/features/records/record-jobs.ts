import type { AppConfig } from '../../../config';
import { localDate, nextWorkingTime } from '../../assessment/working-hours';
import type { Timing } from '../cycle/cycle-service';
import type { Job } from '../../jobs/job';
import type { RecordService } from './record-service';

/**
 * When records are told in a digest, the daily digest (17:30 by default);
 * what it sends waits for working hours.
 */
export function recordJobs(
  records: RecordService,
  config: Pick<AppConfig, 'timeZone' | 'assessment'>,
): Job[] {
  const { schedule, workingHours } = config.assessment;
  const tz = config.timeZone;
  const timing: Timing = (now) => nextWorkingTime(now, tz, workingHours);
  return [
    {
      name: 'record-digest',
      schedule: schedule.recordDigest,
      run: async (now) => {
        // With records told at once there is nothing left for a digest; the job finds none.
        const told = await records.sendDigest(localDate(now, tz), timing(now));
        return `digest to ${told}`;
      },
    },
  ];
}
