/** The two totals the gap rule compares; either is null until that form is submitted. */
export interface BothTotals {
  selfTotal: number | null;
  supervisorTotal: number | null;
}

/** How far the self total is from the supervisor's, or null until both forms are in. */
export function selfSupervisorGap(r: BothTotals): number | null {
  return r.selfTotal === null || r.supervisorTotal === null
    ? null
    : Math.abs(r.selfTotal - r.supervisorTotal);
}

/** The gap rule: a self–supervisor gap above the policy's threshold is flagged for the manager. */
export function exceedsGap(r: BothTotals, threshold: number): boolean {
  const gap = selfSupervisorGap(r);
  return gap !== null && gap > threshold;
}
