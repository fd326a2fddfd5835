import type { Middleware } from 'koa';
import { isAppError } from '../lib/errors';
import type { CallbackOutcome, Metrics } from '../lib/metrics';

/**
 * Counts one platform callback and times it from its arrival at the route to
 * the answer. Mounted in front of a receiver's handler, so the receiver keeps
 * carrying transport only.
 */
export function callbackMetrics(metrics: Metrics | undefined, platform: string): Middleware {
  return async (ctx, next) => {
    if (!metrics) return next();
    const started = performance.now();
    let outcome: CallbackOutcome = 'error';
    try {
      await next();
      outcome = ctx.status < 400 ? 'accepted' : ctx.status < 500 ? 'refused' : 'error';
    } catch (err) {
      outcome = isAppError(err) && err.status < 500 ? 'refused' : 'error';
      throw err;
    } finally {
      metrics.callback(platform, outcome, performance.now() - started);
    }
  };
}

/** The same count for callbacks that arrive without HTTP (DingTalk's Stream mode): timed until stored. */
export function timedOnEvent<E, R>(
  metrics: Metrics,
  platform: string,
  onEvent: (event: E) => Promise<R>,
): (event: E) => Promise<R> {
  return async (event) => {
    const started = performance.now();
    try {
      const answer = await onEvent(event);
      metrics.callback(platform, 'accepted', performance.now() - started);
      return answer;
    } catch (err) {
      metrics.callback(platform, 'error', performance.now() - started);
      throw err;
    }
  };
}
