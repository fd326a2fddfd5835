import { adjustmentTotal, computeResult, weightedFinal } from '../../src/assessment/final-score';
import { roundTenths } from '../../src/assessment/rounding';
import type { FormDefinition } from '../../src/assessment/form';
import { loadConfig } from '../../config';

const form: FormDefinition = loadConfig({}).assessment;

describe('weighted final score', () => {
  it('is 0.15 × self + 0.85 × supervisor + adjustments, rounded half up (the documented example)', () => {
    // 13.8 + 68.85 − 3 = 79.65 → 79.7
    expect(weightedFinal(form, 92, 81, -3)).toBe(79.7);
  });

  it('weighs self at 15 % and supervisor at 85 %, not the other way round', () => {
    expect(weightedFinal(form, 100, 0, 0)).toBe(15);
    expect(weightedFinal(form, 0, 100, 0)).toBe(85);
  });

  it('adds adjustments after weighting, with their sign', () => {
    expect(weightedFinal(form, 80, 80, 5)).toBe(85);
    expect(weightedFinal(form, 80, 80, -5)).toBe(75);
  });

  it('does not drift where floating point would (0.15 × 31 = 4.65 exactly)', () => {
    // In floats 0.15 * 31 = 4.6499999999999995 and would round down to 4.6.
    expect(0.15 * 31).toBeLessThan(4.65);
    expect(weightedFinal(form, 31, 0, 0)).toBe(4.7);
    expect(weightedFinal(form, 0, 47, 0)).toBe(40); // 39.95, a float says 39.949999…
    expect(weightedFinal(form, 1, 1, 0)).toBe(1);
    expect(weightedFinal(form, 91, 87, 0)).toBe(87.6); // 13.65 + 73.95 = 87.6
    expect(weightedFinal(form, 97, 89, 0)).toBe(90.2); // 14.55 + 75.65 = 90.2
  });

  it('rounds half away from zero to one decimal', () => {
    expect(roundTenths(796500)).toBe(79.7);
    expect(roundTenths(796499)).toBe(79.6);
    expect(roundTenths(-500)).toBe(-0.1);
    expect(roundTenths(-499)).toBe(0);
    expect(Object.is(roundTenths(-1), 0)).toBe(true);
  });

  it('follows configured weights', () => {
    const custom = { weights: { self: 0.2, supervisor: 0.8 } };
    expect(weightedFinal(custom, 90, 80, 0)).toBe(82);
  });
});

describe('line 12 (其他奖惩分)', () => {
  it('is the sum of the month’s records', () => {
    expect(adjustmentTotal([2, -4, 1], form.policies)).toBe(-1);
    expect(adjustmentTotal([], form.policies)).toBe(0);
  });

  it('is kept within a configured monthly cap', () => {
    const capped = { monthlyAdjustmentCap: { min: -5, max: 5 } };
    expect(adjustmentTotal([4, 4], capped)).toBe(5);
    expect(adjustmentTotal([-10, 2], capped)).toBe(-5);
    expect(adjustmentTotal([3, -1], capped)).toBe(2);
  });
});

describe('missing-self policy', () => {
  it('zero (default): the self part counts 0 and is flagged', () => {
    const result = computeResult(form, { selfTotal: null, supervisorTotal: 80, adjustments: [2] });
    expect(result).toMatchObject({
      selfCounted: 0,
      missingSelf: true,
      adjustmentTotal: 2,
      final: 70,
    });
  });

  it('supervisor: the supervisor total stands in for the self total', () => {
    const policies = { ...form.policies, missingSelf: 'supervisor' as const };
    const result = computeResult(
      { ...form, policies },
      { selfTotal: null, supervisorTotal: 80, adjustments: [] },
    );
    expect(result).toMatchObject({ selfCounted: 80, missingSelf: true, final: 80 });
  });

  it('has no final until the supervisor has scored', () => {
    const result = computeResult(form, { selfTotal: 90, supervisorTotal: null, adjustments: [] });
    expect(result).toMatchObject({ final: null, missingSupervisor: true, selfCounted: 90 });
  });

  it('uses the submitted self total when there is one', () => {
    const result = computeResult(form, {
      selfTotal: 92,
      supervisorTotal: 81,
      adjustments: [-1, -2],
    });
    expect(result).toEqual({
      selfCounted: 92,
      supervisorTotal: 81,
      adjustmentTotal: -3,
      final: 79.7,
      missingSelf: false,
      missingSupervisor: false,
    });
  });
});
