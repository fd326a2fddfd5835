import type { BotContext } from '../../bot/context';
import type { FormPosition } from '../../bot/conversation';
import type { AssessmentService } from './assessment-service';
import { FORM_FLOW, SUMMARY_KEYS } from './texts';

/** After a supervisor submits: the next person still waiting for their score, one tap away. */
export async function offerNext(
  ctx: BotContext,
  service: AssessmentService,
  pos: FormPosition,
): Promise<void> {
  const team = await service.teamOf(ctx.person.userid);
  for (const person of team) {
    if (person.userid === pos.target) continue;
    const doc = await service.assessment(pos.month, person.userid);
    if (doc?.supervisor.status === 'submitted') continue;
    const who = `${person.name} ${person.employeeNo}`;
    ctx.replyButtons(
      {
        title: `下一位：${who}`,
        description: `还有人等你评分。点“下一位”接着评，或回复 /review 查看名单。`,
        buttons: [
          {
            key: SUMMARY_KEYS.next,
            label: `下一位 ${who}`,
            typed: `/review ${person.employeeNo}`,
          },
        ],
      },
      FORM_FLOW,
      { month: pos.month, role: 'supervisor', target: person.userid, next: true },
      { inlineText: `下一位：${who}，回复 /review ${person.employeeNo} 开始评分。` },
    );
    return;
  }
  ctx.reply('你名下的人员都已评完。');
}
