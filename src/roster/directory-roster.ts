/**
 * Turns a directory snapshot into roster rows, the same for every platform:
 * department, project, roles and supervisor are decided here, then the rows
 * are written out as a roster CSV and checked by the CSV import's own rules,
 * so a directory's problems carry the same line numbers (line N = the Nth
 * line of that generated roster, header on line 1).
 */
import { stringify } from 'csv-stringify/sync';
import type { DirectoryMember, DirectorySnapshot } from '../channels/directory';
import type { Person, Role } from '../store/models/person';
import { parseRoster, type RosterProblem } from './parse-roster';
import type { RoleMapping } from './role-mapping';
import { OPTIONAL_ROSTER_COLUMNS, ROSTER_COLUMNS, type RosterEntry } from './roster-row';

/** The roster a directory gives, with what was decided on the way. */
export interface DirectoryRoster {
  /** The generated roster CSV (what the line numbers refer to). */
  csv: string;
  /** The rows, in line order (written only when there are no problems). */
  entries: RosterEntry[];
  /** Userid on each line, to name the person next to a line number. */
  useridByLine: Map<number, string>;
  /** Errors: while there is one, nothing is written. */
  problems: RosterProblem[];
  /** Choices made for the admin to know about (two departments, two leaders…); they block nothing. */
  notes: RosterProblem[];
}

type Row = Omit<RosterEntry, 'platform'> & { line: number };

/** Maps every member of `snapshot` to a roster row and checks the result whole. */
export function directoryRoster(
  snapshot: DirectorySnapshot,
  mapping: RoleMapping,
  existing: Person[],
): DirectoryRoster {
  const departments = new Map(snapshot.departments.map((d) => [d.id, d]));
  const visible = new Set(snapshot.members.map((m) => m.userid));
  // Only this platform's people lend their 工号: the same userid elsewhere is someone else.
  const known = new Map(
    existing.filter((p) => p.platform === snapshot.platform).map((p) => [p.userid, p]),
  );
  const order = new Map(snapshot.departments.map((d, i) => [d.id, i]));
  const problems: RosterProblem[] = [];
  const notes: RosterProblem[] = [];
  const members = [...snapshot.members].sort(
    (a, b) =>
      rank(order, chosenDepartment(a)) - rank(order, chosenDepartment(b)) ||
      a.userid.localeCompare(b.userid),
  );

  const rows: Row[] = members.map((member, i) => {
    const line = i + 2;
    const override = mapping.people[member.userid] ?? {};
    const say = (list: RosterProblem[], message: string) =>
      list.push({ line, message: `${member.userid} ${member.name}: ${message}` });

    const departmentId = chosenDepartment(member);
    const department = departmentId ? departments.get(departmentId) : undefined;
    if (member.departmentIds.length > 1 && !override.department) {
      const names = member.departmentIds.map((id) => departments.get(id)?.name ?? id).join(', ');
      const why =
        member.mainDepartmentId === departmentId
          ? 'their main department'
          : 'the first one listed (the directory names no main department)';
      say(
        notes,
        `in ${member.departmentIds.length} departments (${names}): took ${department?.name}, ${why}; people.${member.userid}.department in the mapping file chooses another`,
      );
    }
    const parent = department?.parentId ? departments.get(department.parentId) : undefined;
    const project =
      override.project !== undefined
        ? override.project
        : mapping.project === 'parent' && parent && parent.id !== snapshot.companyRootId
          ? parent.name
          : null;

    const roles = override.roles ?? rolesFor(member, mapping);
    let supervisorUserid: string | null = null;
    if (override.supervisor !== undefined) supervisorUserid = override.supervisor;
    else if (!roles.includes('manager')) {
      const leaders = member.leaderUserids;
      supervisorUserid = leaders[0] ?? null;
      if (leaders.length > 1)
        say(
          notes,
          `has ${leaders.length} leaders (${leaders.join(', ')}): took ${leaders[0]}, the first listed`,
        );
      if (supervisorUserid && !visible.has(supervisorUserid))
        say(
          problems,
          `their leader ${supervisorUserid} is outside the app's visible range: add them to it, or set people.${member.userid}.supervisor in the mapping file`,
        );
      else if (!supervisorUserid && roles.includes('staff') && snapshot.hidesLeadersOutsideRange)
        say(
          problems,
          `no leader inside the app's visible range (the directory hides leaders outside it): add their leader to the visible range, or set people.${member.userid}.supervisor in the mapping file`,
        );
    }

    return {
      line,
      userid: member.userid,
      name: member.name,
      // A directory without 工号 keeps the one on the roster; a newcomer gets their userid.
      employeeNo:
        override.employeeNo ??
        member.employeeNo ??
        known.get(member.userid)?.employeeNo ??
        member.userid,
      roles,
      supervisorUserid,
      department: override.department ?? department?.name ?? '',
      project,
    };
  });

  const csv = stringify(
    rows.map((r) => [
      r.userid,
      r.name,
      r.employeeNo,
      r.roles.join('|'),
      r.supervisorUserid ?? '',
      snapshot.platform,
      r.department,
      r.project ?? '',
    ]),
    { header: true, columns: [...ROSTER_COLUMNS, ...OPTIONAL_ROSTER_COLUMNS] },
  );
  const parsed = parseRoster(csv);
  // A line the directory already explained needs no second, vaguer supervisor message.
  const explained = new Set(problems.map((p) => p.line));
  if (!parsed.ok)
    problems.push(
      ...parsed.problems.filter((p) => !(explained.has(p.line) && /supervisor/.test(p.message))),
    );
  problems.push(...otherPlatform(rows, existing, snapshot.platform));
  if (rows.length === 0)
    problems.push({ line: 2, message: 'the directory lists no one the app can see' });
  return {
    csv,
    entries: rows.map(({ line: _line, ...row }) => ({ ...row, platform: snapshot.platform })),
    useridByLine: new Map(rows.map((r) => [r.line, r.userid])),
    problems: problems.sort((a, b) => a.line - b.line),
    notes,
  };
}

