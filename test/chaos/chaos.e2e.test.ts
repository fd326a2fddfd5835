/**
 * A small version of `npm run chaos` against the real bot process: a SIGKILL in
 * the middle of a fan-out with WeCom failing a fifth of its calls, and WeCom
 * unreachable for a few seconds. Counts come from what the fake WeCom delivered.
 */
import { apiDown } from '../../scripts/chaos/api-down';
import { killFanout } from '../../scripts/chaos/kill-fanout';

describe('chaos, small', () => {
  it('killed mid-fan-out and restarted: 30 of 30 reached, nobody twice', async () => {
    const result = await killFanout({
      staff: 30,
      failureRate: 0.2,
      killAt: 0.3,
      timeoutMs: 30_000,
    });
    expect(result.reachedBeforeKill).toBeLessThan(30);
    expect({ reached: result.reached, duplicated: result.duplicated }).toEqual({
      reached: 30,
      duplicated: 0,
    });
  }, 60_000);

  it('WeCom down, then back: every queued message delivered once, in order per person', async () => {
    const result = await apiDown({ staff: 10, downMs: 3000, timeoutMs: 30_000 });
    expect(result).toMatchObject({ reached: 10, duplicated: 0, outOfOrder: 0 });
    expect(result.delivered).toBe(result.queued);
    expect(result.queued).toBeGreaterThanOrEqual(21);
  }, 60_000);
});
