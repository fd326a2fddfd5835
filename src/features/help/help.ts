import type { Bot } from '../../bot/bot';
import { hasRole, ROLE_NAMES } from '../../bot/roles';

const HR_NOTE =
  '人力资源只读：可查看各部门的报表（/report 2024-05，或加部门）和任何人的结果（/result 2024-05 工号）；开始、提醒、结束、更正由各部门经理操作。';

/** /help (帮助): what I can do, for my roles. */
export function registerHelp(bot: Bot): void {
  bot.command({
    names: ['/help', '帮助'],
    help: '/help（帮助）查看可用命令',
    run: async (ctx) => {
      const mine = bot.commands.filter((c) => !c.roles || hasRole(ctx.person, c.roles));
      const roles = ctx.person.roles.map((r) => ROLE_NAMES[r]).join('、');
      const lines = [
        `${ctx.person.name}（${roles}），你可以发送：`,
        ...mine.map((c) => `· ${c.help}`),
      ];
      // HR reads every department but runs none: the cycle stays with each department's manager.
      if (ctx.person.roles.includes('hr')) lines.push(HR_NOTE);
      ctx.reply(lines.join('\n'));
    },
  });
}
