import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WecomClient } from '../../src/channels/wecom/client';
import { WecomDirectory } from '../../src/channels/wecom/directory';
import { silentLogger } from '../../src/lib/logger';
import { syncDirectory } from '../../src/roster/directory-sync';
import { formatDirectorySync } from '../../src/roster/format-directory-sync';
import { importRoster } from '../../src/roster/import-roster';
import { loadRoleMapping } from '../../src/roster/role-mapping';
import type { RedisStateStore } from '../../src/state/redis-state-store';
import { outsideLeader, sampleCompany, type FakeCompany } from '../fakes/directory-company';
import { startFakeWecomDirectory, type FakeWecomDirectory } from '../fakes/fake-wecom-directory';
import { useRosterDatabase } from '../helpers/roster-database';
import { testRedisStore } from '../helpers/redis';
import { testWecomSettings } from '../helpers/wecom-callback';

const roster = useRosterDatabase();

const csvRoster = readFileSync(path.join(__dirname, '../fixtures/roster.csv'), 'utf8');
const t0 = new Date('2024-05-01T00:00:00Z');
const t1 = new Date('2024-06-01T00:00:00Z');
const mapping = loadRoleMapping();

let company: FakeCompany;
let fake: FakeWecomDirectory;
let state: RedisStateStore;

beforeEach(async () => {
  company = sampleCompany();
  const { corpId, secret } = testWecomSettings();
  fake = await startFakeWecomDirectory(company, { corpId, secret });
  state = testRedisStore();
  // The roster as it stood before the directory: typed into a CSV by hand.
  await importRoster(csvRoster, roster.people, 'test', t0);
});
afterEach(async () => {
  await fake.stop();
  await state.close();
});

function sync(dryRun: boolean, now = t1) {
  const client = new WecomClient({
    settings: testWecomSettings({ apiBase: fake.apiBase }),
    state,
    logger: silentLogger,
  });
  return syncDirectory({
    source: new WecomDirectory(client),
    people: roster.people,
    mapping,
    dryRun,
    now,
  });
}

describe('roster sync from the WeCom directory', () => {
  it('dry run: prints the difference with line-numbered notes and changes nothing', async () => {
    company.people = company.people.filter((p) => p.userid !== 'lina');
    const before = await roster.people.all();
    const result = await sync(true);
    const printed = formatDirectorySync(result, true);
    expect(printed).toContain(
      'wecom directory: 7 people in 3 departments the app can see (dry run',
    );
    expect(printed).toMatch(
      /new 2:\n {2}\+ line 7: wujun 吴军, 工号 wujun, 阳光花园项目\/秩序部, roles staff, supervisor zhouqiang\n {2}\+ line 8: zhouqiang 周强, 工号 zhouqiang, 阳光花园项目\/秩序部, roles supervisor, supervisor wangjl/,
    );
    expect(printed).toMatch(
      /changed 5:\n {2}~ line 2: chenjing 陈静: project \(none\) → 阳光花园项目/,
    );
    expect(printed).toMatch(/~ line \d+: zhangwei 张伟: project \(none\) → 阳光花园项目/);
    expect(printed).toContain('leaving (deactivated, never deleted) 1:\n  - lina 李娜 (K002)');
    expect(printed).toMatch(
      /notes 1:\n {2}line \d+: chenjing 陈静: in 2 departments \(客服部, 秩序部\): took 客服部, their main department/,
    );
    expect(printed).not.toContain('problems');
    // The 工号 typed into the CSV stays: WeCom has none to offer.
    expect(result.roster.entries.find((e) => e.userid === 'zhangwei')?.employeeNo).toBe('K001');
    expect(await roster.people.all()).toEqual(before);
    expect(await roster.models.audit.countDocuments()).toBe(6);
    // Every read is a GET with the app's own token: no mobile, email or directory-sync secret.
    expect(new Set(fake.requests.map((r) => r.path))).toEqual(
      new Set([
        '/cgi-bin/gettoken',
        '/cgi-bin/department/simplelist',
        '/cgi-bin/department/get',
        '/cgi-bin/user/list',
        '/cgi-bin/tag/list',
        '/cgi-bin/tag/get',
      ]),
    );
    expect(fake.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('applies the difference, then a second run changes nothing', async () => {
    company.people = company.people.filter((p) => p.userid !== 'lina');
    const first = await sync(false);
    expect(first.applied).toMatchObject({
      added: expect.arrayContaining(['zhouqiang', 'wujun']),
      deactivated: ['lina'],
    });
    expect(await roster.people.byUserid('wujun')).toMatchObject({
      department: '秩序部',
      project: '阳光花园项目',
      roles: ['staff'],
      supervisorUserid: 'zhouqiang',
      platform: 'wecom',
      active: true,
    });
    expect(await roster.people.byUserid('wangjl')).toMatchObject({
      roles: ['manager'],
      supervisorUserid: null,
    });
    expect(await roster.people.byUserid('zhaomin')).toMatchObject({ roles: ['leader', 'staff'] });
    expect(await roster.people.byUserid('lina')).toMatchObject({ active: false, name: '李娜' });
    const audits = await roster.models.audit.countDocuments();

    const second = await sync(false, new Date('2024-07-01T00:00:00Z'));
    expect(second.applied).toMatchObject({ added: [], updated: [], deactivated: [] });
    expect(second.diff.changed).toEqual([]);
    expect(await roster.models.audit.countDocuments()).toBe(audits);
    expect(formatDirectorySync(second, false)).toContain('unchanged 7');
  });

  it('refuses the whole sync when a leader is outside the visible range, naming the line', async () => {
    company.people.push(outsideLeader());
    const before = await roster.people.all();
    const result = await sync(false);
    expect(result.applied).toBeNull();
    const line = [...result.roster.useridByLine].find(([, id]) => id === 'xuming')![0];
    expect(result.roster.problems).toEqual([
      {
        line,
        message: expect.stringMatching(/^xuming 徐明: no leader inside the app's visible range/),
      },
    ]);
    // The line is the generated roster's own: the CSV the dry run can save.
    expect(result.roster.csv.split('\n')[line - 1]).toMatch(/^xuming,徐明,/);
    const printed = formatDirectorySync(result, false);
    expect(printed).toContain(`line ${line}: xuming 徐明: no leader inside`);
    expect(printed).toContain('not synced: nothing was changed');
    expect(await roster.people.all()).toEqual(before);
  });

  it('deactivates someone who left, keeps them, and leaves other platforms alone', async () => {
    await roster.models.people.create({
      userid: 'dt-ma',
      name: '马丽',
      employeeNo: 'D001',
      roles: ['staff'],
      supervisorUserid: 'dt-boss',
      platform: 'dingtalk',
      joinedAt: t0,
      updatedAt: t0,
    });
    await sync(false);
    company.people.find((p) => p.userid === 'zhangwei')!.status = 5;
    const result = await sync(false, new Date('2024-07-01T00:00:00Z'));
    expect(result.applied?.deactivated).toEqual(['zhangwei']);
    expect(formatDirectorySync(result, false)).toContain(
      'zhangwei 张伟: left the company (status 5)',
    );
    expect(await roster.people.byUserid('zhangwei')).toMatchObject({
      active: false,
      employeeNo: 'K001',
    });
    expect(await roster.people.byUserid('dt-ma')).toMatchObject({ active: true });
  });
});
