import { userError } from '../lib/errors';
import type { PeopleRepository, RosterSyncReport } from '../store/repositories/people';
import { parseRoster, type RosterProblem } from './parse-roster';

export type RosterImport =
  { ok: true; report: RosterSyncReport } | { ok: false; problems: RosterProblem[] };

/** Checks a roster file whole and, only when every row is right, syncs it into the roster. */
export async function importRoster(
  csv: string,
  people: PeopleRepository,
  actor: string,
  now: Date,
): Promise<RosterImport> {
  const parsed = parseRoster(csv);
  if (!parsed.ok) return parsed;
  if (parsed.entries.length === 0) {
    // An empty file would deactivate everyone; that is never what was meant.
    return { ok: false, problems: [{ line: 2, message: 'the roster has no people' }] };
  }
  return { ok: true, report: await people.sync(parsed.entries, actor, now) };
}

/** One line per problem, as the command line and the start-up log show them. */
export function formatProblems(problems: RosterProblem[]): string {
  return problems.map((p) => `line ${p.line}: ${p.message}`).join('\n');
}

/** A short summary of what a sync changed. */
export function formatReport(report: RosterSyncReport): string {
  const list = (ids: string[]) => (ids.length ? ` (${ids.join(', ')})` : '');
  return [
    `added ${report.added.length}${list(report.added)}`,
    `updated ${report.updated.length}${list(report.updated)}`,
    `deactivated ${report.deactivated.length}${list(report.deactivated)}`,
    `unchanged ${report.unchanged.length}`,
  ].join(', ');
}

/** Throws when an import was refused, naming every problem. */
export function assertImported(result: RosterImport, file: string): RosterSyncReport {
  if (!result.ok)
    throw userError(
      'invalid_input',
      `Roster ${file} was not imported:\n${formatProblems(result.problems)}`,
    );
  return result.report;
}
