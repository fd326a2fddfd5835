import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { AppError } from '../../lib/errors';

/**
 * Reads a callback's raw body as text, refusing more than `limit` bytes (413);
 * receivers verify and parse it themselves, so no body parser sits in front.
 */
export async function readCallbackBody(ctx: Context, limit: number): Promise<string> {
  try {
    return await getRawBody(ctx.req, {
      limit,
      length: ctx.get('content-length') || undefined,
      encoding: 'utf-8',
    });
  } catch (err) {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') throw new AppError('too_large', 'callback body too large');
    throw new AppError('bad_payload', 'callback body unreadable', { cause: err });
  }
}
