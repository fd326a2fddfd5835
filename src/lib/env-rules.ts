/**
 * The zod rules environment variables share, so that the general schema
 * (config/env-schema.ts) and each channel's own variables
 * (src/channels/<name>/config.ts) read a value alike and say the same words
 * when it is wrong.
 */
import { z } from 'zod';

/** A variable that may be unset; empty strings count as unset, as `.env` files and CI often export VAR= . */
export const optional = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

/** An optional URL that must start with one of the protocols. */
export const url = (protocols: string[]) =>
  optional.refine(
    (v) => v === undefined || protocols.some((p) => v.startsWith(p)),
    `must start with ${protocols.join(' or ')}`,
  );

/** An on/off switch (true/false, on/off, 1/0, any case), `fallback` when unset. */
export const flag = (fallback: boolean) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? String(fallback) : String(v).toLowerCase()),
    z
      .enum(['true', 'false', 'on', 'off', '1', '0'])
      .transform((v) => ['true', 'on', '1'].includes(v)),
  );

/** A URL without its trailing slashes, so that paths can be appended with one. */
export function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
