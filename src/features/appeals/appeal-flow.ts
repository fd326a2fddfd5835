import type { Bot } from '../../bot/bot';
import { isMonthKey, type MonthKey } from '../../assessment/month';
import { userError } from '../../lib/errors';
import type { StateStore } from '../../state/state-store';
import type { AppealQueue } from './appeal-queue';
import type { AppealInput, AppealService } from './appeal-service';
import { RESULT_FLOW, type ResultsView } from './results-view';
import * as text from './texts';

// A tapped 申诉 waits this long for its reason; after that the tap is forgotten (typing 申诉 still works).
const DRAFT_TTL_MS = 24 * 3600 * 1000;
const draftKey = (userid: string) => `appeal-draft:${userid}`;
const DECIDERS = ['supervisor', 'manager'] as const;

/** Splits `[YYYY-MM] [项号] 理由` (what follows 申诉, or answers a tapped 申诉). */
export function parseAppeal(args: string, key?: MonthKey): AppealInput {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (words[0] && isMonthKey(words[0])) key = words.shift() as MonthKey;
  const no = words[0] && /^\d+$/.test(words[0]) ? Number(words.shift()) : undefined;
  return { key, no, reason: words.join(' ') };
}

/**
 * Results and appeals in chat: /result (结果), 确认, 申诉, and for supervisors
 * and the manager /appeals (申诉列表), /correct (采纳), /forward (转经理),
 * /uphold (维持); taps on the 确认 / 申诉 card.
 */
export function registerAppealFlow(
  bot: Bot,
  queue: AppealQueue,
  service: AppealService,
  view: ResultsView,
  state: StateStore,
): void {
  bot.command({
    names: ['/result', '结果'],
    help: '/result [2024-05]（结果）查看我的考核结果；主管、经理、人力资源可加工号',
    run: async (ctx, args) => {
      const words = args.split(/\s+/).filter(Boolean);
      const key = words[0] && isMonthKey(words[0]) ? (words.shift() as MonthKey) : undefined;
      const shown = await view.show(ctx.person, key, words[0]);
      ctx.reply(shown.text);
      if (shown.card) ctx.replyButtons(shown.card.card, shown.card.flow, shown.card.data);
    },
  });
  bot.command({
    names: ['确认', '/confirm'],
    help: '确认：确认最近一次考核结果',
    run: async (ctx, args) => {
      const key = args && isMonthKey(args) ? args : undefined;
      ctx.reply(await service.confirm(ctx.person, key));
    },
  });
  bot.command({
    names: ['申诉', '/appeal'],
    help: '申诉 [项号] 理由：对考核结果提出申诉（整张表、第 1–11 项或第 12 项记录）',
    run: async (ctx, args) => {
      await state.delete(draftKey(ctx.person.userid));
      ctx.reply(await service.appeal(ctx.person, parseAppeal(args), ctx.event.id));
    },
  });
  bot.command({
    names: ['/appeals', '申诉列表'],
    roles: DECIDERS,
    help: '/appeals（申诉列表）查看待处理的申诉',
    run: async (ctx) => ctx.reply(await queue.waitingFor(ctx.person)),
  });
  bot.command({
    names: ['/correct', '采纳'],
    roles: DECIDERS,
    help: '/correct 编号 [项号] 分数 理由（采纳）按申诉更正；第 12 项记录：/correct 编号 理由 撤销该记录',
    run: async (ctx, args) => {
      const [code = '', ...rest] = args.split(/\s+/).filter(Boolean);
      const joined = rest.join(' ');
      const both = /^(自评)?(\d+)\s+(\d+)\s+(.+)$/.exec(joined);
      const one = /^(\d+)\s+(.+)$/.exec(joined);
      const appeal = code ? await queue.byCode(code) : null;
      // A record is voided, not scored: its reason may start with a number.
      const change =
        appeal?.target.kind === 'record'
          ? { reason: joined }
          : both
            ? { self: !!both[1], no: Number(both[2]), score: Number(both[3]), reason: both[4]! }
            : one
              ? { score: Number(one[1]), reason: one[2]! }
              : { reason: '' };
      if (!change.reason)
        throw userError(
          'invalid_input',
          '格式：/correct 编号 [项号] 分数 理由，例如 /correct A1B2C3 8 复核后更正',
        );
      ctx.reply(await service.correct(ctx.person, code, change, change.reason, ctx.event.id));
    },
  });
  bot.command({
    names: ['/forward', '转经理'],
    roles: ['supervisor'],
    help: '/forward 编号 理由（转经理）答复申诉并转经理决定',
    run: async (ctx, args) => {
      const [code = '', ...reason] = args.split(/\s+/).filter(Boolean);
      ctx.reply(await service.forward(ctx.person, code, reason.join(' ')));
    },
  });
  bot.command({
    names: ['/uphold', '维持'],
    roles: ['manager'],
    help: '/uphold 编号 理由（维持）维持原评分，申诉处理完毕',
    run: async (ctx, args) => {
      const [code = '', ...reason] = args.split(/\s+/).filter(Boolean);
      ctx.reply(await service.uphold(ctx.person, code, reason.join(' ')));
    },
  });

  bot.action(RESULT_FLOW, async (ctx, card, action) => {
    const key = (card.data as { month: MonthKey }).month;
    const mark = (doneLabel: string) =>
      action.updateToken &&
      ctx.markCard({ cardId: card.cardId, updateToken: action.updateToken, doneLabel });
    if (action.key === 'confirm') {
      ctx.reply(await service.confirm(ctx.person, key));
      mark('已确认');
      return;
    }
    await service.assertCanAnswer(ctx.person, key);
    await state.set(draftKey(ctx.person.userid), key, DRAFT_TTL_MS);
    ctx.reply(text.ASK_REASON);
    mark('申诉中');
  });

  // The reason that follows a tapped 申诉.
  bot.text(async (ctx, typed) => {
    const key = await state.get(draftKey(ctx.person.userid));
    if (!key) return false;
    await state.delete(draftKey(ctx.person.userid));
    ctx.reply(await service.appeal(ctx.person, parseAppeal(typed, key as MonthKey), ctx.event.id));
    return true;
  });
}
