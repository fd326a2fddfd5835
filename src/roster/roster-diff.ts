/**
 * What a roster sync would change, worked out before anything is written:
 * the dry run prints it, and the same comparison decides what the sync writes.
 */
import type { Platform } from '../channels/types';
import type { Person } from '../store/models/person';
import { ROSTER_FIELDS, type RosterEntry } from './roster-row';

/** One field that differs between the roster and the source. */
export interface FieldChange {
  field: (typeof ROSTER_FIELDS)[number] | 'active';
  before: unknown;
  after: unknown;
}

/** The difference between the roster and a source, by person. */
export interface RosterDiff {
  added: RosterEntry[];
  changed: { entry: RosterEntry; changes: FieldChange[] }[];
  /** Active people of the source's platform the source no longer lists: they would be deactivated. */
  leaving: Person[];
  unchanged: RosterEntry[];
}

/** The roster fields in which `entry` differs from `before`, plus `active` when they come back. */
export function changedFields(before: Person, entry: RosterEntry): FieldChange[] {
  const changes: FieldChange[] = ROSTER_FIELDS.filter(
    (f) => JSON.stringify(before[f]) !== JSON.stringify(entry[f]),
  ).map((field) => ({ field, before: before[field], after: entry[field] }));
  if (!before.active) changes.push({ field: 'active', before: false, after: true });
  return changes;
}

/**
 * Compares `entries` with the roster. With a platform, only that platform's
 * people can be leaving: a WeCom directory says nothing about DingTalk people.
 */
export function diffRoster(
  existing: Person[],
  entries: RosterEntry[],
  platform?: Platform,
): RosterDiff {
  const byUserid = new Map(existing.map((p) => [p.userid, p]));
  const diff: RosterDiff = { added: [], changed: [], leaving: [], unchanged: [] };
  for (const entry of entries) {
    const before = byUserid.get(entry.userid);
    if (!before) {
      diff.added.push(entry);
      continue;
    }
    const changes = changedFields(before, entry);
    if (changes.length === 0) diff.unchanged.push(entry);
    else diff.changed.push({ entry, changes });
  }
  const listed = new Set(entries.map((e) => e.userid));
  diff.leaving = existing.filter(
    (p) => p.active && !listed.has(p.userid) && (!platform || p.platform === platform),
  );
  return diff;
}
