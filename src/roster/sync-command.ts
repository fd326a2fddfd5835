/**
 * The `sync` subcommand of `npm run roster`: reads WeCom's or DingTalk's
 * directory with the configured app's credentials and syncs the roster from
 * it, or only prints what would change (`--dry-run`). `--roles FILE` names
 * another mapping file; `--csv FILE` saves the generated roster, the file the
 * printed line numbers refer to.
 */
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../config';
import { DingtalkClient } from '../channels/dingtalk/client';
import { DingtalkDirectory } from '../channels/dingtalk/directory';
import type { DirectorySource } from '../channels/directory';
import type { Platform } from '../channels/types';
import { WecomClient } from '../channels/wecom/client';
import { WecomDirectory } from '../channels/wecom/directory';
import { createLogger } from '../lib/logger';
import { MemoryStateStore } from '../state/memory-state-store';
import { RedisStateStore } from '../state/redis-state-store';
import type { StateStore } from '../state/state-store';
import { openDatabase } from '../store/database';
import { createRepositories } from '../store/repositories';
import { syncDirectory } from './directory-sync';
import { formatDirectorySync } from './format-directory-sync';
import { loadRoleMapping } from './role-mapping';

/** How the subcommand is called. */
export const SYNC_USAGE = 'sync wecom|dingtalk [--dry-run] [--roles FILE] [--csv FILE]';

type Config = ReturnType<typeof loadConfig>;

// Typed by Platform, so a platform added to the list must say how its directory is read.
const SOURCES: Record<Platform, (config: Config, state: StateStore) => DirectorySource | string> = {
  wecom: (config, state) =>
    config.wecom
      ? new WecomDirectory(new WecomClient({ settings: config.wecom, state, logger: quiet() }))
      : 'WeCom is not configured (set WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET…)',
  dingtalk: (config, state) =>
    config.dingtalk
      ? new DingtalkDirectory(
          new DingtalkClient({ settings: config.dingtalk, state, logger: quiet() }),
        )
      : 'DingTalk is not configured (set DINGTALK_APP_KEY, DINGTALK_APP_SECRET…)',
};

/** Runs `sync` with its arguments; answers the exit code (1 when refused or a problem was found). */
export async function runDirectorySync(args: string[], usage: string): Promise<number> {
  const [platform, ...flags] = args;
  const option = (name: string) => {
    const i = flags.indexOf(name);
    return i >= 0 ? flags[i + 1] : undefined;
  };
  if (!platform || !(platform in SOURCES)) return fail(usage);
  const dryRun = flags.includes('--dry-run');
  const mapping = loadRoleMapping(option('--roles'));
  const config = loadConfig();
  // The token cache is shared with a running bot through Redis, when there is one.
  const state: StateStore = config.redisUrl
    ? RedisStateStore.connect(config.redisUrl)
    : new MemoryStateStore();
  const source = SOURCES[platform as Platform](config, state);
  if (typeof source === 'string') {
    await state.close();
    return fail(source);
  }
  const database = await openDatabase(config, quiet(), { shareRunning: true });
  try {
    const people = createRepositories(database.models).people;
    const result = await syncDirectory({ source, people, mapping, dryRun, now: new Date() });
    const csv = option('--csv');
    if (csv) writeFileSync(csv, result.roster.csv);
    console.log(formatDirectorySync(result, dryRun));
    return result.roster.problems.length > 0 ? 1 : 0;
  } finally {
    await database.close();
    await state.close();
  }
}

function quiet() {
  return createLogger({ level: 'warn' });
}

function fail(message: string): number {
  console.error(message);
  return 1;
}
