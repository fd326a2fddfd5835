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

// Both platforms send UTF-8; bytes that are not would be read as U+FFFD and could slip a
// signed envelope past with other bytes around it, so they are refused instead.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Reads a callback's raw body as UTF-8 text (see readBody); other bytes are refused (400). */
export async function readCallbackBody(ctx: Context, limit: number): Promise<string> {
  const bytes = await readBody(ctx, limit);
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new AppError('bad_payload', 'request body is not UTF-8');
  }
}
