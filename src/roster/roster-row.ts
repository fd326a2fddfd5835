import { z } from 'zod';
import { PLATFORMS } from '../channels';
import { ROLES, type Person } from '../store/models/person';

/** One person as the roster file describes them. */
export type RosterEntry = Pick<
  Person,
  'userid' | 'name' | 'employeeNo' | 'roles' | 'supervisorUserid' | 'platform'
>;

export const ROSTER_COLUMNS = [
  'userid',
  'name',
  'employee_no',
  'roles',
  'supervisor_userid',
  'platform',
] as const;

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
  })
  .transform((row): RosterEntry => ({
    userid: row.userid,
    name: row.name,
    employeeNo: row.employee_no,
    roles: [...new Set(row.roles)],
    supervisorUserid: row.supervisor_userid,
    platform: row.platform,
  }));
