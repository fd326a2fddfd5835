import { z } from 'zod';
import { PLATFORMS } from '../channels';
import { DEFAULT_DEPARTMENT, ROLES, type Person } from '../store/models/person';

/** One person as the roster file describes them. */
export type RosterEntry = Pick<
  Person,
  'userid' | 'name' | 'employeeNo' | 'roles' | 'supervisorUserid' | 'platform'
> &
  Required<Pick<Person, 'department' | 'project'>>;

/** The fields a roster sets on a person, compared to tell whether a row changed anything. */
export const ROSTER_FIELDS = [
  'name',
  'employeeNo',
  'roles',
  'supervisorUserid',
  'platform',
  'department',
  'project',
] as const satisfies readonly (keyof RosterEntry)[];

export const ROSTER_COLUMNS = [
  'userid',
  'name',
  'employee_no',
  'roles',
  'supervisor_userid',
  'platform',
] as const;

/** Columns a roster may leave out: `department` (default 客服部) and `project`. */
export const OPTIONAL_ROSTER_COLUMNS = ['department', 'project'] as const;

const text = (label: string) => z.string().trim().min(1, `${label} is empty`);

/** The rules of one row of the roster CSV (INTERFACE.md). */
export const rosterRowSchema = z
  .object({
    userid: text('userid'),
    name: text('name'),
    employee_no: text('employee_no'),
    roles: z
      .string()
      .trim()
      .min(1, 'roles is empty')
      .transform((v) => v.split('|').map((r) => r.trim()))
      .pipe(
        z.array(
          z.enum(ROLES, {
            error: (issue) => `unknown role "${String(issue.input)}" (use ${ROLES.join(', ')})`,
          }),
        ),
      ),
    supervisor_userid: z
      .string()
      .trim()
      .transform((v) => (v === '' ? null : v)),
    platform: z
      .string()
      .trim()
      .pipe(
        z.enum(PLATFORMS, {
          error: (issue) => `bad platform "${String(issue.input)}" (use wecom or dingtalk)`,
        }),
      ),
    department: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || DEFAULT_DEPARTMENT),
    project: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || null),
  })
  .transform((row): RosterEntry => ({
    userid: row.userid,
    name: row.name,
    employeeNo: row.employee_no,
    roles: [...new Set(row.roles)],
    supervisorUserid: row.supervisor_userid,
    platform: row.platform,
    department: row.department,
    project: row.project,
  }));
