import type Router from '@koa/router';
import type { StateStore } from '../state/state-store';

/** What /healthz asks about. */
export interface HealthChecks {
  /** Answers whether the database is reachable. */
  mongo(): Promise<boolean>;
  state: StateStore;
}

/** GET /healthz: 200 `{ok, mongo, redis}` when ready, 503 naming what is down otherwise. */
export function registerHealthRoute(router: Router, checks: HealthChecks): void {
  router.get('/healthz', async (ctx) => {
    const [mongoUp, stateUp] = await Promise.all([
      checks.mongo().catch(() => false),
      checks.state.ping().catch(() => false),
    ]);
    const redis = checks.state.kind === 'in-process' ? 'in-process' : stateUp ? 'up' : 'down';
    const ok = mongoUp && stateUp;
    ctx.status = ok ? 200 : 503;
    ctx.body = { ok, mongo: mongoUp ? 'up' : 'down', redis };
  });
}
