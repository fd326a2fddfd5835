import { readFileSync } from 'node:fs';
import path from 'node:path';
import { importRoster } from '../../src/roster/import-roster';
import { useRosterDatabase } from '../helpers/roster-database';

const roster = useRosterDatabase();

const fixture = readFileSync(path.join(__dirname, '../fixtures/roster.csv'), 'utf8');
const t0 = new Date('2024-05-01T00:00:00Z');
const t1 = new Date('2024-06-01T00:00:00Z');

describe('roster import', () => {
  it('adds everyone from a good file', async () => {
    const result = await importRoster(fixture, roster.people, 'test', t0);
    expect(result).toEqual({
      ok: true,
      report: {
        added: ['wangjl', 'liuyan', 'zhaomin', 'zhangwei', 'lina', 'chenjing'],
        updated: [],
        unchanged: [],
        deactivated: [],
      },
    });
    const zhaomin = await roster.people.byEmployeeNo('L001');
    expect(zhaomin).toMatchObject({
      name: '赵敏',
      roles: ['leader', 'staff'],
      supervisorUserid: 'liuyan',
      active: true,
    });
    expect((await roster.people.teamOf('liuyan')).map((p) => p.employeeNo)).toEqual([
      'K001',
      'K002',
      'K003',
      'L001',
    ]);
  });

  it('is idempotent', async () => {
    await importRoster(fixture, roster.people, 'test', t0);
    const again = await importRoster(fixture, roster.people, 'test', t1);
    expect(again.ok && again.report).toMatchObject({ added: [], updated: [], deactivated: [] });
    expect(await roster.models.people.countDocuments()).toBe(6);
    expect(await roster.models.audit.countDocuments()).toBe(6);
  });

  it('updates changed rows and deactivates people missing from a later file, keeping them', async () => {
    await importRoster(fixture, roster.people, 'test', t0);
    const later = fixture
      .replace('lina,李娜,K002,staff,liuyan,wecom\n', '')
      .replace('zhangwei,张伟,K001,staff', 'zhangwei,张伟,K001,staff|leader');
    const result = await importRoster(later, roster.people, 'test', t1);
    expect(result.ok && result.report).toMatchObject({
      added: [],
      updated: ['zhangwei'],
      deactivated: ['lina'],
    });
    expect(await roster.people.byUserid('lina')).toMatchObject({ active: false, name: '李娜' });
    expect((await roster.people.byUserid('zhangwei'))?.roles).toEqual(['staff', 'leader']);
    expect((await roster.people.byUserid('zhangwei'))?.joinedAt).toEqual(t0);
    // Coming back reactivates.
    const back = await importRoster(fixture, roster.people, 'test', t1);
    expect(back.ok && back.report.updated).toEqual(['zhangwei', 'lina']);
    expect((await roster.people.byUserid('lina'))?.active).toBe(true);
  });

  it('stores the department and project, and a department move is an update', async () => {
    await importRoster(fixture, roster.people, 'test', t0);
    expect(await roster.people.byUserid('lina')).toMatchObject({
      department: '客服部',
      project: null,
    });
    const header = 'userid,name,employee_no,roles,supervisor_userid,platform';
    const moved = fixture
      .replace(header, `${header},department,project`)
      .replace(/,wecom\n/g, ',wecom,客服部,\n')
      .replace(
        'lina,李娜,K002,staff,liuyan,wecom,客服部,',
        'lina,李娜,K002,staff,liuyan,wecom,秩序部,阳光花园',
      );
    const result = await importRoster(moved, roster.people, 'test', t1);
    expect(result.ok && result.report).toMatchObject({ updated: ['lina'], deactivated: [] });
    expect(await roster.people.byUserid('lina')).toMatchObject({
      department: '秩序部',
      project: '阳光花园',
    });
  });

  it('finds a person by (platform, userid) only: the same id on another platform is no one', async () => {
    await importRoster(fixture, roster.people, 'test', t0);
    expect((await roster.people.byIdentity('wecom', 'wangjl'))?.name).toBe('王建林');
    expect(await roster.people.byIdentity('dingtalk', 'wangjl')).toBeNull();
  });

  it('lets two people swap 工号 in one file', async () => {
    await importRoster(fixture, roster.people, 'test', t0);
    const swapped = fixture
      .replace('zhangwei,张伟,K001', 'zhangwei,张伟,K002')
      .replace('lina,李娜,K002', 'lina,李娜,K001');
    const result = await importRoster(swapped, roster.people, 'test', t1);
    expect(result.ok).toBe(true);
    expect((await roster.people.byEmployeeNo('K001'))?.userid).toBe('lina');
    expect((await roster.people.byEmployeeNo('K002'))?.userid).toBe('zhangwei');
  });

  it('writes nothing from a file with a bad row', async () => {
    await importRoster(fixture, roster.people, 'test', t0);
    const before = await roster.people.all();
    const bad = `${fixture.replace('lina,李娜,K002,staff', 'lina,李娜娜,K002,staff')}newbie,新人,K009,intern,liuyan,wecom\n`;
    const result = await importRoster(bad, roster.people, 'test', t1);
    expect(result).toEqual({
      ok: false,
      problems: [{ line: 8, message: expect.stringMatching(/unknown role "intern"/) }],
    });
    expect(await roster.people.all()).toEqual(before);
    expect(await roster.people.byUserid('newbie')).toBeNull();
  });

  it('refuses an empty roster instead of deactivating everyone', async () => {
    await importRoster(fixture, roster.people, 'test', t0);
    const result = await importRoster(
      'userid,name,employee_no,roles,supervisor_userid,platform\n',
      roster.people,
      'test',
      t1,
    );
    expect(result.ok).toBe(false);
    expect(await roster.models.people.countDocuments({ active: true })).toBe(6);
  });
});
