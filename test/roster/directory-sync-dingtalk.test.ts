import { DingtalkClient } from '../../src/channels/dingtalk/client';
import { DingtalkDirectory } from '../../src/channels/dingtalk/directory';
import { silentLogger } from '../../src/lib/logger';
import { syncDirectory } from '../../src/roster/directory-sync';
import { formatDirectorySync } from '../../src/roster/format-directory-sync';
import { loadRoleMapping } from '../../src/roster/role-mapping';
import type { RedisStateStore } from '../../src/state/redis-state-store';
import { testDingtalkSettings } from '../channels/dingtalk/dingtalk-test-app';
import { outsideLeader, sampleCompany, type FakeCompany } from '../fakes/directory-company';
import {
  startFakeDingtalkDirectory,
  type FakeDingtalkDirectory,
} from '../fakes/fake-dingtalk-directory';
import { useRosterDatabase } from '../helpers/roster-database';
import { testRedisStore } from '../helpers/redis';

const roster = useRosterDatabase();

const t0 = new Date('2024-05-01T00:00:00Z');
const t1 = new Date('2024-06-01T00:00:00Z');
const mapping = loadRoleMapping();

let company: FakeCompany;
let fake: FakeDingtalkDirectory;
let state: RedisStateStore;

beforeEach(async () => {
  company = sampleCompany();
  const { appKey, appSecret } = testDingtalkSettings();
  fake = await startFakeDingtalkDirectory(company, { appKey, appSecret });
  state = testRedisStore();
  // Someone on WeCom: a DingTalk sync must never touch them.
  await roster.models.people.create({
    userid: 'wc-zhao',
    name: '赵云',
    employeeNo: 'W001',
    roles: ['staff'],
    supervisorUserid: 'wc-boss',
    platform: 'wecom',
    joinedAt: t0,
    updatedAt: t0,
  });
});
afterEach(async () => {
  await fake.stop();
  await state.close();
});

function sync(dryRun: boolean, now = t1) {
  const client = new DingtalkClient({
    settings: testDingtalkSettings({ apiBase: fake.apiBase }),
    state,
    logger: silentLogger,
  });
  return syncDirectory({
    source: new DingtalkDirectory(client),
    people: roster.people,
    mapping,
    dryRun,
    now,
  });
}

describe('roster sync from the DingTalk directory', () => {
  it('dry run: prints the difference with line-numbered notes and changes nothing', async () => {
    const result = await sync(true);
    const printed = formatDirectorySync(result, true);
    expect(printed).toContain(
      'dingtalk directory: 8 people in 4 departments the app can see (dry run',
    );
    expect(printed).toContain('new 8:');
    expect(printed).toMatch(
      /\+ line \d+: wangjl 王建林, 工号 M001, 阳光花园项目\/客服部, roles manager\n/,
    );
    expect(printed).toMatch(
      /\+ line \d+: zhaomin 赵敏, 工号 L001, 阳光花园项目\/客服部, roles leader\|staff, supervisor liuyan/,
    );
    expect(printed).toMatch(
      /notes 1:\n {2}line \d+: chenjing 陈静: in 2 departments \(客服部, 秩序部\): took 客服部, the first one listed/,
    );
    expect(printed).not.toContain('leaving');
    expect(printed).not.toContain('problems');
    expect(await roster.models.people.countDocuments()).toBe(1);
    expect(await roster.models.audit.countDocuments()).toBe(0);
    // The list is paged by cursor: a department of more people than a page takes several calls.
    const pages = fake.requests.filter(
      (r) => r.path === '/topapi/v2/user/list' && r.body.dept_id === 3,
    );
    expect(pages.map((r) => r.body.cursor)).toEqual([0, 2, 4]);
  });

  it('applies the difference, then a second run changes nothing', async () => {
    const first = await sync(false);
    expect(first.applied?.added).toHaveLength(8);
    expect(await roster.people.byUserid('wujun')).toMatchObject({
      employeeNo: 'B001',
      department: '秩序部',
      project: '阳光花园项目',
      supervisorUserid: 'zhouqiang',
      platform: 'dingtalk',
    });
    expect(await roster.people.byUserid('zhouqiang')).toMatchObject({ roles: ['supervisor'] });
    const audits = await roster.models.audit.countDocuments();
    const second = await sync(false, new Date('2024-07-01T00:00:00Z'));
    expect(second.applied).toMatchObject({ added: [], updated: [], deactivated: [] });
    expect(await roster.models.audit.countDocuments()).toBe(audits);
    expect(await roster.people.byUserid('wc-zhao')).toMatchObject({ active: true });
  });

  it('refuses the whole sync when a manager_userid is outside the visible range, naming the line', async () => {
    await sync(false);
    company.people.push(outsideLeader());
    company.people.find((p) => p.userid === 'zhangwei')!.departments = [4];
    const before = await roster.people.all();
    const result = await sync(false, new Date('2024-07-01T00:00:00Z'));
    expect(result.applied).toBeNull();
    const line = [...result.roster.useridByLine].find(([, id]) => id === 'xuming')![0];
    expect(result.roster.problems).toEqual([
      {
        line,
        message:
          "xuming 徐明: their leader zongjl is outside the app's visible range: add them to it, or set people.xuming.supervisor in the mapping file",
      },
    ]);
    const printed = formatDirectorySync(result, false);
    expect(printed).toMatch(/~ line \d+: zhangwei 张伟: department 客服部 → 秩序部/);
    expect(printed).toContain('not synced: nothing was changed');
    expect(await roster.people.all()).toEqual(before);
  });

  it('deactivates someone who left and keeps them', async () => {
    await sync(false);
    company.people = company.people.filter((p) => p.userid !== 'lina');
    const result = await sync(false, new Date('2024-07-01T00:00:00Z'));
    expect(result.applied?.deactivated).toEqual(['lina']);
    expect(await roster.people.byUserid('lina')).toMatchObject({
      active: false,
      employeeNo: 'K002',
    });
    expect(await roster.people.byUserid('wc-zhao')).toMatchObject({ active: true });
  });
});
