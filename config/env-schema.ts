import { z } from 'zod';
import { flag, optional, url } from '../src/lib/env-rules';

const port = z.preprocess(
  (v) => (v === '' || v === undefined ? '3000' : v),
  z
    .string()
    .regex(/^\d+$/, 'must be a number')
    .transform(Number)
    .refine((n) => n < 65536, 'must be between 0 (any free port) and 65535'),
);

const timeZone = z.preprocess(
  (v) => (v === '' || v === undefined ? 'Asia/Shanghai' : v),
  z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'is not a known time zone'),
);

/**
 * The environment variables the bot reads apart from each messenger's own
 * (those live in src/channels/<name>/config.ts), with their rules (see .env.example).
 */
export const envSchema = z.object({
  NODE_ENV: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['development', 'test', 'production']).default('development'),
  ),
  LOG_LEVEL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  PORT: port,
  MONGODB_URI: url(['mongodb://', 'mongodb+srv://']),
  REDIS_URL: url(['redis://', 'rediss://']),
  DATA_DIR: z.preprocess((v) => (v === '' || v === undefined ? './data' : v), z.string()),
  TZ_ASSESSMENT: timeZone,
  ROSTER_FILE: optional,
  ASSESSMENT_FILE: optional,
  FORMS_DIR: optional,
  CRON_ENABLED: flag(true),
  // Kept well under WeCom's duplicate check interval (3600 s and more), which must outlast it.
  OUTBOX_LEASE_MS: z.preprocess(
    (v) => (v === '' || v === undefined ? '60000' : v),
    z
      .string()
      .regex(/^\d+$/, 'must be a number')
      .transform(Number)
      .refine((n) => n >= 1000 && n <= 600_000, 'must be between 1000 and 600000'),
  ),
  INLINE_REPLY_BUDGET_MS: z.preprocess(
    (v) => (v === '' || v === undefined ? '1000' : v),
    z
      .string()
      .regex(/^\d+$/, 'must be a number of milliseconds')
      .transform(Number)
      .refine((n) => n <= 4000, 'must be at most 4000 (WeCom waits 5 s for an answer)'),
  ),
  SIMULATOR: z.preprocess(
    (v) => (v === '' || v === undefined ? 'auto' : String(v).toLowerCase()),
    z.enum(['auto', 'on', 'off'], { message: 'must be auto, on or off' }),
  ),
});

/** The general variables, checked. */
export type Env = z.infer<typeof envSchema>;
