import Koa from 'koa';
import Router from '@koa/router';
import type { Logger } from '../lib/logger';
import { errorBoundary } from './error-boundary';
import { registerHealthRoute, type HealthChecks } from './health';
import { registerMetricsRoute } from './metrics-route';
import type { Metrics } from '../lib/metrics';

/** Something that adds its routes to the app (a messenger's webhook, the simulator). */
export type RouteModule = (router: Router) => void;

/** What the HTTP app is built from. */
export interface AppDeps {
  logger: Logger;
  health: HealthChecks;
  /** Served at GET /metrics when given. */
  metrics?: Metrics;
  routes?: RouteModule[];
}

/** The Koa app with its routes and error boundary; it does not listen, so tests drive app.callback(). */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  // Errors are answered and logged by the boundary; Koa's own printing would log them twice.
  app.silent = true;
  app.use(errorBoundary(deps.logger));
  const router = new Router();
  registerHealthRoute(router, deps.health);
  if (deps.metrics) registerMetricsRoute(router, deps.metrics);
  for (const register of deps.routes ?? []) register(router);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
