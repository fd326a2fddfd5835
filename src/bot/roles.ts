import type { Person, Role } from '../store/models/person';

/** How a role is named to users. */
export const ROLE_NAMES: Record<Role, string> = {
  staff: '客服人员',
  leader: '客服领班',
  supervisor: '客服主管',
  manager: '管理处经理',
  hr: '人力资源',
};

/** Whether the person holds any of the roles. */
export function hasRole(person: Pick<Person, 'roles'>, roles: readonly Role[]): boolean {
  return roles.some((r) => person.roles.includes(r));
}
