import path from 'node:path';
import { z } from 'zod';
import type { AssessmentSettings } from './assessment-schema';
import { describeIssues as describe, readForms, type DepartmentForm } from './forms';
import { envSchema, type Env } from './env-schema';
import { CHANNELS, PLATFORMS, type Platform, type SettingsOf } from '../src/channels';
import type { ChannelConfigSpec } from '../src/channels/channel-config';

export type { AssessmentSettings } from './assessment-schema';
export type { DepartmentForm } from './forms';

/**
 * Each messenger's settings under its platform name (`wecom`, `dingtalk`…),
 * present only when every one of its required variables is set.
 */
export type ChannelSettings = { [P in Platform]?: SettingsOf<P> };

/** Everything the bot is configured with, checked once at start. */
export interface AppConfig extends ChannelSettings {
  env: 'development' | 'test' | 'production';
  logLevel: string;
  port: number;
  /** Unset: the embedded database is used. */
  mongodbUri?: string;
  /** Unset: conversation state is kept in process. */
  redisUrl?: string;
  dataDir: string;
  timeZone: string;
  rosterFile?: string;
  cronEnabled: boolean;
  /** How long a claimed outbox message stays with its sender before another may take it. */
  outboxLeaseMs: number;
  /**
   * Answer inside the callback's own response where the platform allows it
   * (each channel's own switch, e.g. WECOM_PASSIVE_REPLIES), within
   * `budgetMs`; otherwise every reply goes through the platform's API.
   */
  inlineReplies: { [P in Platform]: boolean } & { budgetMs: number };
  /** Serve the messenger simulator at /simulator/ (it plays WeCom); never in production. */
  simulator: boolean;
  /** The default department's form (客服部 unless ASSESSMENT_FILE names another). */
  assessment: AssessmentSettings;
  /** Every department's form, the default first; one entry when FORMS_DIR is unset. */
  departments: DepartmentForm[];
}

/** A configuration that cannot start; `problems` names every bad variable, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_ASSESSMENT_FILE = path.join(__dirname, 'assessment.json');

/**
 * Reads and checks the configuration: every environment variable and the
 * assessment file. The only reader of process.env in the project. Throws a
 * ConfigError listing every problem at once.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) problems.push(...describe(parsed.error, (p) => p));
  const env = parsed.success ? parsed.data : undefined;

  const channels = PLATFORMS.map((platform) => readChannel(platform, source));
  // Every rule broken first, then every credential missing: the order the lines always had.
  problems.push(...channels.flatMap((c) => c.invalid));
  problems.push(...channels.flatMap((c) => c.missing));
  if (source.NODE_ENV === 'production') {
    if (!source.MONGODB_URI)
      problems.push(
        'MONGODB_URI: required in production (the embedded database is for development)',
      );
    if (!source.REDIS_URL)
      problems.push(
        'REDIS_URL: required in production (in-process state serves one instance only)',
      );
  }

  problems.push(...simulatorProblems(source, env?.SIMULATOR));

  const assessmentFile = env?.ASSESSMENT_FILE ?? DEFAULT_ASSESSMENT_FILE;
  const departments = readForms(assessmentFile, env?.FORMS_DIR, problems);

  if (problems.length > 0 || !env || departments.length === 0) throw new ConfigError(problems);
  return toConfig(env, departments, channels);
}

/** What one channel's variables say: their problems, and its settings and switch when they are sound. */
interface ChannelReading {
  platform: Platform;
  /** A line per variable that breaks its rule. */
  invalid: string[];
  /** A line per required variable unset while another is set. */
  missing: string[];
  settings?: unknown;
  inlineReplies: boolean;
}

/** Checks one channel's own variables (src/channels/<name>/config.ts) and parses its settings. */
function readChannel(platform: Platform, source: NodeJS.ProcessEnv): ChannelReading {
  const spec: ChannelConfigSpec = CHANNELS[platform].config;
  const parsed = z.object(spec.variables).safeParse(source);
  const invalid = parsed.success ? [] : describe(parsed.error, (p) => p);
  const set = spec.required.filter((n) => source[n]);
  const missing =
    set.length > 0 && set.length < spec.required.length
      ? spec.required
          .filter((n) => !source[n])
          .map((n) => `${n}: required when ${platform} is configured (${set.join(', ')} set)`)
      : [];
  if (!parsed.success || missing.length > 0)
    return { platform, invalid, missing, inlineReplies: false };
  return {
    platform,
    invalid,
    missing,
    settings: spec.parse(parsed.data),
    inlineReplies: spec.inlineReplies(parsed.data),
  };
}

/** The simulator plays WeCom on the bot's own machine: not in production, and not beside a real WeCom app. */
function simulatorProblems(source: NodeJS.ProcessEnv, mode: string | undefined): string[] {
  if (mode !== 'on') return [];
  if (source.NODE_ENV === 'production')
    return ['SIMULATOR: cannot be on in production (it lets anyone speak as anyone)'];
  if (source.WECOM_CORP_ID)
    return ['SIMULATOR: cannot be on while WECOM_* is set (the simulator plays WeCom)'];
  return [];
}

function toConfig(env: Env, departments: DepartmentForm[], channels: ChannelReading[]): AppConfig {
  // Each reading comes from the spec under its own platform name, so its settings are that channel's.
  const settings = Object.fromEntries(
    channels.filter((c) => c.settings !== undefined).map((c) => [c.platform, c.settings]),
  ) as ChannelSettings;
  const inline = Object.fromEntries(channels.map((c) => [c.platform, c.inlineReplies])) as {
    [P in Platform]: boolean;
  };
  // 'auto': a fresh clone with no messenger configured starts with the simulator, so it can be tried at once.
  const simulator =
    env.SIMULATOR === 'on' ||
    (env.SIMULATOR === 'auto' &&
      env.NODE_ENV !== 'production' &&
      Object.keys(settings).length === 0);
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    port: env.PORT,
    mongodbUri: env.MONGODB_URI,
    redisUrl: env.REDIS_URL,
    dataDir: env.DATA_DIR,
    timeZone: env.TZ_ASSESSMENT,
    rosterFile: env.ROSTER_FILE,
    cronEnabled: env.CRON_ENABLED,
    outboxLeaseMs: env.OUTBOX_LEASE_MS,
    inlineReplies: { ...inline, budgetMs: env.INLINE_REPLY_BUDGET_MS },
    ...settings,
    simulator,
    assessment: departments[0]!.form,
    departments,
  };
}
