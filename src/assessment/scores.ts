import { userError } from '../lib/errors';
import { clipInput, quoteInput } from '../lib/quote-input';
import type { Criterion, FormDefinition } from './form';

/** Scores of one form, by criterion number; a criterion not yet answered is absent. */
export type Scores = Record<number, number>;

/** Whether `score` is allowed for the criterion: a whole number from 0 to its max. */
export function isValidScore(criterion: Criterion, score: number): boolean {
  return Number.isInteger(score) && score >= 0 && score <= criterion.max;
}

/**
 * Reads a score typed or tapped by a person. Accepts half-width or full-width
 * digits with an optional trailing 分; anything else is a user-facing error that
 * says what is expected.
 */
export function parseScore(criterion: Criterion, input: string): number {
  const normalized = input
    .trim()
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/分$/, '')
    .trim();
  const expected = `请输入 0 到 ${criterion.max} 之间的整数。`;
  if (!/^\d+$/.test(normalized)) {
    throw userError('invalid_input', `${quoteInput(input)}不是有效分数。${expected}`);
  }
  const score = Number(normalized);
  if (!isValidScore(criterion, score)) {
    throw userError(
      'invalid_input',
      `${clipInput(Number.isSafeInteger(score) ? String(score) : normalized)} 分超出范围。第 ${criterion.no} 项满分 ${criterion.max} 分，${expected}`,
    );
  }
  return score;
}

/** The criteria still without a score, in form order. */
export function unanswered(form: FormDefinition, scores: Scores): Criterion[] {
  return form.criteria.filter((c) => scores[c.no] === undefined);
}

/** Whether every criterion has a valid score. */
export function isComplete(form: FormDefinition, scores: Scores): boolean {
  return form.criteria.every((c) => scores[c.no] !== undefined && isValidScore(c, scores[c.no]!));
}

/** The sum of the scores given so far (the form's 总分 once complete). */
export function total(form: FormDefinition, scores: Scores): number {
  return form.criteria.reduce((sum, c) => sum + (scores[c.no] ?? 0), 0);
}

/**
 * Values kept by criterion number as string keys: a Map as mongoose gives a
 * form, or the plain record stored, as a report's aggregation reads it (no
 * Map made for each of a month's 40,000 scores and remarks).
 */
export type ByCriterion<T> = Map<string, T> | Record<string, T>;

/** Scores kept by criterion number as string keys (as stored) as a plain record by number. */
export function scoresOf(part: { scores: ByCriterion<number> }): Scores {
  const scores: Scores = {};
  const stored = part.scores;
  if (stored instanceof Map) for (const [no, score] of stored) scores[Number(no)] = score;
  else for (const no of Object.keys(stored)) scores[Number(no)] = stored[no]!;
  return scores;
}

/** A form's score on criterion `no` as stored, if any (no record of every score made for it). */
export function scoreOf(part: { scores: ByCriterion<number> }, no: number): number | undefined {
  return byCriterion(part.scores, no);
}

/** The sum of a form's stored scores (the form's 总分 once complete), read in place. */
export function storedTotal(form: FormDefinition, part: { scores: ByCriterion<number> }): number {
  let sum = 0;
  for (const c of form.criteria) sum += scoreOf(part, c.no) ?? 0;
  return sum;
}

/** A form's remark on criterion `no`, if any. */
export function remarkOf(part: { remarks: ByCriterion<string> }, no: number): string | undefined {
  return byCriterion(part.remarks, no);
}

/** The value kept for criterion `no`, in a Map or a record alike. */
function byCriterion<T>(stored: ByCriterion<T>, no: number): T | undefined {
  if (stored instanceof Map) return stored.get(String(no));
  return Object.hasOwn(stored, no) ? stored[no] : undefined;
}
