import type Router from '@koa/router';
import { timeBoxed } from '../lib/time-box';
import type { StateStore } from '../state/state-store';
import type { Backlog, Backlogs } from '../store/backlog';

/** What /healthz asks about. */
export interface HealthChecks {
  /** Answers whether the database is reachable. */
  mongo(): Promise<boolean>;
  state: StateStore;
  /** The inbox's and outbox's backlogs (read from the database). */
  backlogs?: () => Promise<Backlogs>;
}

// Each check gets this long, so /healthz answers within a second whatever is down.
const CHECK_TIMEOUT_MS = 800;

/**
 * GET /healthz: 200 `{ok, mongo, redis, inbox, outbox}` when ready, 503 naming
 * what is down otherwise. `inbox`/`outbox` are `{pending, oldestSeconds}`, or
 * null when the database did not answer in time.
 */
export function registerHealthRoute(router: Router, checks: HealthChecks): void {
  router.get('/healthz', async (ctx) => {
    const noBacklog: Backlogs | null = null;
    const [mongoUp, stateUp, backlogs] = await Promise.all([
      timeBoxed(() => checks.mongo(), CHECK_TIMEOUT_MS, false),
      timeBoxed(() => checks.state.ping(), CHECK_TIMEOUT_MS, false),
      checks.backlogs ? timeBoxed(checks.backlogs, CHECK_TIMEOUT_MS, noBacklog) : noBacklog,
    ]);
    const redis = checks.state.kind === 'in-process' ? 'in-process' : stateUp ? 'up' : 'down';
    const ok = mongoUp && stateUp;
    ctx.status = ok ? 200 : 503;
    ctx.body = {
      ok,
      mongo: mongoUp ? 'up' : 'down',
      redis,
      inbox: backlogs?.inbox ?? (null as Backlog | null),
      outbox: backlogs?.outbox ?? (null as Backlog | null),
    };
  });
}
