import { z } from 'zod';
import type { Platform } from '../src/channels';

// Empty strings count as unset: `.env` files and CI often export VAR= .
const optional = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

const port = z.preprocess(
  (v) => (v === '' || v === undefined ? '3000' : v),
  z
    .string()
    .regex(/^\d+$/, 'must be a number')
    .transform(Number)
    .refine((n) => n < 65536, 'must be between 0 (any free port) and 65535'),
);

const url = (protocols: string[]) =>
  optional.refine(
    (v) => v === undefined || protocols.some((p) => v.startsWith(p)),
    `must start with ${protocols.join(' or ')}`,
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

const flag = (fallback: boolean) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? String(fallback) : String(v).toLowerCase()),
    z
      .enum(['true', 'false', 'on', 'off', '1', '0'])
      .transform((v) => ['true', 'on', '1'].includes(v)),
  );

/** Every environment variable the bot reads, with its rules (see .env.example). */
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
  WECOM_CORP_ID: optional,
  WECOM_AGENT_ID: optional.refine((v) => v === undefined || /^\d+$/.test(v), 'must be a number'),
  WECOM_SECRET: optional,
  WECOM_TOKEN: optional,
  WECOM_ENCODING_AES_KEY: optional.refine(
    (v) => v === undefined || /^[A-Za-z0-9+/]{43}$/.test(v),
    'must be 43 characters of base64 (as shown in the WeCom admin console)',
  ),
  WECOM_API_BASE: url(['http://', 'https://']),
  WECOM_PASSIVE_REPLIES: flag(true),
  INLINE_REPLY_BUDGET_MS: z.preprocess(
    (v) => (v === '' || v === undefined ? '1000' : v),
    z
      .string()
      .regex(/^\d+$/, 'must be a number of milliseconds')
      .transform(Number)
      .refine((n) => n <= 4000, 'must be at most 4000 (WeCom waits 5 s for an answer)'),
  ),
  DINGTALK_APP_KEY: optional,
  DINGTALK_APP_SECRET: optional,
  DINGTALK_ROBOT_CODE: optional,
  DINGTALK_MODE: optional.refine(
    (v) => v === undefined || v === 'stream' || v === 'http',
    'must be stream or http',
  ),
  DINGTALK_CARD_TEMPLATE_ID: optional,
  DINGTALK_INLINE_REPLIES: flag(true),
  DINGTALK_API_BASE: url(['http://', 'https://']),
  SIMULATOR: z.preprocess(
    (v) => (v === '' || v === undefined ? 'auto' : String(v).toLowerCase()),
    z.enum(['auto', 'on', 'off'], { message: 'must be auto, on or off' }),
  ),
});

export type Env = z.infer<typeof envSchema>;

/** The variables that together switch a platform on; all or none must be set. */
export const PLATFORM_VARIABLES = {
  wecom: [
    'WECOM_CORP_ID',
    'WECOM_AGENT_ID',
    'WECOM_SECRET',
    'WECOM_TOKEN',
    'WECOM_ENCODING_AES_KEY',
  ],
  dingtalk: ['DINGTALK_APP_KEY', 'DINGTALK_APP_SECRET', 'DINGTALK_ROBOT_CODE'],
} as const satisfies Record<Platform, readonly string[]>;
