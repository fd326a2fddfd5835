/**
 * The assessment form as data: which criteria, how many points each, how the
 * two scores are weighted and the policies that apply. A month keeps the form
 * it was opened with, so these are plain values that can be stored with it.
 */

/** One line of the form (序号, 项目, 标准分) with a line of help from the company's rules. */
export interface Criterion {
  no: number;
  title: string;
  max: number;
  help: string;
  /** A few characters naming it where space is short (charts, lists). */
  short?: string;
}

/** Who fills a form. */
export type FormRole = 'self' | 'supervisor';

/** What a self-assessment missing at close counts as. */
export type MissingSelfPolicy = 'zero' | 'supervisor';

/** The rules a month is run with. */
export interface Policies {
  missingSelf: MissingSelfPolicy;
  /** Whether a supervisor sees the self scores while scoring. */
  showSelfToSupervisor: boolean;
  /** A self–supervisor total gap above this is flagged in reports. */
  gapThreshold: number;
  /** Bounds of one record's points (line 12). */
  recordPoints: { min: number; max: number };
  /** Optional bounds of line 12 for a whole month. */
  monthlyAdjustmentCap: { min: number; max: number } | null;
  /** Whom a team leader (客服领班) may record for: the staff of their own team, or all staff. */
  leaderScope: 'team' | 'all';
  /** When the employee hears of a record about them: at once, or in the daily digest. */
  recordNotice: 'immediate' | 'digest';
  /** Days after close in which a result is confirmed or appealed (default 3). */
  appealDays?: number;
  /** Whether a result nobody answered counts as confirmed when the window ends (default true). */
  silentConfirm?: boolean;
  /** A supervisor whose average differs from the department's by more is flagged (default 10). */
  calibrationThreshold?: number;
}

/** The form a month is run with. */
export interface FormDefinition {
  formTitle: string;
  criteria: Criterion[];
  adjustmentsTitle: string;
  /** Weights as decimals; they sum to exactly 1. */
  weights: { self: number; supervisor: number };
  policies: Policies;
}

/** The most points the criteria can give together (100 on the default form). */
export function maxTotal(form: FormDefinition): number {
  return form.criteria.reduce((sum, c) => sum + c.max, 0);
}

/** The criterion with number `no`, or undefined. */
export function criterionByNo(form: FormDefinition, no: number): Criterion | undefined {
  return form.criteria.find((c) => c.no === no);
}

/** A criterion's short name: its configured one, or the start of its text. */
export function shortName(criterion: Criterion): string {
  return criterion.short ?? criterion.title.slice(0, 6);
}
