import type { DepartmentForm } from '../../../config';
import type { FormDefinition } from '../../assessment/form';
import { userError } from '../../lib/errors';

/**
 * The form a department's month opens with. A department the configuration
 * has no form for (a manager of 保洁部 before its file exists) is told so,
 * and nothing opens.
 */
export function formOf(departments: DepartmentForm[], department: string): FormDefinition {
  const found = departments.find((d) => d.department === department);
  if (!found)
    throw userError(
      'not_found',
      `${department}还没有考核表，请联系管理员添加。现有：${departmentNames(departments)}。`,
    );
  return found.form;
}

/** Working hours, as a form file sets them. */
export type WorkingHours = DepartmentForm['form']['workingHours'];

/**
 * The working hours of `department`'s form, which its scheduled messages wait
 * for; a department with no form file keeps the default department's.
 */
export function workingHoursOf(departments: DepartmentForm[], department: string): WorkingHours {
  const found = departments.find((d) => d.department === department) ?? departments[0]!;
  return found.form.workingHours;
}

/**
 * How a department's scheduled jobs are named after their kind: the default
 * department's (the first) keep the plain name (`open`), another's carry its
 * own (`open:秩序部`), so each has its own lock.
 */
export function departmentJobName(kind: string, index: number, department: string): string {
  return index === 0 ? kind : `${kind}:${department}`;
}

/** The departments with a form, as users read them: 客服部、秩序部. */
export function departmentNames(departments: DepartmentForm[]): string {
  return departments.map((d) => d.department).join('、');
}
