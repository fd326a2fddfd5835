import type { Middleware } from 'koa';
import { isAppError } from '../lib/errors';
import type { Logger } from '../lib/logger';

/**
 * The one place HTTP errors become responses. Expected errors (AppError) answer
 * with their status and code; anything else is logged and answered 500 without
 * details, so no stack or secret ever reaches a caller.
 */
export function errorBoundary(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (isAppError(err)) {
        ctx.status = err.status;
        ctx.body = { error: err.code, ...(err.expose ? { message: err.message } : {}) };
        logger.warn(
          { code: err.code, path: ctx.path, status: err.status, reason: err.message },
          'request refused',
        );
        return;
      }
      const status = httpStatusOf(err);
      if (status && status < 500) {
        // Errors raised by Koa's own helpers (ctx.throw, body limits) carry a status.
        ctx.status = status;
        ctx.body = { error: 'bad_request' };
        logger.warn({ path: ctx.path, status }, 'request refused');
        return;
      }
      logger.error({ err, path: ctx.path }, 'request failed');
      ctx.status = 500;
      ctx.body = { error: 'internal' };
    }
  };
}

function httpStatusOf(err: unknown): number | undefined {
  const status =
    (err as { status?: unknown; statusCode?: unknown })?.status ??
    (err as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
