import type { Person, Role } from '../store/models/person';

/**
 * How a role is named to users. Department-neutral (员工, not 客服人员): with
 * several departments a 秩序部 guard reads the same refusals as customer service.
 */
export const ROLE_NAMES: Record<Role, string> = {
  staff: '员工',
  leader: '领班',
  supervisor: '主管',
  manager: '管理处经理',
  hr: '人力资源',
};

/** Whether the person holds any of the roles. */
export function hasRole(person: Pick<Person, 'roles'>, roles: readonly Role[]): boolean {
  return roles.some((r) => person.roles.includes(r));
}
