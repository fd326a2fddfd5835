/**
 * WeCom's directory as the self-built app sees it (only its visible range):
 * GET department/simplelist for the tree, department/get for each name,
 * user/list per department, tag/list and tag/get for role tags. Self-built
 * apps no longer read mobile or email (since 2022-06-20), and nothing here
 * asks for them.
 */
import type {
  DirectoryDepartment,
  DirectoryMember,
  DirectorySnapshot,
  DirectorySource,
} from '../directory';
import { WecomApiError, type WecomClient, type WecomReply } from './client';

type UserRow = {
  userid?: string;
  name?: string;
  department?: number[];
  main_department?: number;
  direct_leader?: string[];
  status?: number;
};

// user/list status: 1 active, 2 disabled, 4 not yet activated, 5 left the company.
const GONE: Record<number, string> = {
  2: 'disabled in WeCom (status 2)',
  5: 'left the company (status 5)',
};

// What an admin can do about the refusals a directory read meets most.
const HINTS: Record<number, string> = {
  60020: "the server's outgoing IP is not among the app's trusted IPs (企业可信IP)",
  48002: 'the app may not call this API: check it is a self-built app with its own secret',
  60011: "a department or member is outside the app's visible range (可见范围)",
};

/** WeCom's directory for one self-built app, read with the app's own token. */
export class WecomDirectory implements DirectorySource {
  readonly platform = 'wecom' as const;

  constructor(private readonly client: WecomClient) {}

  /** Reads departments, members and the members of the tags named in `labels`. */
  async read(labels: readonly string[]): Promise<DirectorySnapshot> {
    const tree = list<{ id: number; parentid: number }>(
      await this.get('/department/simplelist'),
      'department_id',
    );
    const visible = new Set(tree.map((d) => d.id));
    const departments: DirectoryDepartment[] = [];
    for (const { id, parentid } of tree) {
      const reply = await this.get(`/department/get?id=${id}`);
      const name = (reply.department as { name?: string } | undefined)?.name ?? String(id);
      departments.push({
        id: String(id),
        name,
        parentId: visible.has(parentid) ? String(parentid) : null,
      });
    }

    const members = new Map<string, DirectoryMember>();
    const skipped: DirectorySnapshot['skipped'] = [];
    for (const { id } of tree) {
      for (const user of list<UserRow>(
        await this.get(`/user/list?department_id=${id}`),
        'userlist',
      )) {
        if (
          !user.userid ||
          members.has(user.userid) ||
          skipped.some((s) => s.userid === user.userid)
        )
          continue;
        const gone = GONE[user.status ?? 1];
        if (gone) {
          skipped.push({ userid: user.userid, name: user.name ?? '', reason: gone });
          continue;
        }
        const departmentIds = (user.department ?? []).filter((d) => visible.has(d)).map(String);
        members.set(user.userid, {
          userid: user.userid,
          name: user.name ?? user.userid,
          employeeNo: null,
          departmentIds,
          mainDepartmentId: user.main_department ? String(user.main_department) : null,
          leaderUserids: user.direct_leader ?? [],
          labels: [],
        });
      }
    }

    await this.addLabels(labels, members, departments);
    return {
      platform: 'wecom',
      departments,
      companyRootId: '1',
      members: [...members.values()],
      // direct_leader lists only the leaders inside the app's visible range.
      hidesLeadersOutsideRange: true,
      skipped,
    };
  }

  // A tag holds members and whole departments (partylist): members of those and their sub-departments get it too.
  private async addLabels(
    labels: readonly string[],
    members: Map<string, DirectoryMember>,
    departments: DirectoryDepartment[],
  ): Promise<void> {
    if (labels.length === 0) return;
    const tags = list<{ tagid: number; tagname: string }>(await this.get('/tag/list'), 'taglist');
    for (const tag of tags.filter((t) => labels.includes(t.tagname))) {
      const reply = await this.get(`/tag/get?tagid=${tag.tagid}`);
      const users = new Set(list<{ userid: string }>(reply, 'userlist').map((u) => u.userid));
      const parties = withChildren(list<number>(reply, 'partylist').map(String), departments);
      for (const member of members.values()) {
        if (users.has(member.userid) || member.departmentIds.some((d) => parties.has(d)))
          member.labels.push(tag.tagname);
      }
    }
  }

  private async get(path: string): Promise<WecomReply> {
    try {
      return await this.client.get(path);
    } catch (err) {
      const hint = err instanceof WecomApiError ? HINTS[err.errcode] : undefined;
      if (hint)
        throw new WecomApiError((err as WecomApiError).errcode, hint, (err as WecomApiError).path);
      throw err;
    }
  }
}

function list<T>(reply: WecomReply, field: string): T[] {
  const value = reply[field];
  return Array.isArray(value) ? (value as T[]) : [];
}

function withChildren(ids: string[], departments: DirectoryDepartment[]): Set<string> {
  const found = new Set(ids);
  for (let grew = true; grew;) {
    grew = false;
    for (const d of departments)
      if (d.parentId && found.has(d.parentId) && !found.has(d.id)) grew = Boolean(found.add(d.id));
  }
  return found;
}
