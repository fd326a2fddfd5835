import type { FormDefinition, Policies } from './form';
import { roundTenths, SCALE } from './rounding';

/** Inputs to one person's result for a month. */
export interface ResultInput {
  /** Self total, or null when the self-assessment was not submitted. */
  selfTotal: number | null;
  /** Supervisor total, or null when the supervisor has not submitted. */
  supervisorTotal: number | null;
  /** Points of each line-12 record of the month (bonus positive, penalty negative). */
  adjustments: number[];
}

/** One person's result: the parts that went in and the weighted final. */
export interface Result {
  /** The self total that counted (after the missing-self policy), or null if none could. */
  selfCounted: number | null;
  supervisorTotal: number | null;
  /** Line 12 (其他奖惩分) after any monthly cap. */
  adjustmentTotal: number;
  /** The weighted final, rounded half up to one decimal; null until the supervisor has scored. */
  final: number | null;
  missingSelf: boolean;
  missingSupervisor: boolean;
}

// Weights are held as parts of 10,000 (SCALE) so the whole computation stays in integers:
// 0.15 × 92 + 0.85 × 81 − 3 = (1500×92 + 8500×81 − 30000) / 10000, with no float drift.

/** Line 12: the sum of the month's record points, kept within the monthly cap if one is set. */
export function adjustmentTotal(
  points: number[],
  policies: Pick<Policies, 'monthlyAdjustmentCap'>,
): number {
  const sum = points.reduce((a, b) => a + b, 0);
  const cap = policies.monthlyAdjustmentCap;
  return cap ? Math.min(cap.max, Math.max(cap.min, sum)) : sum;
}

/** The weighted final: 0.15 × self + 0.85 × supervisor + line 12, exact, rounded half up to 0.1. */
export function weightedFinal(
  form: Pick<FormDefinition, 'weights'>,
  selfTotal: number,
  supervisorTotal: number,
  adjustments: number,
): number {
  const wSelf = Math.round(form.weights.self * SCALE);
  const wSupervisor = Math.round(form.weights.supervisor * SCALE);
  return roundTenths(wSelf * selfTotal + wSupervisor * supervisorTotal + adjustments * SCALE);
}

/** One person's result for a month, applying the missing-self policy. */
export function computeResult(
  form: Pick<FormDefinition, 'weights' | 'policies'>,
  input: ResultInput,
): Result {
  const adjustments = adjustmentTotal(input.adjustments, form.policies);
  const missingSelf = input.selfTotal === null;
  const missingSupervisor = input.supervisorTotal === null;
  let selfCounted = input.selfTotal;
  if (missingSelf) {
    selfCounted = form.policies.missingSelf === 'zero' ? 0 : input.supervisorTotal;
  }
  const final =
    input.supervisorTotal === null || selfCounted === null
      ? null
      : weightedFinal(form, selfCounted, input.supervisorTotal, adjustments);
  return {
    selfCounted,
    supervisorTotal: input.supervisorTotal,
    adjustmentTotal: adjustments,
    final,
    missingSelf,
    missingSupervisor,
  };
}
