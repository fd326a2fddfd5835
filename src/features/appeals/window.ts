/**
 * The appeal window and what a person's answer to their result comes to.
 * Pure: the service and the report both read statuses from here, so the
 * chat, the report and the workbook agree.
 */
import type { AppealDoc } from '../../store/models/appeal';
import type { ConfirmationDoc } from '../../store/models/confirmation';
import type { MonthDoc } from '../../store/models/month';

const DAY_MS = 24 * 3600 * 1000;

/** Days of the window and whether silence confirms, with the defaults for months opened before they existed. */
export function appealPolicy(month: MonthDoc): { days: number; silentConfirm: boolean } {
  const p = month.form.policies;
  return { days: p.appealDays ?? 3, silentConfirm: p.silentConfirm ?? true };
}

/** When a closed month's window ends (null while the month is open). */
export function windowEnd(month: MonthDoc): Date | null {
  if (month.status !== 'closed' || !month.closedAt) return null;
  return new Date(new Date(month.closedAt).getTime() + appealPolicy(month).days * DAY_MS);
}

/** Whether results of `month` may still be confirmed or appealed at `now`. */
export function windowOpen(month: MonthDoc, now: Date): boolean {
  const end = windowEnd(month);
  return end !== null && now < end;
}

/** What a person's answer to their result comes to, as the report counts it. */
export type ResultStatus = 'pending' | 'confirmed' | 'appealing' | 'corrected' | 'upheld';

/** How each status is named to users. */
export const STATUS_NAMES: Record<ResultStatus, string> = {
  pending: '待确认',
  confirmed: '已确认',
  appealing: '申诉中',
  corrected: '已更正',
  upheld: '维持',
};

/**
 * One person's status: an undecided appeal first, then a correction, then an
 * appeal answered 维持; otherwise confirmed (by 确认, or by silence once the
 * window ended when the policy says so), else still pending.
 */
export function resultStatus(
  month: MonthDoc,
  appeals: AppealDoc[],
  confirmation: ConfirmationDoc | null | undefined,
  now: Date,
): ResultStatus {
  if (appeals.some((a) => a.status === 'open' || a.status === 'forwarded')) return 'appealing';
  if (appeals.some((a) => a.status === 'corrected')) return 'corrected';
  if (appeals.some((a) => a.status === 'upheld')) return 'upheld';
  if (confirmation) return 'confirmed';
  const end = windowEnd(month);
  if (end && now >= end && appealPolicy(month).silentConfirm) return 'confirmed';
  return 'pending';
}

/** A moment as people read it in the schedule's zone: `6月8日 09:00`. */
export function localMoment(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${Number(get('month'))}月${Number(get('day'))}日 ${get('hour').padStart(2, '0')}:${get('minute')}`;
}

/** `at` plus `days` working days (Monday to Friday in `timeZone`): when an open appeal is due a reminder. */
export function addWorkingDays(at: Date, days: number, timeZone: string): Date {
  let t = new Date(at).getTime();
  let left = days;
  while (left > 0) {
    t += DAY_MS;
    const weekday = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' }).format(t);
    if (weekday !== 'Sat' && weekday !== 'Sun') left -= 1;
  }
  return new Date(t);
}
