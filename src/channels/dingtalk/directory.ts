/**
 * DingTalk's directory as the internal app sees it (its 通讯录权限范围), on
 * the old API (oapi): topapi/v2/department/get and department/listsub for
 * the tree (listsub answers one level, so it is walked), topapi/v2/user/list
 * per department (cursor paging, at most 100 a page), then topapi/v2/user/get
 * per person for what the list lacks: manager_userid and role_list. Never
 * mobile or email.
 */
import type {
  DirectoryDepartment,
  DirectoryMember,
  DirectorySnapshot,
  DirectorySource,
} from '../directory';
import type { DingtalkClient } from './client';

type Department = { dept_id: number; name?: string; parent_id?: number };
type UserPage = {
  has_more?: boolean;
  next_cursor?: number;
  list?: { userid?: string; name?: string; dept_id_list?: number[]; job_number?: string }[];
};
type UserDetail = { manager_userid?: string; role_list?: { name?: string }[] };

const ROOT = 1;
const PAGE_SIZE = 100;

/** DingTalk's directory for one internal app, read with the app's own token. */
export class DingtalkDirectory implements DirectorySource {
  readonly platform = 'dingtalk' as const;

  constructor(private readonly client: DingtalkClient) {}

  /** Reads departments, members, their managers and their roles among `labels`. */
  async read(labels: readonly string[]): Promise<DirectorySnapshot> {
    const root = (await this.client.oapiPost('/topapi/v2/department/get', { dept_id: ROOT })) as
      Department | undefined;
    const departments: DirectoryDepartment[] = [
      { id: String(ROOT), name: root?.name ?? String(ROOT), parentId: null },
    ];
    for (let i = 0; i < departments.length; i++) {
      const parent = departments[i]!;
      const children = await this.client.oapiPost('/topapi/v2/department/listsub', {
        dept_id: Number(parent.id),
      });
      for (const child of Array.isArray(children) ? (children as Department[]) : [])
        departments.push({
          id: String(child.dept_id),
          name: child.name ?? String(child.dept_id),
          parentId: parent.id,
        });
    }
    const visible = new Set(departments.map((d) => d.id));

    const members = new Map<string, DirectoryMember>();
    for (const department of departments) {
      for (let cursor = 0, more = true; more;) {
        const page = ((await this.client.oapiPost('/topapi/v2/user/list', {
          dept_id: Number(department.id),
          cursor,
          size: PAGE_SIZE,
        })) ?? {}) as UserPage;
        for (const user of page.list ?? []) {
          if (!user.userid || members.has(user.userid)) continue;
          members.set(user.userid, {
            userid: user.userid,
            name: user.name ?? user.userid,
            employeeNo: user.job_number || null,
            departmentIds: (user.dept_id_list ?? []).map(String).filter((id) => visible.has(id)),
            // DingTalk names no main department.
            mainDepartmentId: null,
            leaderUserids: [],
            labels: [],
          });
        }
        more = page.has_more === true && typeof page.next_cursor === 'number';
        cursor = page.next_cursor ?? 0;
      }
    }

    for (const member of members.values()) {
      const detail = ((await this.client.oapiPost('/topapi/v2/user/get', {
        userid: member.userid,
      })) ?? {}) as UserDetail;
      if (detail.manager_userid) member.leaderUserids = [detail.manager_userid];
      member.labels = (detail.role_list ?? [])
        .map((r) => r.name ?? '')
        .filter((name) => labels.includes(name));
    }
    return {
      platform: 'dingtalk',
      departments,
      companyRootId: '1',
      members: [...members.values()],
      // manager_userid names the manager even when the app cannot see them.
      hidesLeadersOutsideRange: false,
      skipped: [],
    };
  }
}
