import type { Bot } from '../../bot/bot';
import { monthLabel, parseMonth } from '../../assessment/month';
import { userError } from '../../lib/errors';
import type { CorrectionService } from './correction-service';
import { closeAsk, closeReply, remindReply } from './texts';
import { immediately, type CycleService } from './cycle-service';
import { departmentOf } from '../../assessment/department';

const needMonth = (command: string) =>
  userError('invalid_input', `请写明月份，例如：${command} 2024-05`);

/**
 * /open, /remind, /close (开始, 提醒, 结束): the manager runs the cycle on
 * demand, at once, for their own department's month only.
 */
export function registerManagerCommands(
  bot: Bot,
  cycle: CycleService,
  corrections: CorrectionService,
): void {
  bot.command({
    names: ['/open', '开始'],
    roles: ['manager'],
    help: '/open 2024-05（开始）开始该月考核并通知员工',
    run: async (ctx, args) => {
      if (!args) throw needMonth('/open');
      const key = parseMonth(args);
      const report = await cycle.open(
        key,
        ctx.person.userid,
        immediately,
        departmentOf(ctx.person),
      );
      const head = report.created
        ? `已开始${monthLabel(key)}考核`
        : `${monthLabel(key)}考核已在进行中`;
      ctx.reply(`${head}，已通知 ${report.notified} 人（员工共 ${report.staff} 人）。`);
    },
  });
  bot.command({
    names: ['/remind', '提醒'],
    roles: ['manager'],
    help: '/remind 2024-05（提醒）提醒未完成的员工和主管',
    run: async (ctx, args) => {
      if (!args) throw needMonth('/remind');
      const key = parseMonth(args);
      // The command's own id names this round: a retried delivery reminds nobody twice.
      const department = departmentOf(ctx.person);
      const { staff, supervisors } = await cycle.remindBehind(
        key,
        ctx.event.id,
        immediately,
        department,
      );
      ctx.reply(remindReply(staff.notified, supervisors.notified));
    },
  });
  bot.command({
    names: ['/close', '结束'],
    roles: ['manager'],
    help: '/close 2024-05（结束）结束该月考核并发送结果；有人未完成时先列出，回复 /close 2024-05 确认 后结束',
    run: async (ctx, args) => {
      const [monthText, confirm] = args.split(/\s+/).filter(Boolean);
      if (!monthText) throw needMonth('/close');
      const key = parseMonth(monthText);
      // A manager's close with people still behind asks first: nobody's self part becomes 0 unseen.
      const department = departmentOf(ctx.person);
      const behind = confirm === '确认' ? null : await cycle.behind(key, department);
      if (behind && (behind.self.length > 0 || behind.supervisor.length > 0)) {
        ctx.reply(closeAsk(behind.month, behind.self, behind.supervisor));
        return;
      }
      const report = await cycle.close(key, ctx.person.userid, immediately, department);
      ctx.reply(
        report.created
          ? closeReply(key, report.notified)
          : `${monthLabel(key)}考核已经结束过了，没有重复发送。`,
      );
    },
  });
  bot.command({
    names: ['/amend', '更正'],
    roles: ['manager'],
    help: '/amend 2024-05 工号 项号 分数 理由（更正）结束后更正主管评分；项号前加“自评”改自评分',
    run: async (ctx, args) => {
      const match = /^(\S+)\s+(\S+)\s+(自评)?(\d+)\s+(\d+)\s*(.*)$/.exec(args);
      if (!match)
        throw userError(
          'invalid_input',
          '格式：/amend 2024-05 工号 项号 分数 理由，例如 /amend 2024-05 K001 3 8 复核后更正',
        );
      const [, month, employeeNo, self, no, score, reason] = match;
      if (!reason?.trim()) throw userError('invalid_input', '请写明更正的理由。');
      const key = parseMonth(month!);
      const done = await corrections.amend({
        key,
        employeeNo: employeeNo!,
        role: self ? 'self' : 'supervisor',
        criterionNo: Number(no),
        score: Number(score),
        reason: reason.trim(),
        actor: ctx.person.userid,
        requestId: ctx.event.id,
        department: departmentOf(ctx.person),
      });
      ctx.reply(
        `已更正${done.person.name}（${done.person.employeeNo}）第 ${no} 项：${done.before ?? '-'} → ${score} 分；` +
          `最终得分 ${done.finalBefore ?? '待定'} → ${done.finalAfter ?? '待定'}。已通知本人。`,
      );
    },
  });
}
