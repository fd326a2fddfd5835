/** What `roster sync` prints: the difference, the notes and the problems, each with its line. */
import type { RosterEntry } from './roster-row';
import type { DirectorySyncResult } from './directory-sync';
import type { FieldChange } from './roster-diff';
import { formatReport } from './import-roster';

/** The whole printout of one sync or dry run, in the CLI's English. */
export function formatDirectorySync(result: DirectorySyncResult, dryRun: boolean): string {
  const { snapshot, roster, diff, applied } = result;
  const lineOf = new Map([...roster.useridByLine].map(([line, userid]) => [userid, line]));
  const at = (userid: string) => `line ${lineOf.get(userid)}: ${userid}`;
  const out: string[] = [
    `${result.platform} directory: ${snapshot.members.length} people in ${snapshot.departments.length} departments the app can see${dryRun ? ' (dry run: nothing was changed)' : ''}`,
  ];
  const section = (title: string, lines: string[]) => {
    if (lines.length > 0) out.push(`${title} ${lines.length}:`, ...lines.map((l) => `  ${l}`));
  };
  section(
    'new',
    diff.added.map((e) => `+ ${at(e.userid)} ${e.name}, ${describe(e)}`),
  );
  section(
    'changed',
    diff.changed.map(
      ({ entry, changes }) =>
        `~ ${at(entry.userid)} ${entry.name}: ${changes.map(change).join('; ')}`,
    ),
  );
  section(
    'leaving (deactivated, never deleted)',
    diff.leaving.map((p) => `- ${p.userid} ${p.name} (${p.employeeNo})`),
  );
  out.push(`unchanged ${diff.unchanged.length}`);
  section(
    'skipped',
    snapshot.skipped.map((s) => `${s.userid} ${s.name}: ${s.reason}`),
  );
  section(
    'notes',
    roster.notes.map((n) => `line ${n.line}: ${n.message}`),
  );
  if (roster.problems.length > 0) {
    section(
      'problems (nothing is written while there is one)',
      roster.problems.map((p) => `line ${p.line}: ${p.message}`),
    );
    out.push(dryRun ? 'a real sync would be refused' : 'not synced: nothing was changed');
  } else if (applied) {
    out.push(`synced: ${formatReport(applied)}`);
  }
  return out.join('\n');
}

function describe(e: RosterEntry): string {
  const place = e.project ? `${e.project}/${e.department}` : e.department;
  const supervisor = e.supervisorUserid ? `, supervisor ${e.supervisorUserid}` : '';
  return `工号 ${e.employeeNo}, ${place}, roles ${e.roles.join('|')}${supervisor}`;
}

function change({ field, before, after }: FieldChange): string {
  return `${field} ${show(before)} → ${show(after)}`;
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  return Array.isArray(value) ? value.join('|') : String(value);
}
