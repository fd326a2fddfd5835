import { nearestTenth } from '../assessment/rounding';

/** One group's supervisor totals: how many people, their average and spread. */
export interface CalibrationLine {
  /** The supervisor's userid, or null for the whole department. */
  supervisorUserid: string | null;
  count: number;
  average: number;
  /** Population standard deviation. */
  spread: number;
  /** Average minus the department's (0 for the department). */
  offset: number;
  flagged: boolean;
}

/** One supervisor total of a month, with whose scoring it is ('' when the form names nobody). */
export interface Scored {
  supervisorUserid: string;
  supervisorTotal: number;
}

function stats(totals: number[]): { average: number; spread: number } {
  const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
  const variance = totals.reduce((a, b) => a + (b - mean) ** 2, 0) / totals.length;
  return { average: mean, spread: Math.sqrt(variance) };
}

/**
 * Calibration (校准): per supervisor, how many people they scored, their
 * average supervisor total and its spread, beside the department's; a
 * supervisor whose average is further than the threshold (policy
 * `calibrationThreshold`, default 10) from the department's is flagged, so a
 * lenient or a harsh scorer shows before the results are compared. `scored`
 * in the report's order (the sums follow it).
 */
export function calibration(scored: Scored[], threshold: number): CalibrationLine[] {
  if (scored.length === 0) return [];
  const all = stats(scored.map((s) => s.supervisorTotal));
  const bySupervisor = new Map<string, number[]>();
  for (const { supervisorUserid: id, supervisorTotal } of scored) {
    // Pushed in place: copying the list for every person made a 10,000-person month quadratic.
    const totals = bySupervisor.get(id);
    if (totals) totals.push(supervisorTotal);
    else bySupervisor.set(id, [supervisorTotal]);
  }
  const department: CalibrationLine = {
    supervisorUserid: null,
    count: scored.length,
    average: nearestTenth(all.average),
    spread: nearestTenth(all.spread),
    offset: 0,
    flagged: false,
  };
  const lines = [...bySupervisor.entries()].map(([id, totals]) => {
    const s = stats(totals);
    const offset = nearestTenth(s.average - all.average);
    return {
      supervisorUserid: id,
      count: totals.length,
      average: nearestTenth(s.average),
      spread: nearestTenth(s.spread),
      offset,
      flagged: Math.abs(s.average - all.average) > threshold,
    };
  });
  return [department, ...lines.sort((a, b) => b.average - a.average)];
}
