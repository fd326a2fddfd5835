import { shortName } from '../assessment/form';
import { monthLabel, type MonthKey } from '../assessment/month';
import { criterionShares, type MonthReport } from '../features/reports/report-service';
import type { MonthSummary } from './month-summary';
import type { ChartInput } from './chart';

/** What the month's chart shows: every final, and each criterion's average supervisor score share. */
export function chartInput(report: MonthReport): ChartInput {
  return {
    title: `${monthLabel(report.month.key as MonthKey)}考核`,
    finals: report.rows.map((r) => r.result.final).filter((f): f is number => f !== null),
    criteria: criterionShares(report).map(({ c, share }) => ({
      label: `${c.no}.${shortName(c)}`,
      averageShare: share,
    })),
  };
}

/** The same chart from a month's summary: its distribution counted already, its criteria shares kept. */
export function summaryChartInput(summary: MonthSummary): ChartInput {
  return {
    title: `${monthLabel(summary.month as MonthKey)}考核`,
    bands: summary.distribution,
    criteria: summary.criteria.map(({ no, label, share }) => ({
      label: `${no}.${label}`,
      averageShare: share,
    })),
  };
}
