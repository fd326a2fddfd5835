import type { Bot } from '../bot/bot';
import { monthLabel, parseMonth } from '../assessment/month';
import { userError } from '../lib/errors';
import type { CycleService } from '../services/cycle-service';

const needMonth = (command: string) =>
  userError('invalid_input', `请写明月份,例如:${command} 2024-05`);

/** /open, /remind, /close (开始, 提醒, 结束): the manager runs the cycle on demand, at once. */
export function registerManagerCommands(bot: Bot, cycle: CycleService): void {
  bot.command({
    names: ['/open', '开始'],
    roles: ['manager'],
    help: '/open 2024-05(开始)开始该月考核并通知员工',
    run: async (ctx, args) => {
      if (!args) throw needMonth('/open');
      const key = parseMonth(args);
      const report = await cycle.open(key, ctx.person.userid);
      const head = report.created
        ? `已开始${monthLabel(key)}考核`
        : `${monthLabel(key)}考核已在进行中`;
      ctx.reply(`${head},已通知 ${report.notified} 人(员工共 ${report.staff} 人)。`);
    },
  });
  bot.command({
    names: ['/remind', '提醒'],
    roles: ['manager'],
    help: '/remind 2024-05(提醒)提醒未完成的员工和主管',
    run: async (ctx, args) => {
      if (!args) throw needMonth('/remind');
      const key = parseMonth(args);
      // The command's own id names this round: a retried delivery reminds nobody twice.
      const staff = await cycle.remindStaff(key, ctx.event.id);
      const supervisors = await cycle.remindSupervisors(key, ctx.event.id);
      ctx.reply(
        `已提醒 ${staff.notified + supervisors.notified} 人(员工 ${staff.notified} 人,主管 ${supervisors.notified} 人)。`,
      );
    },
  });
  bot.command({
    names: ['/close', '结束'],
    roles: ['manager'],
    help: '/close 2024-05(结束)结束该月考核并发送结果',
    run: async (ctx, args) => {
      if (!args) throw needMonth('/close');
      const key = parseMonth(args);
      const report = await cycle.close(key, ctx.person.userid);
      ctx.reply(
        report.created
          ? `已结束${monthLabel(key)}考核,已向 ${report.notified} 人发送结果,汇总已发给经理。`
          : `${monthLabel(key)}考核已经结束过了,没有重复发送。`,
      );
    },
  });
}