/** The main department when the platform names one, else the first listed. */
function chosenDepartment(member: DirectoryMember): string | undefined {
  const { mainDepartmentId, departmentIds } = member;
  return mainDepartmentId && departmentIds.includes(mainDepartmentId)
    ? mainDepartmentId
    : departmentIds[0];
}

function rank(order: Map<string, number>, id: string | undefined): number {
  return (id === undefined ? undefined : order.get(id)) ?? order.size;
}

function rolesFor(member: DirectoryMember, mapping: RoleMapping): Role[] {
  const roles = new Set(member.labels.flatMap((label) => mapping.labels[label] ?? []));
  return roles.size > 0 ? [...roles] : ['staff'];
}

/** A userid or 工号 another platform's person already holds: both are unique across the roster. */
function otherPlatform(rows: Row[], existing: Person[], platform: string): RosterProblem[] {
  const problems: RosterProblem[] = [];
  const others = existing.filter((p) => p.platform !== platform);
  const userids = new Map(others.map((p) => [p.userid, p]));
  const numbers = new Map(others.map((p) => [p.employeeNo, p]));
  for (const row of rows) {
    const sameId = userids.get(row.userid);
    if (sameId)
      problems.push({
        line: row.line,
        message: `userid "${row.userid}" is already on the roster for ${sameId.platform} (${sameId.name})`,
      });
    const sameNo = numbers.get(row.employeeNo);
    if (sameNo && sameNo.userid !== row.userid)
      problems.push({
        line: row.line,
        message: `工号 "${row.employeeNo}" already belongs to ${sameNo.userid} ${sameNo.name} on ${sameNo.platform}`,
      });
  }
  return problems;
}
