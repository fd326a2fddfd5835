import { monthLabel, monthOf, type MonthKey } from '../assessment/month';
import type { Clock } from '../lib/clock';
import { userError } from '../lib/errors';
import { closeReply, remindReply } from '../features/cycle/texts';
import type { CycleService } from '../features/cycle/cycle-service';

const ACTOR = 'simulator';

/**
 * The simulator's fast-forward: the month's scheduled steps, run now, on the
 * same services the schedule and the manager's commands use.
 */
export class MonthControls {
  constructor(
    private readonly cycle: CycleService,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  /** Opens the current month, as the schedule does on the 25th. */
  async open(): Promise<string> {
    const key = monthOf(this.clock.now(), this.timeZone);
    const report = await this.cycle.open(key, ACTOR);
    return report.created
      ? `已开始${monthLabel(key)}考核，已通知 ${report.notified} 人。`
      : `${monthLabel(key)}考核已在进行中。`;
  }

  /** Reminds staff and supervisors who are behind, as the manager's /remind does. */
  async remind(): Promise<string> {
    const key = await this.openMonth();
    // Every press is its own round: a visitor pressing twice means to remind twice.
    const round = `${ACTOR}:${this.clock.now().getTime()}`;
    const { staff, supervisors } = await this.cycle.remindBehind(key, round);
    return remindReply(staff.notified, supervisors.notified);
  }

  /** Closes the open month now, as the schedule does on the 5th: results and the summary go out. */
  async close(): Promise<string> {
    const key = await this.openMonth();
    const report = await this.cycle.close(key, ACTOR);
    return closeReply(key, report.notified);
  }

  private async openMonth(): Promise<MonthKey> {
    const month = await this.cycle.latestOpen();
    if (!month) throw userError('conflict', '现在没有进行中的考核，请先点"开始本月"。');
    return month.key as MonthKey;
  }
}
