import { departmentOf } from '../../assessment/department';
import { clipInput, quoteInput } from '../../lib/quote-input';
import { userError } from '../../lib/errors';
import type { Person } from '../../store/models/person';

/** What a /report asks for: every department (HR), one department, or one person's form by 工号. */
export type ReportTarget =
  | { kind: 'all' }
  | { kind: 'department'; department: string }
  | { kind: 'person'; employeeNo: string };

/**
 * Reads /report's word after the month for `caller`. HR sees every
 * department: nothing after the month means all of them (when there are
 * several). A manager sees their own department only: nothing means it, and
 * another department is refused. A word ending in 部 that names no
 * department is answered with the departments there are.
 */
export function reportTarget(
  caller: Person,
  word: string | undefined,
  departments: string[],
): ReportTarget {
  const own = departmentOf(caller);
  const hr = isHr(caller);
  if (!word) {
    if (!hr) return { kind: 'department', department: own };
    return departments.length > 1
      ? { kind: 'all' }
      : { kind: 'department', department: departments[0] ?? own };
  }
  if (departments.includes(word) || word === own) {
    if (hr || word === own) return { kind: 'department', department: word };
    throw userError('forbidden', `你只能查看本部门（${own}）的报表。`);
  }
  if (word.endsWith('部'))
    throw userError(
      'not_found',
      `没有${quoteInput(word)}这个部门。现有部门：${departments.join('、')}。`,
    );
  return { kind: 'person', employeeNo: word };
}

/** Refuses a manager's look at a person of another department (HR may look at anyone). */
export function assertMayRead(caller: Person, person: Person, employeeNo: string): void {
  if (isHr(caller) || departmentOf(person) === departmentOf(caller)) return;
  throw userError(
    'forbidden',
    `工号 ${clipInput(employeeNo)} 不是本部门（${departmentOf(caller)}）的人员，不能查看。`,
  );
}

/** HR reads every department; a person who is both HR and a manager reads as HR. */
function isHr(person: Person): boolean {
  return person.roles.includes('hr');
}
