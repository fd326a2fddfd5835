import type Router from '@koa/router';
import type { Metrics } from '../lib/metrics';

/** GET /metrics: this instance's series in Prometheus text format. */
export function registerMetricsRoute(router: Router, metrics: Metrics): void {
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
}
