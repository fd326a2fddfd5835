/**
 * `roster sync <platform>`: reads a company directory, works out what would
 * change on the roster, and (unless it is a dry run) applies it. All or
 * nothing: every person is checked first, and while any problem is an error
 * nothing is written. People who left are deactivated, never deleted; a run
 * that finds nothing new writes nothing (and audits nothing).
 */
import type { DirectorySnapshot, DirectorySource } from '../channels/directory';
import type { Platform } from '../channels/types';
import type { PeopleRepository, RosterSyncReport } from '../store/repositories/people';
import { directoryRoster, type DirectoryRoster } from './directory-roster';
import type { RoleMapping } from './role-mapping';
import { diffRoster, type RosterDiff } from './roster-diff';

/** What a directory sync needs. */
export interface DirectorySyncOptions {
  source: DirectorySource;
  people: PeopleRepository;
  mapping: RoleMapping;
  /** Work everything out and print it, write nothing. */
  dryRun: boolean;
  now: Date;
  /** Who the audit log names (default `roster-sync:<platform>`). */
  actor?: string;
}

/** What a directory sync found and did. */
export interface DirectorySyncResult {
  platform: Platform;
  snapshot: DirectorySnapshot;
  roster: DirectoryRoster;
  diff: RosterDiff;
  /** What was written; null for a dry run or when a problem stopped it. */
  applied: RosterSyncReport | null;
}

/** Reads the directory, compares it with the roster and, when allowed and clean, applies it. */
export async function syncDirectory(options: DirectorySyncOptions): Promise<DirectorySyncResult> {
  const { source, people, mapping } = options;
  const platform = source.platform;
  // Read everything before deciding anything: a half-read directory must never reach the roster.
  const snapshot = await source.read(Object.keys(mapping.labels));
  const existing = await people.all();
  const roster = directoryRoster(snapshot, mapping, existing);
  const diff = diffRoster(existing, roster.entries, platform);
  let applied: RosterSyncReport | null = null;
  if (!options.dryRun && roster.problems.length === 0) {
    const actor = options.actor ?? `roster-sync:${platform}`;
    applied = await people.sync(roster.entries, actor, options.now, { platform });
  }
  return { platform, snapshot, roster, diff, applied };
}
