/**
 * How a directory becomes a roster: which tag (WeCom) or role (DingTalk)
 * names give which roles, where the project comes from, and per-person
 * overrides for what a directory cannot say. Read from
 * config/roster-roles.json unless another file is named.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { userError } from '../lib/errors';
import { ROLES } from '../store/models/person';

const roles = z.array(z.enum(ROLES)).min(1);

const mappingSchema = z.object({
  /** Tag or role name → the roles it gives; a member with none of them is staff. */
  labels: z.record(z.string().min(1), roles).default({}),
  /** `parent`: the project is the name of the department's parent (none right under the company); `none`: no project. */
  project: z.enum(['parent', 'none']).default('parent'),
  /** Per userid, what the directory cannot say or says wrong. */
  people: z
    .record(
      z.string().min(1),
      z
        .object({
          roles: roles.optional(),
          department: z.string().min(1).optional(),
          project: z.string().min(1).nullable().optional(),
          supervisor: z.string().min(1).nullable().optional(),
          employeeNo: z.string().min(1).optional(),
        })
        .strict(),
    )
    .default({}),
});

/** The checked mapping file. */
export type RoleMapping = z.infer<typeof mappingSchema>;

/** One person's overrides in the mapping file. */
export type PersonOverride = RoleMapping['people'][string];

/** The mapping file shipped with the bot. */
export const DEFAULT_ROLE_MAPPING_FILE = path.join(__dirname, '../../config/roster-roles.json');

/** Reads and checks a mapping file; a bad one stops the sync before anything is read from a directory. */
export function loadRoleMapping(file = DEFAULT_ROLE_MAPPING_FILE): RoleMapping {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw userError(
      'invalid_input',
      `cannot read the role mapping ${file}: ${(err as Error).message}`,
    );
  }
  return parseRoleMapping(raw, file);
}

/** Checks a mapping already parsed from JSON; `file` names it in problems. */
export function parseRoleMapping(raw: unknown, file = 'the role mapping'): RoleMapping {
  const result = mappingSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`,
  );
  throw userError('invalid_input', `${file} is not a valid role mapping:\n${problems.join('\n')}`);
}
