/** The department of a person no roster placed: rosters written before departments existed were all customer service. */
export const DEFAULT_DEPARTMENT = '客服部';

/** A person's department; people (and months) stored before departments existed are 客服部. */
export function departmentOf(holder: { department?: string | null }): string {
  return holder.department || DEFAULT_DEPARTMENT;
}

/**
 * A query value matching `department` on stored documents: for the default,
 * documents written before the field existed (missing, null) match too.
 */
export function departmentFilter(department: string): string | { $in: (string | null)[] } {
  return department === DEFAULT_DEPARTMENT ? { $in: [department, null] } : department;
}

/** Whether `actor` is the manager of `person`'s department (a manager's rights end at their department). */
export function managesDepartmentOf(
  actor: { roles: readonly string[]; department?: string | null },
  person: { department?: string | null },
): boolean {
  return actor.roles.includes('manager') && departmentOf(actor) === departmentOf(person);
}
