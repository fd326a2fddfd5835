import { departmentOf } from '../../assessment/department';
import type { Bot } from '../../bot/bot';
import type { CardAction } from '../../channels/types';
import { userError } from '../../lib/errors';
import type { BotContext } from '../../bot/context';
import type { ConversationStore, FormPosition } from '../../bot/conversation';
import { FORM_FLOW, type FormFlow } from './form-flow';
import { SCORE_QUESTION, SUMMARY_KEYS, scoresOf } from './texts';
import { isScoreList } from '../../assessment/score-list';
import type { AssessmentService } from './assessment-service';

const NO_FORM = '现在没有正在填写的表。员工发送 /self 开始自评，主管发送 /review 查看待评人员。';
const NUMBER = /^[0-9０-９]+\s*分?$|^-\d+$|^\d+\.\d+$/;

/**
 * The commands that work at every step of a form (/back, /skip, /submit,
 * /cancel, /edit, 备注), the typed score and the tap on a criterion card.
 */
export function registerFormCommands(
  bot: Bot,
  flow: FormFlow,
  conversations: ConversationStore,
  service: AssessmentService,
): void {
  const withForm = (run: (ctx: BotContext, pos: FormPosition, args: string) => Promise<void>) => {
    return async (ctx: BotContext, args: string) => {
      const pos = await conversations.get(ctx.person.userid);
      if (!pos) return ctx.reply(NO_FORM);
      await run(ctx, pos, args);
    };
  };
  const roles = ['staff', 'supervisor'] as const;
  const summaryTap = summaryTapper(flow);
  bot.command({
    names: ['/back', '上一项'],
    roles,
    help: '/back（上一项）返回上一项',
    run: withForm((ctx, pos) => flow.back(ctx, pos)),
  });
  bot.command({
    names: ['/skip', '跳过'],
    roles,
    help: '/skip（跳过）这一项稍后再评',
    run: withForm((ctx, pos) => flow.skip(ctx, pos)),
  });
  bot.command({
    names: ['/submit', '提交'],
    roles,
    help: '/submit（提交）提交整张表',
    run: withForm((ctx, pos) => flow.submit(ctx, pos)),
  });
  bot.command({
    names: ['/cancel', '取消'],
    roles,
    help: '/cancel（取消）先停下，草稿会保留',
    run: withForm((ctx, pos) => flow.cancel(ctx, pos)),
  });
  bot.command({
    names: ['/edit', '修改'],
    roles,
    help: '/edit（修改）重新打开已提交的表；/edit 8 从第 8 项改起',
    run: withForm((ctx, pos, args) => {
      if (args && !/^\d{1,2}$/.test(args))
        throw userError('invalid_input', '请回复 /edit 或 /edit 项号，例如 /edit 8。');
      return flow.edit(ctx, pos, args ? Number(args) : undefined);
    }),
  });
  bot.command({
    names: ['/remark', '备注'],
    roles,
    help: '备注 文字：为当前项（或整张表）添加备注',
    run: withForm((ctx, pos, text) => flow.remark(ctx, pos, text)),
  });

  bot.text(async (ctx, text) => {
    if (!isScoreList(text)) return false;
    const pos = (await conversations.get(ctx.person.userid)) ?? (await resumeSelf(ctx, service));
    if (!pos) {
      ctx.reply(NO_FORM);
      return true;
    }
    await flow.fillAll(ctx, pos, text);
    return true;
  });

  bot.text(async (ctx, text) => {
    if (!NUMBER.test(text)) return false;
    const pos = (await conversations.get(ctx.person.userid)) ?? (await resumeSelf(ctx, service));
    if (!pos) {
      ctx.reply(NO_FORM);
      return true;
    }
    if (pos.criterionNo === null) {
      ctx.reply('这张表的各项都已评完。回复 /submit 提交，或 /back 返回修改。');
      return true;
    }
    await flow.answer(ctx, pos, pos.criterionNo, text);
    return true;
  });

  bot.action(FORM_FLOW, async (ctx, card, action) => {
    const data = card.data as {
      month: string;
      role: 'self' | 'supervisor';
      target: string;
      criterionNo: number;
      summary?: boolean;
      next?: boolean;
    };
    if (data.summary || data.next) return summaryTap(ctx, card.cardId, action, data);
    const choice = action.selections[SCORE_QUESTION]?.[0];
    if (choice === undefined) return ctx.reply('请先点选一个分数，再按“确定”。');
    const current = await conversations.get(ctx.person.userid);
    // The conversation (if it is about this form) says which criterion is being asked now.
    const sameForm =
      current &&
      current.month === data.month &&
      current.role === data.role &&
      current.target === data.target;
    const pos: FormPosition = sameForm
      ? current
      : {
          mode: 'form',
          month: data.month,
          role: data.role,
          target: data.target,
          criterionNo: data.criterionNo,
          skipped: [],
        };
    await flow.answer(ctx, pos, data.criterionNo, choice, {
      cardId: card.cardId,
      updateToken: action.updateToken,
    });
  });
}

/** What each summary-card button does, and how the tapped card reads afterwards. */
const SUMMARY_LABELS: Record<string, string> = {
  [SUMMARY_KEYS.submit]: '已提交',
  [SUMMARY_KEYS.edit]: '修改中',
  [SUMMARY_KEYS.resume]: '继续填写',
  [SUMMARY_KEYS.next]: '开始评分',
};

function summaryTapper(flow: FormFlow) {
  return async (
    ctx: BotContext,
    cardId: string,
    action: CardAction,
    data: { month: string; role: 'self' | 'supervisor'; target: string },
  ): Promise<void> => {
    const doneLabel = SUMMARY_LABELS[action.key];
    if (!doneLabel) return ctx.reply('这张卡片已失效。发送 /help 查看可用的命令。');
    if (action.updateToken) ctx.markCard({ cardId, updateToken: action.updateToken, doneLabel });
    const pos: FormPosition = { mode: 'form', ...data, criterionNo: null, skipped: [] };
    if (action.key === SUMMARY_KEYS.submit) return flow.submit(ctx, pos);
    if (action.key === SUMMARY_KEYS.edit) return flow.edit(ctx, pos, 1);
    const target = await flow.person(data.target);
    return flow.begin(ctx, data.month, data.role, target);
  };
}

/**
 * Where a staff member's typed number goes when no conversation is remembered
 * (the month just opened with a card, or the state store was emptied): the
 * first unanswered criterion of their own self-assessment draft.
 */
async function resumeSelf(
  ctx: BotContext,
  service: AssessmentService,
): Promise<FormPosition | null> {
  if (!ctx.person.roles.includes('staff') || ctx.noMonthOpen) return null;
  const month = ctx.currentMonth() ?? (await service.currentMonth(departmentOf(ctx.person)));
  const doc = month && (await service.assessment(month.key, ctx.person.userid));
  if (!month || !doc || doc.self.status !== 'draft') return null;
  const scores = scoresOf(doc.self);
  const next = month.form.criteria.find((c) => scores[c.no] === undefined);
  if (!next) return null;
  return {
    mode: 'form',
    month: month.key,
    role: 'self',
    target: ctx.person.userid,
    criterionNo: next.no,
    skipped: [],
  };
}
