import { userError } from '../lib/errors';
import { quoteInput } from '../lib/quote-input';

/** A calendar month of assessment, written `YYYY-MM` (e.g. `2024-05`). */
export type MonthKey = string & { readonly __month: unique symbol };

const MONTH = /^(\d{4})-(\d{2})$/;

/** Whether `text` is a month in the `YYYY-MM` form with a month from 01 to 12. */
export function isMonthKey(text: string): text is MonthKey {
  const match = MONTH.exec(text);
  if (!match) return false;
  const month = Number(match[2]);
  return Number(match[1]) >= 2000 && month >= 1 && month <= 12;
}

/** Parses `YYYY-MM`; anything else (`2024-13`, `24-05`, `2024-5`) is a user-facing error. */
export function parseMonth(text: string): MonthKey {
  const trimmed = text.trim();
  if (!isMonthKey(trimmed)) {
    throw userError(
      'invalid_input',
      `月份格式不对：${quoteInput(trimmed)}。请写成 年-月，例如 2024-05。`,
    );
  }
  return trimmed;
}

/** The month a moment falls in, seen from `timeZone` (the schedule's zone). */
export function monthOf(at: Date, timeZone: string): MonthKey {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(at);
  const year = parts.find((p) => p.type === 'year')?.value;
  const month = parts.find((p) => p.type === 'month')?.value;
  return `${year}-${month}` as MonthKey;
}

/** The month `delta` months after `key` (negative: before). */
export function addMonths(key: MonthKey, delta: number): MonthKey {
  const [year, month] = key.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) + delta;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return `${y}-${String(m).padStart(2, '0')}` as MonthKey;
}

/** How a month is named to users: `2024年5月`. */
export function monthLabel(key: MonthKey): string {
  const [year, month] = key.split('-').map(Number);
  return `${year}年${month}月`;
}
