import { departmentOf, managesDepartmentOf } from '../../assessment/department';
import type { Bot } from '../../bot/bot';
import type { BotContext } from '../../bot/context';
import { monthLabel, type MonthKey } from '../../assessment/month';
import type { AssessmentService } from './assessment-service';
import type { FormFlow } from './form-flow';
import type { Person } from '../../store/models/person';
import { scoresOf, summaryText } from './texts';

/** /review (评分): my team's pending forms; /review 工号: score that person. */
export function registerSupervisorReview(
  bot: Bot,
  flow: FormFlow,
  service: AssessmentService,
): void {
  bot.command({
    names: ['/review', '评分'],
    roles: ['supervisor', 'manager'],
    help: '/review（评分）查看待评人员；/review 工号 为此人评分；评分 工号 加每项分数：一次评完',
    run: async (ctx, args) => {
      // The open month came with the event's one read; the service reads it only when none did.
      const month = ctx.currentMonth() ?? (await service.openMonth(departmentOf(ctx.person)));
      if (!args) return listTeam(ctx, service, month.key);
      const [employeeNo = '', ...scores] = args.split(/\s+/);
      if (ctx.person.roles.includes('manager')) {
        // The manager sees every form of their department; scoring stays with the person's own supervisor.
        const target = await service.personByEmployeeNo(employeeNo);
        if (
          target &&
          target.supervisorUserid !== ctx.person.userid &&
          managesDepartmentOf(ctx.person, target)
        )
          return showForms(ctx, service, month.key, target);
      }
      const target = await service.reviewTarget(ctx.person, employeeNo);
      if (scores.length === 0) return flow.begin(ctx, month.key, 'supervisor', target);
      const pos = { mode: 'form' as const, month: month.key, role: 'supervisor' as const };
      await flow.fillAll(
        ctx,
        { ...pos, target: target.userid, criterionNo: null, skipped: [] },
        scores.join(' '),
      );
    },
  });
}

/** Both forms of a person, read only (for the manager). */
async function showForms(
  ctx: BotContext,
  service: AssessmentService,
  monthKey: string,
  target: Person,
): Promise<void> {
  const { month, doc } = await service.form(monthKey, target, 'supervisor');
  for (const role of ['self', 'supervisor'] as const) {
    const text = summaryText({
      form: month.form,
      part: doc[role],
      role,
      target,
      month: monthKey as MonthKey,
    });
    // The manager only looks; the hints meant for the form's author are left out.
    ctx.reply(
      `${text.split('\n').slice(0, -1).join('\n')}\n（${role === 'self' ? '员工自评' : '主管评分'}，只读）`,
    );
  }
}

async function listTeam(
  ctx: BotContext,
  service: AssessmentService,
  monthKey: string,
): Promise<void> {
  const team = await service.teamOf(ctx.person.userid);
  if (team.length === 0) return ctx.reply('你名下没有需要评分的人员。');
  const month = await service.month(monthKey, departmentOf(ctx.person));
  const count = month!.form.criteria.length;
  const lines: string[] = [];
  let pending = 0;
  for (const person of team) {
    const doc = await service.assessment(monthKey, person.userid);
    const self = doc?.self.status === 'submitted' ? '已提交' : '未提交';
    const answered = doc ? Object.keys(scoresOf(doc.supervisor)).length : 0;
    const review =
      doc?.supervisor.status === 'submitted'
        ? '已评完'
        : answered > 0
          ? `已评 ${answered}/${count}`
          : '未开始';
    if (doc?.supervisor.status !== 'submitted') pending += 1;
    lines.push(`${person.name}（${person.employeeNo}）自评${self} · 评分${review}`);
  }
  const head = `${monthLabel(monthKey as MonthKey)}待评分 ${pending}/${team.length} 人：`;
  ctx.reply(
    [head, ...lines, '回复“/review 工号”开始评分，例如 /review ' + team[0]!.employeeNo].join('\n'),
  );
}
