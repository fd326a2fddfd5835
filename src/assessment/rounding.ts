/**
 * Every rounding of scores in one place: the final (exact, from parts of
 * 10,000), and the averages and medians that reports and the close summary
 * show. Changing how Kaohe rounds means changing this file only.
 */

/** Scores held in parts of 10,000 keep the final's computation in integers (no float drift). */
export const SCALE = 10000;

/**
 * Rounds a value given in 1/10,000ths to one decimal, half away from zero
 * (79.65 → 79.7, −0.05 → −0.1), as a person rounding by hand would.
 */
export function roundTenths(scaled: number): number {
  const tenths = Math.floor((Math.abs(scaled) + SCALE / 20) / (SCALE / 10));
  return (Math.sign(scaled) * tenths) / 10 || 0;
}

/** A derived figure (an average total, a spread) shown to one decimal, half up. */
export function nearestTenth(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * The average of finals (each already to one decimal), rounded half up to one
 * decimal; summing whole tenths keeps it exact before the one rounding.
 */
export function averageOfFinals(finals: number[]): number {
  const tenths = finals.reduce((sum, f) => sum + Math.round(f * 10), 0);
  return Math.round(tenths / finals.length) / 10;
}

/** The median of finals (each to one decimal); of an even count, the middle two's mean rounded half up. */
export function medianOfFinals(finals: number[]): number {
  const tenths = finals.map((f) => Math.round(f * 10)).sort((a, b) => a - b);
  const mid = tenths.length / 2;
  return tenths.length % 2
    ? tenths[Math.floor(mid)]! / 10
    : Math.round((tenths[mid - 1]! + tenths[mid]!) / 2) / 10;
}
