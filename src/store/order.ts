let last = 0;

/**
 * A sort key for queued items: creation time in microseconds, strictly
 * increasing within this process, so items written in one step (or under a
 * clock that stands still in tests) keep the order they were written in.
 */
export function nextOrder(now: Date): number {
  last = Math.max(now.getTime() * 1000, last + 1);
  return last;
}
