import { departmentOf } from '../../assessment/department';
import type { Bot } from '../../bot/bot';
import type { AssessmentService } from './assessment-service';
import type { FormFlow } from './form-flow';

/** /self (自评): start or resume my self-assessment for the open month. */
export function registerSelfAssessment(bot: Bot, flow: FormFlow, service: AssessmentService): void {
  bot.command({
    names: ['/self', '自评'],
    roles: ['staff'],
    help: '/self（自评）开始或继续本月自评；自评 加每项分数：一次填完',
    run: async (ctx, args) => {
      // The open month came with the event's one read; the service reads it only when none did.
      const month = ctx.currentMonth() ?? (await service.openMonth(departmentOf(ctx.person)));
      if (!args) return flow.begin(ctx, month.key, 'self', ctx.person);
      const pos = { mode: 'form' as const, month: month.key, role: 'self' as const };
      await flow.fillAll(
        ctx,
        { ...pos, target: ctx.person.userid, criterionNo: null, skipped: [] },
        args,
      );
    },
  });
}
