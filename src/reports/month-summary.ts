import { shortName } from '../assessment/form';
import { exceedsGap } from '../assessment/gap';
import { averageOfFinals, medianOfFinals } from '../assessment/rounding';
import {
  criterionShares,
  type MonthReport,
  type ReportRow,
} from '../features/reports/report-service';
import { calibration, type CalibrationLine } from './calibration';
import { bandCounts } from './score-bands';

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

const named = (row: ReportRow): Named => ({
  person: { name: row.person.name, employeeNo: row.person.employeeNo },
});

function entry(row: ReportRow, place: number | null): RankingEntry {
  const r = row.result;
  return {
    ...named(row),
    place,
    result: {
      missingSelf: r.missingSelf,
      selfTotal: r.selfTotal,
      supervisorTotal: r.supervisorTotal,
      adjustmentTotal: r.adjustmentTotal,
      final: r.final,
    },
  };
}

function flagList(rows: ReportRow[]): FlagList {
  return { shown: rows.slice(0, FLAG_NAMES).map(named), count: rows.length };
}

/** The summary of a month's report: every figure /report's text and chart show. */
export function summarize(report: MonthReport, computedAt: Date): MonthSummary {
  const { month, rows } = report;
  const ranked = rows
    .filter((r) => r.result.final !== null)
    .sort(
      (a, b) =>
        b.result.final! - a.result.final! || a.person.employeeNo.localeCompare(b.person.employeeNo),
    );
  const unranked = rows.filter((r) => r.result.final === null);
  const total = rows.length;
  // Only the lines at the ends are kept; the places of the tail are counted from the end.
  const at = (i: number) =>
    i < ranked.length ? entry(ranked[i]!, i + 1) : entry(unranked[i - ranked.length]!, null);
  const cut = total > RANKING_ENDS * 2;
  const head = Array.from({ length: cut ? RANKING_ENDS : total }, (_, i) => at(i));
  const tail = cut
    ? Array.from({ length: RANKING_ENDS }, (_, i) => at(total - RANKING_ENDS + i))
    : [];
  const finals = ranked.map((r) => r.result.final!);
  const threshold = month.form.policies.gapThreshold;
  const byNo = new Map(month.form.criteria.map((c) => [c.no, c]));
  return {
    month: month.key,
    department: month.department,
    people: total,
    selfDone: rows.filter((r) => !r.result.missingSelf).length,
    supervisorDone: rows.filter((r) => !r.result.missingSupervisor).length,
    finals:
      finals.length > 0
        ? {
            count: finals.length,
            average: averageOfFinals(finals),
            median: medianOfFinals(finals),
            tenths: finals.reduce((sum, f) => sum + Math.round(f * 10), 0),
          }
        : null,
    ranking: { head, tail, left: cut ? total - RANKING_ENDS * 2 : 0 },
    gapThreshold: threshold,
    missingSelf: flagList(rows.filter((r) => r.result.missingSelf)),
    missingSupervisor: flagList(rows.filter((r) => r.result.missingSupervisor)),
    gaps: flagList(rows.filter((r) => exceedsGap(r.result, threshold))),
    criteria: criterionShares(report).map(({ c, share }) => ({
      no: c.no,
      label: shortName(byNo.get(c.no) ?? c),
      share,
    })),
    distribution: bandCounts(finals),
    calibration: calibration(report).map((line) => ({
      ...line,
      name:
        line.supervisorUserid === null
          ? null
          : (report.people?.get(line.supervisorUserid)?.name ?? null),
    })),
    computedAt,
  };
}
