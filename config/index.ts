import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { assessmentSchema, type AssessmentSettings } from './assessment-schema';
import { envSchema, PLATFORM_VARIABLES, type Env } from './env-schema';
import type { WecomSettings } from '../src/channels/wecom/settings';

export type { AssessmentSettings } from './assessment-schema';

/** WeCom self-built app settings, in the shape the channel takes; present only when every WECOM_* credential is set. */
export type WecomConfig = WecomSettings;

/** DingTalk app settings; present only when every DINGTALK_* credential is set. */
export interface DingtalkConfig {
  appKey: string;
  appSecret: string;
  robotCode: string;
  mode: 'stream' | 'http';
  cardTemplateId?: string;
  apiBase: string;
}

/** Everything the bot is configured with, checked once at start. */
export interface AppConfig {
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
  wecom?: WecomConfig;
  dingtalk?: DingtalkConfig;
  /**
   * Answer inside the callback's own response where the platform allows it
   * (WECOM_PASSIVE_REPLIES; DINGTALK_INLINE_REPLIES: card taps), within
   * `budgetMs`; otherwise every reply goes through the platform's API.
   */
  inlineReplies: { wecom: boolean; dingtalk: boolean; budgetMs: number };
  /** Serve the messenger simulator at /simulator/ (it plays WeCom); never in production. */
  simulator: boolean;
  assessment: AssessmentSettings;
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

  for (const [platform, names] of Object.entries(PLATFORM_VARIABLES)) {
    const set = names.filter((n) => source[n]);
    if (set.length > 0 && set.length < names.length) {
      const missing = names.filter((n) => !source[n]);
      problems.push(
        ...missing.map(
          (n) => `${n}: required when ${platform} is configured (${set.join(', ')} set)`,
        ),
      );
    }
  }
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
  const assessment = readAssessment(assessmentFile, problems);

  if (problems.length > 0 || !env || !assessment) throw new ConfigError(problems);
  return toConfig(env, assessment);
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

/** Reads the assessment file, adding its problems (named `ASSESSMENT_FILE <field>`) to the list. */
function readAssessment(file: string, problems: string[]): AssessmentSettings | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(`ASSESSMENT_FILE: cannot read ${file}: ${(err as Error).message}`);
    return undefined;
  }
  const result = assessmentSchema.safeParse(raw);
  if (result.success) return result.data;
  problems.push(...describe(result.error, (p) => `ASSESSMENT_FILE ${file} ${p}`));
  return undefined;
}

function describe(error: z.ZodError, name: (path: string) => string): string[] {
  return error.issues.map((issue) => `${name(issue.path.join('.') || '(root)')}: ${issue.message}`);
}

function toConfig(env: Env, assessment: AssessmentSettings): AppConfig {
  const wecom: WecomConfig | undefined = env.WECOM_CORP_ID
    ? {
        corpId: env.WECOM_CORP_ID,
        agentId: Number(env.WECOM_AGENT_ID),
        secret: env.WECOM_SECRET!,
        token: env.WECOM_TOKEN!,
        encodingAesKey: env.WECOM_ENCODING_AES_KEY!,
        apiBase: stripSlash(env.WECOM_API_BASE ?? 'https://qyapi.weixin.qq.com/cgi-bin'),
      }
    : undefined;
  const dingtalk: DingtalkConfig | undefined = env.DINGTALK_APP_KEY
    ? {
        appKey: env.DINGTALK_APP_KEY,
        appSecret: env.DINGTALK_APP_SECRET!,
        robotCode: env.DINGTALK_ROBOT_CODE!,
        mode: (env.DINGTALK_MODE as 'stream' | 'http' | undefined) ?? 'stream',
        cardTemplateId: env.DINGTALK_CARD_TEMPLATE_ID,
        apiBase: stripSlash(env.DINGTALK_API_BASE ?? 'https://api.dingtalk.com'),
      }
    : undefined;
  // 'auto': a fresh clone with no messenger configured starts with the simulator, so it can be tried at once.
  const simulator =
    env.SIMULATOR === 'on' ||
    (env.SIMULATOR === 'auto' && env.NODE_ENV !== 'production' && !wecom && !dingtalk);
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
    inlineReplies: {
      wecom: env.WECOM_PASSIVE_REPLIES,
      dingtalk: env.DINGTALK_INLINE_REPLIES,
      budgetMs: env.INLINE_REPLY_BUDGET_MS,
    },
    wecom,
    dingtalk,
    simulator,
    assessment,
  };
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
