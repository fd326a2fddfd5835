/**
 * The daily digest of records, department by department: each department's
 * job tells its own people, and what it sends waits for that department's
 * working hours (客服部 09:00–18:00 on the default form, 秩序部 08:00–20:00 on
 * config/forms/security.json). Driven through the fake WeCom.
 */
import path from 'node:path';
import { importRoster } from '../../../src/roster/import-roster';
import { BotHarness, texts } from '../../helpers/bot-harness';

const ROSTER = `userid,name,employee_no,roles,supervisor_userid,platform,department,project
wangjl,王建林,M001,manager,,wecom,客服部,
liuyan,刘燕,S001,supervisor,wangjl,wecom,客服部,
zhangwei,张伟,K001,staff,liuyan,wecom,客服部,
sunhao,孙浩,M101,manager,,wecom,秩序部,
zhouqiang,周强,S101,supervisor,sunhao,wecom,秩序部,
wugang,吴刚,B101,staff,zhouqiang,wecom,秩序部,
`;

let h: BotHarness;
beforeAll(async () => {
  h = await BotHarness.start(
    { FORMS_DIR: path.join(__dirname, '../../../config/forms') },
    { open: false, clock: '2024-05-20T01:00:00Z' }, // Monday 09:00 in Shanghai
  );
  await importRoster(ROSTER, h.kaohe.people, 'test', h.clock.now());
  await h.say('wangjl', '/open 2024-05');
  await h.say('sunhao', '/open 2024-05');
  // Both departments tell records in a digest, not at once.
  await h.models.months.updateMany(
    { key: '2024-05' },
    { $set: { 'form.policies.recordNotice': 'digest' } },
  );
  await h.say('liuyan', '/log K001 -2 日常 迟到');
  await h.say('zhouqiang', '/log B101 +1 表扬 主动巡查');
  await h.kaohe.settle();
  for (const user of ['zhangwei', 'wugang']) h.newFor(user);
});
afterAll(async () => {
  await h.stop();
});

const fire = async (job: string) => {
  const outcome = await h.kaohe.jobs.fire(job);
  await h.kaohe.settle();
  return outcome;
};

it('each department’s digest tells its own people, within its own working hours', async () => {
  // 19:30 in Shanghai: 秩序部 is still at work, 客服部 has gone home.
  h.clock.set('2024-05-20T11:30:00Z');
  expect(await fire('record-digest')).toBe('digest to 1');
  expect(h.newFor('wugang')).toEqual([]);
  // 客服部's digest waits for its morning.
  expect(h.newFor('zhangwei')).toEqual([]);

  expect(await fire('record-digest:秩序部')).toBe('digest to 1');
  expect(texts(h.newFor('wugang'))).toMatch(
    /^今天有 1 条关于你的考核记录：\n[0-9A-F]{6} 表扬 \+1：主动巡查\n/,
  );
  // Told once: a second run finds nothing.
  expect(await fire('record-digest:秩序部')).toBe('digest to 0');

  h.clock.set('2024-05-21T01:00:00Z'); // Tuesday 09:00
  await h.kaohe.settle();
  expect(texts(h.newFor('zhangwei'))).toMatch(
    /^今天有 1 条关于你的考核记录：\n[0-9A-F]{6} 日常检查 -2：迟到\n/,
  );
  expect(h.newFor('wugang')).toEqual([]);
});
