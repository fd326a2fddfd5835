import type { MonthReport } from '../features/reports/report-service';
import type { CalibrationLine } from './calibration';
import { SummaryFold } from './summary-fold';

// Chat stays readable on a phone: past this many people the middle of the ranking is left out, and says so.
// A summary keeps only the ends it shows, so a 10,000-person month stores 20 ranking lines, not 10,000.
/** How many lines of each end of the ranking the report shows. */
export const RANKING_ENDS = 10;
/** How many names a flag lists before it says how many more there are. */
export const FLAG_NAMES = 20;

/** Who a line names: as the ranking and the flags print them. */
export interface Named {
  person: { name: string; employeeNo: string };
}

/** One line of the ranking: its place (null when no final yet) and the figures it prints. */
export interface RankingEntry extends Named {
  place: number | null;
  result: {
    missingSelf: boolean;
    selfTotal: number | null;
    supervisorTotal: number | null;
    adjustmentTotal: number;
    final: number | null;
  };
}

/** A flag (未自评, 未评分, a gap): the first FLAG_NAMES people and how many in all. */
export interface FlagList {
  shown: Named[];
  count: number;
}

/**
 * A month at a glance, as /report's text and chart show it: computed from
 * every row once, and for a closed month stored at close (and again after a
 * correction), so /report reads it instead of every assessment.
 */
export interface MonthSummary {
  month: string;
  /** Whose month: one summary per department. */
  department: string;
  /** People assessed (rows of the report). */
  people: number;
  selfDone: number;
  supervisorDone: number;
  /**
   * Average and median of the finals, with how many people have one, and
   * their sum in tenths (so HR's total over departments is exact); null when
   * nobody has. Summaries stored before departments lack `tenths`.
   */
  finals: { count: number; average: number; median: number; tenths?: number } | null;
  /** The ends of the ranking (all of it when short) and how many lines are left out between. */
  ranking: { head: RankingEntry[]; tail: RankingEntry[]; left: number };
  gapThreshold: number;
  missingSelf: FlagList;
  missingSupervisor: FlagList;
  gaps: FlagList;
  /** Each criterion's average supervisor score as a share of its max, in form order (empty with no supervisor form). */
  criteria: { no: number; label: string; share: number }[];
  /** How many finals fall in each of the chart's SCORE_BANDS. */
  distribution: number[];
  /** Calibration lines with the supervisor's roster name (null for the department, or when unknown). */
  calibration: (CalibrationLine & { name: string | null })[];
  computedAt: Date;
}

/** The summary of a month's report: every figure /report's text and chart show. */
export function summarize(report: MonthReport, computedAt: Date): MonthSummary {
  const fold = new SummaryFold(report.month);
  for (const row of report.rows) fold.add(row);
  const names = new Map<string, string>();
  for (const [id, person] of report.people ?? []) names.set(id, person.name);
  return fold.finish(computedAt, names);
}
