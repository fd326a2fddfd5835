import type { Criterion } from '../../assessment/form';
import { clipInput } from '../../lib/quote-input';
import { addMonths, monthLabel, type MonthKey } from '../../assessment/month';
import { scoresOf } from '../../assessment/scores';
import { userError } from '../../lib/errors';
import type { AssessmentDoc } from '../../store/models/assessment';
import type { MonthDoc } from '../../store/models/month';
import type { Person } from '../../store/models/person';
import type { RecordDoc } from '../../store/models/record';
import type { AssessmentRepository } from '../../store/repositories/assessments';
import type { MonthRepository } from '../../store/repositories/months';
import type { PeopleRepository } from '../../store/repositories/people';
import type { RecordRepository } from '../../store/repositories/records';
import { resultOf, type PersonResult } from '../../assessment/results';

/** One person's line in a month's report. */
export interface ReportRow {
  person: Person;
  doc: AssessmentDoc;
  result: PersonResult;
}

/** How people answered a closed month's results (status names by userid) and the appeals still open, as lines. */
export interface Responses {
  status: Map<string, string>;
  open: string[];
}

/** A month's figures, as the manager's report shows them. */
export interface MonthReport {
  month: MonthDoc;
  rows: ReportRow[];
  records: RecordDoc[];
  /** Everyone on the roster by userid (supervisors' names for calibration). */
  people?: Map<string, Person>;
  /** For a closed month, when the appeals feature is there. */
  responses?: Responses;
}

/**
 * Reads a month for reports: every assessment with its result — the one fixed
 * at close, or for an open month the one the forms give now, computed the same way.
 */
export class ReportService {
  constructor(
    private readonly deps: {
      months: MonthRepository;
      assessments: AssessmentRepository;
      people: PeopleRepository;
      records: RecordRepository;
      /** Confirmations and appeals of a closed month (the appeals feature). */
      responses?: (month: MonthDoc) => Promise<Responses | undefined>;
    },
  ) {}

  /** The month's report data; a user-facing error when the month was never opened. */
  async month(key: MonthKey): Promise<MonthReport> {
    const month = await this.deps.months.get(key);
    if (!month) throw userError('not_found', `${monthLabel(key)}没有考核。`);
    const people = new Map((await this.deps.people.all()).map((p) => [p.userid, p]));
    const records = await this.deps.records.counting(key);
    const rows: ReportRow[] = [];
    for (const doc of await this.deps.assessments.forMonth(key)) {
      const person = people.get(doc.userid);
      if (!person) continue;
      const live = resultOf(month, doc, records);
      // A closed month reports what was fixed (and sent) at close, so every figure agrees.
      const result = month.status === 'closed' && doc.result ? { ...live, ...doc.result } : live;
      rows.push({ person, doc, result });
    }
    const responses = await this.deps.responses?.(month);
    return { month, rows, records, people, responses };
  }

  /** A person's finals over the six months up to `key` (oldest first; null where none). */
  async trend(key: MonthKey, userid: string): Promise<{ month: MonthKey; final: number | null }[]> {
    const months = Array.from({ length: 6 }, (_, i) => addMonths(key, i - 5));
    const trend = [];
    for (const m of months) {
      const month = await this.deps.months.get(m);
      const doc = month && (await this.deps.assessments.get(m, userid));
      const final =
        month && doc
          ? month.status === 'closed' && doc.result
            ? doc.result.final
            : resultOf(month, doc, await this.deps.records.counting(m, userid)).final
          : null;
      trend.push({ month: m, final });
    }
    return trend;
  }

  /** Who a 工号 is. */
  async person(employeeNo: string): Promise<Person> {
    const person = await this.deps.people.byEmployeeNo(employeeNo);
    if (!person) throw userError('not_found', `没有找到工号为 ${clipInput(employeeNo)} 的人员。`);
    return person;
  }
}

/** Scores of a form part when submitted, else an empty record. */
export function submittedScores(
  doc: AssessmentDoc,
  role: 'self' | 'supervisor',
): Record<number, number> | null {
  return doc[role].status === 'submitted' ? scoresOf(doc[role]) : null;
}

/** Each criterion's average supervisor score as a share of its max, over the submitted supervisor forms. */
export function criterionShares(report: MonthReport): { c: Criterion; share: number }[] {
  const forms = report.rows
    .map((r) => submittedScores(r.doc, 'supervisor'))
    .filter((s): s is Record<number, number> => s !== null);
  if (forms.length === 0) return [];
  return report.month.form.criteria.map((c) => ({
    c,
    share: forms.reduce((sum, s) => sum + (s[c.no] ?? 0), 0) / (forms.length * c.max),
  }));
}
