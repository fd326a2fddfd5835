/** A scheduled job: a name, a cron line (in the schedule's time zone) and what it does at `now`. */
export interface Job {
  name: string;
  schedule: string;
  run(now: Date): Promise<string>;
}
