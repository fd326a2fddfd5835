import type { Criterion } from '../../assessment/form';
import { clipInput } from '../../lib/quote-input';
import { addMonths, monthLabel, type MonthKey } from '../../assessment/month';
import { DEFAULT_DEPARTMENT, departmentOf } from '../../assessment/department';
import { scoresOf } from '../../assessment/scores';
import { userError } from '../../lib/errors';
import type { MonthDoc } from '../../store/models/month';
import type { Person } from '../../store/models/person';
import type { RecordDoc } from '../../store/models/record';
import type { AssessmentRepository } from '../../store/repositories/assessments';
import type { MonthRepository } from '../../store/repositories/months';
import type { PeopleRepository } from '../../store/repositories/people';
import type { RecordRepository } from '../../store/repositories/records';
import { resultOf, type PersonResult, type ScoredDoc } from '../../assessment/results';
import type { Clock } from '../../lib/clock';
import type { MonthSummary } from '../../reports/month-summary';
import { SummaryFold } from '../../reports/summary-fold';
import { keepResponses, keptResponses, type ResponseCounts, type Responses } from './responses';
import type { MonthSummaryRepository } from '../../store/repositories/month-summaries';
import type {
  ReportDoc,
  ReportPerson,
  RowFields,
  ReportRowRepository,
} from '../../store/repositories/report-rows';

/** One person's line in a month's report. */
export interface ReportRow {
  person: ReportPerson;
  doc: ReportDoc;
  result: PersonResult;
}

/** What /report's text is rendered from: the month's summary, and the live answers of a closed month. */
export interface SummaryView {
  status: MonthDoc['status'];
  summary: MonthSummary;
  responses?: ResponseCounts;
}

/** A month's figures, as the manager's report shows them. */
export interface MonthReport {
  month: MonthDoc;
  rows: ReportRow[];
  records: RecordDoc[];
  /** Everyone on the roster by userid (supervisors' names for calibration). */
  people?: Map<string, ReportPerson>;
  /** For a closed month, when the appeals feature is there. */
  responses?: Responses;
}

/**
 * A month as the workbook reads it: a MonthReport whose rows are read from
 * the database a batch at a time, each time they are asked for, so the
 * whole month is never held at once.
 */
export interface MonthRows extends Omit<MonthReport, 'rows' | 'people'> {
  /** The rows a batch at a time; `fields` leaves out what the reader does not read (remarks). */
  batches(fields?: RowFields): AsyncIterable<ReportRow[]>;
}

/**
 * Reads a month for reports: every assessment with its result — the one fixed
 * at close, or for an open month the one the forms give now, computed the same
 * way — and the month's summary, stored for a closed month.
 */
export class ReportService {
  constructor(
    private readonly deps: {
      months: MonthRepository;
      assessments: AssessmentRepository;
      people: PeopleRepository;
      records: RecordRepository;
      reportRows: ReportRowRepository;
      monthSummaries: MonthSummaryRepository;
      clock?: Clock;
      /** Confirmations and appeals of a closed month (the appeals feature). */
      responses?: (month: MonthDoc) => Promise<Responses | undefined>;
      /** Their counts only, read cheaply, for /report's text; `people` is how many were assessed. */
      responseCounts?: (month: MonthDoc, people: number) => Promise<ResponseCounts | undefined>;
    },
  ) {}

  /**
   * What /report's text shows of a month. A closed month's summary was stored
   * at close (and again at each correction), so it is one read; a closed
   * month without one (closed before summaries were kept) gets it stored now.
   * An open month is summarized from one aggregation of its rows.
   */
  async summary(key: MonthKey, department = DEFAULT_DEPARTMENT): Promise<SummaryView> {
    const stored = await this.deps.monthSummaries.get(key, department);
    if (stored && !this.deps.responseCounts) return { status: 'closed', summary: stored };
    const now = this.now();
    // The answers as last counted, while nobody has answered since: the summary's one read.
    const kept = stored && keptResponses(stored, now);
    if (stored && kept) return { status: 'closed', summary: stored, responses: kept };
    const month = await this.deps.months.get(key, department);
    if (!month) throw userError('not_found', noMonth(key, department));
    let summary = stored;
    if (!summary) {
      summary = await this.fold(month);
      if (month.status === 'closed') await this.deps.monthSummaries.save(summary);
    }
    const responses =
      month.status === 'closed'
        ? await this.deps.responseCounts?.(month, summary.people)
        : undefined;
    if (stored && responses) await keepResponses(this.deps.monthSummaries, stored, responses, now);
    return { status: month.status, summary, responses };
  }

  /** The departments that opened month `key`. */
  async departmentsOpened(key: MonthKey): Promise<string[]> {
    return (await this.deps.months.allOf(key)).map((m) => m.department);
  }

