import type { Clock } from '../lib/clock';
import { userError } from '../lib/errors';
import { importRoster } from '../roster/import-roster';
import type { PeopleRepository } from '../store/repositories/people';

/**
 * A customer-service team to try the bot with: a manager (管理处经理), a
 * supervisor (客服主管), a team leader (客服领班, scored like her colleagues)
 * and six staff. It goes through the same roster import as a real file.
 */
export const DEMO_ROSTER = `userid,name,employee_no,roles,supervisor_userid,platform
wangjg,王建国,KF001,manager,,wecom
liuyan,刘艳,KF002,supervisor,,wecom
zhaomin,赵敏,KF101,leader|staff,liuyan,wecom
zhangwei,张伟,KF102,staff,liuyan,wecom
lina,李娜,KF103,staff,liuyan,wecom
chenjing,陈静,KF104,staff,liuyan,wecom
yangfan,杨帆,KF105,staff,liuyan,wecom
zhouting,周婷,KF106,staff,liuyan,wecom
wuhao,吴昊,KF107,staff,liuyan,wecom
`;

/** Loads the demo team, only into an empty roster: it never mixes with real people. */
export async function loadDemoTeam(people: PeopleRepository, clock: Clock): Promise<void> {
  if ((await people.all()).length > 0)
    throw userError('conflict', '名单里已经有人了，示例团队只能加载到空名单。');
  const result = await importRoster(DEMO_ROSTER, people, 'simulator-demo', clock.now());
  // The demo roster is part of the code; a refusal here is a bug, not a user's mistake.
  if (!result.ok) throw new Error(`demo roster refused: ${JSON.stringify(result.problems)}`);
}
