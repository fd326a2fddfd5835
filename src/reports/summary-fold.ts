import { shortName } from '../assessment/form';
import { exceedsGap } from '../assessment/gap';
import { averageOfFinals, medianOfFinals } from '../assessment/rounding';
import type { MonthDoc } from '../store/models/month';
import { scoreOf } from '../assessment/scores';
import type { ReportRow } from '../features/reports/report-service';
import { calibration, type Scored } from './calibration';
import {
  FLAG_NAMES,
  RANKING_ENDS,
  type FlagList,
  type MonthSummary,
  type Named,
  type RankingEntry,
} from './month-summary';
import { bandCounts } from './score-bands';

/** A person as the ranking keeps them: who, and the figures their line prints. */
type Line = Omit<RankingEntry, 'place'>;

/**
 * A month's summary folded one row at a time, so a month is summarized from a
 * cursor without holding its documents: it keeps only what the summary needs
 * (a small line per person for the ranking, each supervisor total for the
 * calibration, per-criterion sums, the flags' first names and counts). Rows
 * must come in the report's order (by userid): the unranked lines, the flags'
 * names and every sum follow it, so the figures are the same as from the
 * whole month at once.
 */
export class SummaryFold {
  private readonly ranked: Line[] = [];
  private readonly unranked: Line[] = [];
  private selfDone = 0;
  private supervisorDone = 0;
  private readonly missingSelf = flagList();
  private readonly missingSupervisor = flagList();
  private readonly gaps = flagList();
  private supervisorForms = 0;
  private readonly criterionSums: number[];
  private readonly scored: Scored[] = [];
  /** Assessed people's names by userid: calibration names the supervisors among them. */
  private readonly names = new Map<string, string>();

  constructor(private readonly month: MonthDoc) {
    this.criterionSums = month.form.criteria.map(() => 0);
  }

  /** Takes one row of the report into the summary. */
  add(row: Pick<ReportRow, 'person' | 'doc' | 'result'>): void {
    const { person, doc, result: r } = row;
    this.names.set(person.userid, person.name);
    const line: Line = {
      person: { name: person.name, employeeNo: person.employeeNo },
      result: {
        missingSelf: r.missingSelf,
        selfTotal: r.selfTotal,
        supervisorTotal: r.supervisorTotal,
        adjustmentTotal: r.adjustmentTotal,
        final: r.final,
      },
    };
    (r.final === null ? this.unranked : this.ranked).push(line);
    if (!r.missingSelf) this.selfDone += 1;
    else note(this.missingSelf, line);
    if (!r.missingSupervisor) this.supervisorDone += 1;
    else note(this.missingSupervisor, line);
    if (exceedsGap(r, this.month.form.policies.gapThreshold)) note(this.gaps, line);
    if (doc.supervisor.status === 'submitted') {
      this.supervisorForms += 1;
      const { criteria } = this.month.form;
      for (let i = 0; i < criteria.length; i += 1)
        this.criterionSums[i]! += scoreOf(doc.supervisor, criteria[i]!.no) ?? 0;
    }
    if (r.supervisorTotal !== null)
      this.scored.push({
        supervisorUserid: doc.supervisorUserid ?? '',
        supervisorTotal: r.supervisorTotal,
      });
  }

  /** The supervisors calibration names who were not among the rows (to be read by name). */
  unnamedSupervisors(): string[] {
    const ids = new Set(this.scored.map((s) => s.supervisorUserid));
    return [...ids].filter((id) => id && !this.names.has(id));
  }

  /** The summary of every row added; `names` are the supervisors' not among them. */
  finish(computedAt: Date, names: Map<string, string> = new Map()): MonthSummary {
    const { month, ranked, unranked } = this;
    ranked.sort(
      (a, b) =>
        b.result.final! - a.result.final! || a.person.employeeNo.localeCompare(b.person.employeeNo),
    );
    const total = ranked.length + unranked.length;
    // Only the lines at the ends are kept; the places of the tail are counted from the end.
    const at = (i: number): RankingEntry => {
      const line = i < ranked.length ? ranked[i]! : unranked[i - ranked.length]!;
      return { person: line.person, place: i < ranked.length ? i + 1 : null, result: line.result };
    };
    const cut = total > RANKING_ENDS * 2;
    const head = Array.from({ length: cut ? RANKING_ENDS : total }, (_, i) => at(i));
    const tail = cut
      ? Array.from({ length: RANKING_ENDS }, (_, i) => at(total - RANKING_ENDS + i))
      : [];
    const finals = ranked.map((l) => l.result.final!);
    const forms = this.supervisorForms;
    const nameOf = (id: string) => this.names.get(id) ?? names.get(id) ?? null;
    return {
      month: month.key,
      department: month.department,
      people: total,
      selfDone: this.selfDone,
      supervisorDone: this.supervisorDone,
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
      gapThreshold: month.form.policies.gapThreshold,
      missingSelf: this.missingSelf,
      missingSupervisor: this.missingSupervisor,
      gaps: this.gaps,
      criteria:
        forms === 0
          ? []
          : month.form.criteria.map((c, i) => ({
              no: c.no,
              label: shortName(c),
              share: this.criterionSums[i]! / (forms * c.max),
            })),
      distribution: bandCounts(finals),
      calibration: calibration(this.scored, month.form.policies.calibrationThreshold ?? 10).map(
        (line) => ({
          ...line,
          name: line.supervisorUserid === null ? null : nameOf(line.supervisorUserid),
        }),
      ),
      computedAt,
    };
  }
}

function flagList(): FlagList {
  return { shown: [], count: 0 };
}

function note(flag: FlagList, line: Named): void {
  if (flag.shown.length < FLAG_NAMES) flag.shown.push({ person: line.person });
  flag.count += 1;
}
