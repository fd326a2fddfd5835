// Apart from chart.ts, so that the month's summary counts its bands without loading echarts and resvg.

/** The 10-point bands of the distribution; anything above 100 (bonuses) still counts as 90+. */
export const SCORE_BANDS = ['<60', '60-69', '70-79', '80-89', '90+'];

/** How many finals fall into each of SCORE_BANDS. */
export function bandCounts(finals: number[]): number[] {
  const counts = SCORE_BANDS.map(() => 0);
  for (const score of finals) {
    if (!Number.isFinite(score)) continue;
    const band = Math.min(Math.max(Math.floor(score / 10) - 5, 0), SCORE_BANDS.length - 1);
    counts[band]! += 1;
  }
  return counts;
}
