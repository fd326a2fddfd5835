import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { AppError } from '../../lib/errors';

/**
 * Reads a request's raw body, refusing more than `limit` bytes (413); no body
 * parser sits in front, since receivers verify the raw bytes before parsing.
 */
export async function readBody(ctx: Context, limit: number): Promise<Buffer> {
  try {
    return await getRawBody(ctx.req, { limit, length: ctx.get('content-length') || undefined });
  } catch (err) {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') throw new AppError('too_large', 'request body too large');
    throw new AppError('bad_payload', 'request body unreadable', { cause: err });
  }
}

/** Reads a callback's raw body as text (see readBody). */
export async function readCallbackBody(ctx: Context, limit: number): Promise<string> {
  return (await readBody(ctx, limit)).toString('utf8');
}
