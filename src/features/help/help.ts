import type { Bot } from '../../bot/bot';
import { hasRole, ROLE_NAMES } from '../../bot/roles';

/** /help (帮助): what I can do, for my roles. */
export function registerHelp(bot: Bot): void {
  bot.command({
    names: ['/help', '帮助'],
    help: '/help（帮助）查看可用命令',
    run: async (ctx) => {
      const mine = bot.commands.filter((c) => !c.roles || hasRole(ctx.person, c.roles));
      const roles = ctx.person.roles.map((r) => ROLE_NAMES[r]).join('、');
      ctx.reply(
        [`${ctx.person.name}（${roles}），你可以发送：`, ...mine.map((c) => `· ${c.help}`)].join(
          '\n',
        ),
      );
    },
  });
}
