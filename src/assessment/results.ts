import { computeResult, type Result } from './final-score';
import { storedTotal, type ByCriterion } from './scores';
import type { AssessmentDoc, FormPart } from '../store/models/assessment';
import type { MonthDoc } from '../store/models/month';
import type { RecordDoc } from '../store/models/record';

/** One person's result with the totals of both forms as they stood. */
export interface PersonResult extends Result {
  userid: string;
  selfTotal: number | null;
}

/** What a result is computed from: whose assessment, and the status and scores of both forms. */
export type ScoredDoc = Pick<AssessmentDoc, 'userid'> &
  Record<'self' | 'supervisor', Pick<FormPart, 'status'> & { scores: ByCriterion<number> }>;

/**
 * The result of one assessment under its month's form and policies: a form
 * counts only once submitted; line 12 is the sum of the month's records.
 */
export function resultOf(month: MonthDoc, doc: ScoredDoc, records: RecordDoc[]): PersonResult {
  const selfTotal = doc.self.status === 'submitted' ? storedTotal(month.form, doc.self) : null;
  const supervisorTotal =
    doc.supervisor.status === 'submitted' ? storedTotal(month.form, doc.supervisor) : null;
  const result = computeResult(month.form, {
    selfTotal,
    supervisorTotal,
    adjustments: records.filter((r) => r.userid === doc.userid).map((r) => r.points),
  });
  return { ...result, userid: doc.userid, selfTotal };
}
