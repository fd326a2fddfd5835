import { parse } from 'csv-parse/sync';
import { ROSTER_COLUMNS, rosterRowSchema, type RosterEntry } from './roster-row';

/** A problem found in a roster file, with the line it is on (the header is line 1). */
export interface RosterProblem {
  line: number;
  message: string;
}

export type RosterParse =
  { ok: true; entries: RosterEntry[] } | { ok: false; problems: RosterProblem[] };

/**
 * Reads and checks a whole roster file. Every problem is reported with its line
 * number; the file is taken only when it has none (all or nothing).
 */
export function parseRoster(csv: string): RosterParse {
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(csv.replace(/^\uFEFF/, ''), {
      columns: (header: string[]) => header.map((h) => h.trim()),
      skip_empty_lines: true,
      info: true,
      relax_column_count: false,
    });
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    return { ok: false, problems: [{ line, message: `not valid CSV: ${(err as Error).message}` }] };
  }
  const header = parse(csv.replace(/^\uFEFF/, ''), { to_line: 1 })[0] as string[] | undefined;
  const missing = ROSTER_COLUMNS.filter((c) => !header?.map((h) => h.trim()).includes(c));
  if (missing.length > 0) {
    return {
      ok: false,
      problems: [{ line: 1, message: `header is missing ${missing.join(', ')}` }],
    };
  }

  const problems: RosterProblem[] = [];
  const entries: { entry: RosterEntry; line: number }[] = [];
  for (const { record, info } of rows) {
    const result = rosterRowSchema.safeParse(record);
    if (result.success) entries.push({ entry: result.data, line: info.lines });
    else
      problems.push(...result.error.issues.map((i) => ({ line: info.lines, message: i.message })));
  }
  problems.push(...duplicates(rows), ...supervisorCheck(entries));
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  return { ok: true, entries: entries.map((e) => e.entry) };
}

/** Duplicate userid or 工号 among all rows, valid or not, reported on the later line. */
function duplicates(
  rows: { record: Record<string, string>; info: { lines: number } }[],
): RosterProblem[] {
  const problems: RosterProblem[] = [];
  const seen = { userid: new Map<string, number>(), employee_no: new Map<string, number>() };
  for (const { record, info } of rows) {
    for (const column of ['userid', 'employee_no'] as const) {
      const value = record[column]?.trim();
      if (!value) continue;
      const first = seen[column].get(value);
      if (first === undefined) seen[column].set(value, info.lines);
      else
        problems.push({
          line: info.lines,
          message: `duplicate ${column} "${value}" (also on line ${first})`,
        });
    }
  }
  return problems;
}

/** Every supervisor named exists in the file and may score people; staff always have one. */
function supervisorCheck(entries: { entry: RosterEntry; line: number }[]): RosterProblem[] {
  const problems: RosterProblem[] = [];
  const byUserid = new Map(entries.map(({ entry }) => [entry.userid, entry]));
  for (const { entry, line } of entries) {
    const sup = entry.supervisorUserid;
    if (sup === null) {
      if (entry.roles.includes('staff'))
        problems.push({ line, message: 'staff member has no supervisor_userid' });
      continue;
    }
    const supervisor = byUserid.get(sup);
    if (sup === entry.userid)
      problems.push({ line, message: 'a person cannot be their own supervisor' });
    else if (!supervisor)
      problems.push({ line, message: `supervisor "${sup}" is not in the roster` });
    else if (!supervisor.roles.includes('supervisor') && !supervisor.roles.includes('manager')) {
      problems.push({
        line,
        message: `"${sup}" is named as supervisor but has neither the supervisor nor the manager role`,
      });
    }
  }
  return problems;
}
