import { departmentOf } from '../../assessment/department';
import type { Bot } from '../../bot/bot';
import { monthLabel, type MonthKey } from '../../assessment/month';
import type { AssessmentService } from './assessment-service';
import { scoresOf } from './texts';

/** /status (进度): where my assessments stand this month. */
export function registerStatus(bot: Bot, service: AssessmentService): void {
  bot.command({
    names: ['/status', '进度'],
    help: '/status（进度）查看本月考核进度',
    run: async (ctx) => {
      // The open month came with the event's one read; the service reads it only when none did.
      const month = ctx.currentMonth() ?? (await service.openMonth(departmentOf(ctx.person)));
      const count = month.form.criteria.length;
      const lines = [`${monthLabel(month.key as MonthKey)}考核进行中。`];
      if (ctx.person.roles.includes('staff')) {
        const doc = await service.assessment(month.key, ctx.person.userid);
        const answered = doc ? Object.keys(scoresOf(doc.self)).length : 0;
        const self =
          doc?.self.status === 'submitted'
            ? '已提交'
            : answered > 0
              ? `草稿 ${answered}/${count} 项`
              : '未开始';
        lines.push(`我的自评：${self}`);
        lines.push(`主管评分：${doc?.supervisor.status === 'submitted' ? '已完成' : '未完成'}`);
      }
      if (ctx.person.roles.includes('supervisor')) {
        const team = await service.teamOf(ctx.person.userid);
        let done = 0;
        for (const p of team)
          if ((await service.assessment(month.key, p.userid))?.supervisor.status === 'submitted')
            done += 1;
        lines.push(`我负责的评分：已完成 ${done}/${team.length} 人`);
      }
      if (lines.length === 1) lines.push('你本月没有需要填写的表。');
      ctx.reply(lines.join('\n'));
    },
  });
}
