/**
 * The `sync` subcommand of `npm run roster`: reads WeCom's or DingTalk's
 * directory with the configured app's credentials and syncs the roster from
 * it, or only prints what would change (`--dry-run`). `--roles FILE` names
 * another mapping file; `--csv FILE` saves the generated roster, the file the
 * printed line numbers refer to.
 */
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../config';
import { CHANNELS, type Platform } from '../channels';
import type { ChannelDefinition } from '../channels/channel';
import type { DirectorySource } from '../channels/directory';
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
export const SYNC_USAGE = `sync ${Object.keys(CHANNELS).join('|')} [--dry-run] [--roles FILE] [--csv FILE]`;

type Config = ReturnType<typeof loadConfig>;

/** The directory of a platform's configured app, or why it cannot be read. */
function directorySource(
  platform: Platform,
  config: Config,
  state: StateStore,
): DirectorySource | string {
  // Keyed alike in the list and the configuration, so these settings are this channel's own.
  const definition: ChannelDefinition<Platform, unknown> = CHANNELS[platform];
  if (!definition.directory) return `${definition.name} has no company directory to read`;
  const settings = config[platform];
  if (!settings) {
    return `${definition.name} is not configured (set ${definition.config.required.join(', ')})`;
  }
  return definition.directory(settings, state, quiet());
}

/** Runs `sync` with its arguments; answers the exit code (1 when refused or a problem was found). */
export async function runDirectorySync(args: string[], usage: string): Promise<number> {
  const [platform, ...flags] = args;
  const option = (name: string) => {
    const i = flags.indexOf(name);
    return i >= 0 ? flags[i + 1] : undefined;
  };
  if (!platform || !(platform in CHANNELS)) return fail(usage);
  const dryRun = flags.includes('--dry-run');
  const mapping = loadRoleMapping(option('--roles'));
  const config = loadConfig();
  // The token cache is shared with a running bot through Redis, when there is one.
  const state: StateStore = config.redisUrl
    ? RedisStateStore.connect(config.redisUrl)
    : new MemoryStateStore();
  const source = directorySource(platform as Platform, config, state);
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
