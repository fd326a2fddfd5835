import type { DirectoryMember, DirectorySnapshot } from '../../src/channels/directory';
import { directoryRoster } from '../../src/roster/directory-roster';
import { loadRoleMapping, parseRoleMapping } from '../../src/roster/role-mapping';
import type { Person } from '../../src/store/models/person';

const member = (userid: string, extra: Partial<DirectoryMember> = {}): DirectoryMember => ({
  userid,
  name: userid.toUpperCase(),
  employeeNo: null,
  departmentIds: ['3'],
  mainDepartmentId: null,
  leaderUserids: [],
  labels: [],
  ...extra,
});

const snapshot = (members: DirectoryMember[]): DirectorySnapshot => ({
  platform: 'wecom',
  departments: [
    { id: '1', name: '公司', parentId: null },
    { id: '3', name: '客服部', parentId: '1' },
  ],
  companyRootId: '1',
  members,
  hidesLeadersOutsideRange: true,
  skipped: [],
});

const boss = member('boss', { labels: ['考核-经理'] });

describe('directoryRoster', () => {
  it('lets the mapping file name a supervisor the directory cannot show', () => {
    const lone = snapshot([boss, member('k1')]);
    expect(directoryRoster(lone, loadRoleMapping(), []).problems).toEqual([
      {
        line: 3,
        message: expect.stringMatching(/^k1 K1: no leader inside the app's visible range/),
      },
    ]);
    const mapping = parseRoleMapping({
      ...loadRoleMapping(),
      people: { k1: { supervisor: 'boss' } },
    });
    const roster = directoryRoster(lone, mapping, []);
    expect(roster.problems).toEqual([]);
    expect(roster.entries[1]).toMatchObject({
      userid: 'k1',
      supervisorUserid: 'boss',
      project: null,
    });
  });

  it('reads the 考核-人力 tag as the hr role, which needs no supervisor', () => {
    const roster = directoryRoster(
      snapshot([boss, member('hr1', { labels: ['考核-人力'] })]),
      loadRoleMapping(),
      [],
    );
    expect(roster.problems).toEqual([]);
    expect(roster.entries[1]).toMatchObject({
      userid: 'hr1',
      roles: ['hr'],
      supervisorUserid: null,
    });
  });

  it('takes the first of several leaders, with a note', () => {
    const two = snapshot([
      boss,
      member('sup', { labels: ['考核-主管'] }),
      member('k1', { leaderUserids: ['sup', 'boss'] }),
    ]);
    const roster = directoryRoster(two, loadRoleMapping(), []);
    expect(roster.problems).toEqual([]);
    expect(roster.notes).toEqual([
      { line: 3, message: 'k1 K1: has 2 leaders (sup, boss): took sup, the first listed' },
    ]);
  });

  it('refuses a userid or 工号 that a person on another platform holds', () => {
    const other = {
      userid: 'k1',
      name: '钉钉的人',
      employeeNo: 'boss',
      platform: 'dingtalk',
      active: true,
    } as Person;
    const roster = directoryRoster(
      snapshot([boss, member('k1', { leaderUserids: ['boss'] })]),
      loadRoleMapping(),
      [other],
    );
    expect(roster.problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '2: 工号 "boss" already belongs to k1 钉钉的人 on dingtalk',
      '3: userid "k1" is already on the roster for dingtalk (钉钉的人)',
    ]);
  });

  it('refuses a mapping with an unknown role', () => {
    expect(() => parseRoleMapping({ labels: { '考核-经理': ['boss'] } }, 'roles.json')).toThrow(
      /roles.json is not a valid role mapping:\n {2}labels\.考核-经理\.0: /,
    );
  });
});
