import type { Bot } from '../bot/bot';
import type { AssessmentService } from '../services/assessment-service';
import type { FormFlow } from './form-flow';

/** /self (自评): start or resume my self-assessment for the open month. */
export function registerSelfAssessment(bot: Bot, flow: FormFlow, service: AssessmentService): void {
  bot.command({
    names: ['/self', '自评'],
    roles: ['staff'],
    help: '/self(自评)开始或继续本月自评',
    run: async (ctx) => {
      const month = await service.openMonth();
      await flow.begin(ctx, month.key, 'self', ctx.person);
    },
  });
}
