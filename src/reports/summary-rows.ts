import { exceedsGap, selfSupervisorGap } from '../assessment/gap';
import type { PersonResult } from '../assessment/results';
import type { MonthReport } from '../features/reports/report-service';
import type { Person } from '../store/models/person';

/** What a summary line needs of a report row: who, and their result (not the forms). */
export interface SummaryRow {
  person: Pick<Person, 'userid' | 'name' | 'employeeNo'>;
  result: PersonResult;
}

/** What the summary lines need of a month's report: every row's SummaryRow, the month, the appeals. */
export type SummaryReport = Pick<MonthReport, 'month' | 'responses'> & { rows: SummaryRow[] };

/** The flags the manager looks for: 未自评, 未评分, and a self–supervisor gap over the threshold. */
export function flagsOf(row: SummaryRow, gapThreshold: number): string[] {
  const r = row.result;
  const flags: string[] = [];
  if (r.missingSelf) flags.push('未自评');
  if (r.missingSupervisor) flags.push('未评分');
  const gap = selfSupervisorGap(r);
  if (exceedsGap(r, gapThreshold)) flags.push(`自评与主管相差${gap}分`);
  return flags;
}

/** The ranking as rows: finals high to low, people without a final last, by 工号. */
export function rankedRows(report: SummaryReport): SummaryRow[] {
  const key = (r: SummaryRow) => r.result.final ?? Number.NEGATIVE_INFINITY;
  return [...report.rows].sort(
    (a, b) => key(b) - key(a) || a.person.employeeNo.localeCompare(b.person.employeeNo),
  );
}

export const SUMMARY_HEADER = [
  '排名',
  '姓名',
  '工号',
  '自评',
  '主管评分',
  '其他奖惩分',
  '最终得分',
  '标记',
];

/** One summary line per person, in ranking order, as plain values (for the sheet and the CSV). */
export function summaryValues(report: SummaryReport): (string | number | null)[][] {
  const threshold = report.month.form.policies.gapThreshold;
  return rankedRows(report).map((row, i) => [
    row.result.final === null ? null : i + 1,
    row.person.name,
    row.person.employeeNo,
    row.result.missingSelf ? null : row.result.selfTotal,
    row.result.supervisorTotal,
    row.result.adjustmentTotal,
    row.result.final,
    [...flagsOf(row, threshold), ...appealMark(report, row)].join('、') || null,
  ]);
}

// An appeal shows in the sheet (申诉中, 已更正, 维持); a plain confirmation needs no mark.
const MARKED = new Set(['申诉中', '已更正', '维持']);

/** The appeal mark of a row, when its result was appealed. */
export function appealMark(report: SummaryReport, row: SummaryRow): string[] {
  const status = report.responses?.status.get(row.person.userid);
  return status && MARKED.has(status) ? [status] : [];
}