  /** Computes a closed month's summary from its fixed results and stores it (at close, after a correction). */
  async storeSummary(key: MonthKey, department = DEFAULT_DEPARTMENT): Promise<MonthSummary> {
    const month = await this.deps.months.get(key, department);
    if (!month) throw userError('not_found', noMonth(key, department));
    const summary = await this.fold(month);
    await this.deps.monthSummaries.save(summary);
    return summary;
  }

  private now(): Date {
    return this.deps.clock?.now() ?? new Date();
  }

  /**
   * The month's summary folded from its rows a batch at a time (the same
   * figures as summarize() over the whole month): only what the summary
   * keeps is held, never the month's documents.
   */
  private async fold(month: MonthDoc): Promise<MonthSummary> {
    const byPerson = recordsByPerson(await this.deps.records.counting(month.key));
    const fold = new SummaryFold(month);
    // A summary never reads remarks, and an open month's results are computed from its forms.
    const fields = { remarks: false, result: month.status === 'closed' };
    for await (const batch of this.deps.reportRows.batches(month.key, month.department, fields))
      for (const { doc, person } of batch) fold.add(rowOf(month, doc, person, byPerson));
    const unnamed = fold.unnamedSupervisors();
    const names = new Map<string, string>();
    if (unnamed.length > 0)
      for (const [id, p] of await this.deps.reportRows.people(unnamed)) names.set(id, p.name);
    return fold.finish(this.now(), names);
  }

  /** The month's report data; a user-facing error when the month was never opened. */
  async month(
    key: MonthKey,
    department = DEFAULT_DEPARTMENT,
    known?: MonthDoc,
  ): Promise<MonthReport> {
    const month = known ?? (await this.deps.months.get(key, department));
    if (!month) throw userError('not_found', noMonth(key, department));
    const records = await this.deps.records.counting(key);
    const byPerson = recordsByPerson(records);
    const rows: ReportRow[] = [];
    const people = new Map<string, ReportPerson>();
    for (const { doc, person } of await this.deps.reportRows.forMonth(key, department)) {
      people.set(person.userid, person);
      rows.push(rowOf(month, doc, person, byPerson));
    }
    // Calibration names the supervisors: those not assessed themselves are read by name here.
    const supervisors = [...new Set(rows.map((r) => r.doc.supervisorUserid ?? ''))].filter(
      (id) => id && !people.has(id),
    );
    if (supervisors.length > 0)
      for (const [id, p] of await this.deps.reportRows.people(supervisors)) people.set(id, p);
    const responses = await this.deps.responses?.(month);
    return { month, rows, records, people, responses };
  }

  /**
   * The month for the workbook: its records and responses read now, its rows
   * (the same as month()'s) a batch at a time whenever they are read.
   */
  async monthRows(key: MonthKey, department = DEFAULT_DEPARTMENT): Promise<MonthRows> {
    const month = await this.deps.months.get(key, department);
    if (!month) throw userError('not_found', noMonth(key, department));
    const records = await this.deps.records.counting(key);
    const byPerson = recordsByPerson(records);
    const reportRows = this.deps.reportRows;
    const responses = await this.deps.responses?.(month);
    return {
      month,
      records,
      responses,
      async *batches(fields?: RowFields) {
        for await (const batch of reportRows.batches(key, department, fields))
          yield batch.map(({ doc, person }) => rowOf(month, doc, person, byPerson));
      },
    };
  }

  /** A person's finals over their department's six months up to `key` (oldest first; null where none). */
  async trend(
    key: MonthKey,
    person: Pick<Person, 'userid' | 'department'>,
  ): Promise<{ month: MonthKey; final: number | null }[]> {
    const { userid } = person;
    const months = Array.from({ length: 6 }, (_, i) => addMonths(key, i - 5));
    const trend = [];
    for (const m of months) {
      const month = await this.deps.months.get(m, departmentOf(person));
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

/** A month's records by person, in their stored order. */
function recordsByPerson(records: RecordDoc[]): Map<string, RecordDoc[]> {
  const byPerson = new Map<string, RecordDoc[]>();
  for (const r of records) {
    const mine = byPerson.get(r.userid);
    if (mine) mine.push(r);
    else byPerson.set(r.userid, [r]);
  }
  return byPerson;
}

/** One person's report row: their result as the forms give it now, or as fixed at close. */
function rowOf(
  month: MonthDoc,
  doc: ReportDoc,
  person: ReportPerson,
  byPerson: Map<string, RecordDoc[]>,
): ReportRow {
  const live = resultOf(month, doc, byPerson.get(doc.userid) ?? []);
  // A closed month reports what was fixed (and sent) at close, so every figure agrees.
  const result = month.status === 'closed' && doc.result ? { ...live, ...doc.result } : live;
  return { person, doc, result };
}

/** What a month nobody opened reads as: the department named, unless there is only the default. */
function noMonth(key: MonthKey, department: string): string {
  return department === DEFAULT_DEPARTMENT
    ? `${monthLabel(key)}没有考核。`
    : `${department}${monthLabel(key)}没有考核。`;
}

/** Scores of a form part when submitted, else an empty record. */
export function submittedScores(
  doc: ScoredDoc,
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
