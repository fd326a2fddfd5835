import { departmentOf } from '../../assessment/department';
import type { Criterion, FormDefinition, FormRole } from '../../assessment/form';
import type { MonthKey } from '../../assessment/month';
import { parseScore } from '../../assessment/scores';
import { parseScoreList } from '../../assessment/score-list';
import { assertSubmittable, editRight } from '../../assessment/states';
import type { BotContext } from '../../bot/context';
import type { ConversationStore, FormPosition } from '../../bot/conversation';
import { userError } from '../../lib/errors';
import type { AssessmentDoc } from '../../store/models/assessment';
import type { MonthDoc } from '../../store/models/month';
import type { Person } from '../../store/models/person';
import type { AssessmentService } from './assessment-service';
import { nextCriterion } from './form-steps';
import { offerNext } from './next-person';
import {
  criterionCard,
  criterionText,
  formLabel,
  scoresOf,
  summaryCard,
  summaryText,
} from './texts';

/** Extra lines shown with a criterion while scoring it (e.g. the month's recorded evidence). */
export type CriterionNotes = (form: Loaded, criterion: Criterion) => Promise<string[]>;

/** Extra lines shown on a form's summary (e.g. line 12 before the supervisor submits). */
export type SummaryNotes = (form: Loaded) => Promise<string[]>;

/** Everything about the form a position points at, freshly read. */
export interface Loaded {
  pos: FormPosition;
  month: MonthDoc;
  target: Person;
  doc: AssessmentDoc;
  form: FormDefinition;
}

export { FORM_FLOW } from './texts';
import { FORM_FLOW } from './texts';

/**
 * Walks a person through one form a criterion at a time, for a self-assessment
 * and a supervisor's review alike. The conversation position is a convenience:
 * the draft lives in the database, and a card tap carries its own position.
 */
export class FormFlow {
  constructor(
    private readonly service: AssessmentService,
    private readonly conversations: ConversationStore,
    private readonly notes: CriterionNotes = async () => [],
    private readonly summaryNotes: SummaryNotes = async () => [],
  ) {}

  /** Starts or resumes a form at its first unanswered criterion; a finished one shows its summary. */
  async begin(ctx: BotContext, monthKey: string, role: FormRole, target: Person): Promise<void> {
    const pos: FormPosition = {
      mode: 'form',
      month: monthKey,
      role,
      target: target.userid,
      criterionNo: null,
      skipped: [],
    };
    const loaded = await this.load(ctx, pos);
    const part = loaded.doc[role];
    const next = part.status === 'draft' ? nextCriterion(loaded, null) : undefined;
    // A form is started with a card to tap (a typed command cannot get one back inline).
    if (next) await this.ask(ctx, loaded, next, { card: true });
    else await this.summary(ctx, loaded);
  }

  /** Fills every criterion at once from a typed list of scores, then shows the summary. */
  async fillAll(ctx: BotContext, pos: FormPosition, input: string): Promise<void> {
    const loaded = await this.load(ctx, pos);
    const scores = parseScoreList(loaded.form, input);
    const written = await this.service.setScores(this.change(ctx, pos), scores);
    if (!written)
      throw userError('conflict', '这张表已提交，不能再改。如需修改，回复 /edit（修改）。');
    await this.summary(ctx, { ...loaded, doc: written.doc });
  }

  /** Takes a score for criterion `no`, typed or tapped, then moves on. */
  async answer(
    ctx: BotContext,
    pos: FormPosition,
    no: number,
    input: string,
    tapped?: { cardId: string; updateToken?: string },
  ): Promise<void> {
    // The score's own write returns the form: no read of it first.
    const loaded = await this.load(ctx, pos, { doc: false });
    const criterion = loaded.form.criteria.find((c) => c.no === no);
    if (!criterion) throw userError('invalid_input', '这一项已不在表中。');
    const score = parseScore(criterion, input);
    const written = await this.service.setScore(this.change(ctx, pos), no, score);
    if (!written)
      throw userError('conflict', `这张表已提交，不能再改。如需修改，回复 /edit（修改）。`);
    if (tapped?.updateToken)
      ctx.markCard({
        cardId: tapped.cardId,
        updateToken: tapped.updateToken,
        doneLabel: `已选 ${score} 分`,
      });
    const after: Loaded = { ...loaded, doc: written.doc };
    const current = pos.criterionNo;
    if (
      tapped &&
      current !== null &&
      current !== no &&
      scoresOf(after.doc[pos.role])[current] === undefined
    ) {
      // A tap on an older card: that criterion changed; the one being asked is still open.
      ctx.reply(`第 ${no} 项已改为 ${score} 分。`);
      return this.ask(
        ctx,
        after,
        loaded.form.criteria.find((c) => c.no === current)!,
      );
    }
    const next = nextCriterion(after, no);
    if (next) await this.ask(ctx, after, next);
    else await this.summary(ctx, after);
  }

  /** Goes back one criterion (from the summary: to the last one). */
  async back(ctx: BotContext, pos: FormPosition): Promise<void> {
    const loaded = await this.load(ctx, pos);
    const criteria = loaded.form.criteria;
    const index =
      pos.criterionNo === null
        ? criteria.length
        : criteria.findIndex((c) => c.no === pos.criterionNo);
    if (index <= 0) ctx.reply('已经是第一项了。');
    await this.ask(ctx, loaded, criteria[Math.max(0, index - 1)]!);
  }

  /** Leaves the current criterion for later. */
  async skip(ctx: BotContext, pos: FormPosition): Promise<void> {
    const loaded = await this.load(ctx, pos);
    if (pos.criterionNo === null) return this.summary(ctx, loaded);
    loaded.pos = { ...pos, skipped: [...new Set([...pos.skipped, pos.criterionNo])] };
    const next = nextCriterion(loaded, pos.criterionNo, false);
    if (next) await this.ask(ctx, loaded, next);
    else await this.summary(ctx, loaded);
  }

  /** Submits the form once every criterion has a score. */
  async submit(ctx: BotContext, pos: FormPosition): Promise<void> {
    const loaded = await this.load(ctx, pos);
    const scores = scoresOf(loaded.doc[pos.role]);
    assertSubmittable(loaded.form, scores);
    const result = await this.service.submit(this.change(ctx, pos));
    if (!result) throw userError('conflict', '提交没有成功，请重试。');
    // The position stays on the submitted form, so /edit right after reopens it.
    await this.conversations.set(ctx.person.userid, { ...pos, criterionNo: null, skipped: [] });
    const totalScore = Object.values(scores).reduce((a, b) => a + b, 0);
    const label = formLabel(pos.role, loaded.target);
    ctx.reply(
      result.changed
        ? `已提交${label}，合计 ${totalScore} 分。谢谢！`
        : `${label}已经提交过了，合计 ${totalScore} 分。`,
    );
    if (pos.role === 'supervisor') await offerNext(ctx, this.service, pos);
  }

  /** Stops for now; the draft stays. */
  async cancel(ctx: BotContext, pos: FormPosition): Promise<void> {
    await this.conversations.clear(ctx.person.userid);
    const resume = pos.role === 'self' ? '/self' : '/review 工号';
    ctx.reply(`好的，已保存草稿。随时发送 ${resume} 继续。`);
  }

  /** Adds a remark to the current criterion, or to the whole form at the summary. */
  async remark(ctx: BotContext, pos: FormPosition, text: string): Promise<void> {
    if (!text)
      throw userError('invalid_input', '请在“备注”后面写上内容，例如：备注 本月加班较多。');
    if (text.length > 200) throw userError('invalid_input', '备注太长了，请控制在 200 字以内。');
    await this.load(ctx, pos);
    const written = await this.service.setRemark(this.change(ctx, pos), pos.criterionNo, text);
    if (!written)
      throw userError('conflict', '这张表已提交，不能再改。如需修改，回复 /edit（修改）。');
    ctx.reply(
      pos.criterionNo === null ? '已添加整体备注。' : `已为第 ${pos.criterionNo} 项添加备注。`,
    );
  }

  /** Reopens a submitted form so its author can change it (while the month is open), at item `at`. */
  async edit(ctx: BotContext, pos: FormPosition, at?: number): Promise<void> {
    const loaded = await this.load(ctx, pos);
    const criterion =
      at === undefined ? loaded.form.criteria[0]! : loaded.form.criteria.find((c) => c.no === at);
    if (!criterion)
      throw userError(
        'invalid_input',
        `没有第 ${at} 项。请回复 /edit 或 /edit 1 到 ${loaded.form.criteria.length}。`,
      );
    if (loaded.doc[pos.role].status === 'submitted') {
      const result = await this.service.reopen(this.change(ctx, pos));
      if (result) loaded.doc = result.doc;
      ctx.reply('已重新打开，可以修改。改完请回复 /submit 再次提交。');
    }
    await this.ask(ctx, loaded, criterion);
  }

  /** A person on the roster, by userid; a user-facing error when gone. */
  async person(userid: string): Promise<Person> {
    const person = await this.service.person(userid);
    if (!person?.active) throw userError('not_found', '找不到这个人员了。发送 /review 查看名单。');
    return person;
  }

  /** Reads the month, the person and the form, and checks that this person may change it. */
  async load(ctx: BotContext, pos: FormPosition, options: { doc?: boolean } = {}): Promise<Loaded> {
    // One's own form needs no second read of oneself.
    const target =
      pos.target === ctx.person.userid ? ctx.person : await this.service.person(pos.target);
    // The month is the target's department's. An open one came with the event's one read;
    // only a closed one is read here.
    const department = target ? departmentOf(target) : undefined;
    const month =
      ctx.openMonth(pos.month, department) ?? (await this.service.month(pos.month, department));
    if (!month || !target)
      throw userError('not_found', '找不到这张表了。发送 /help 查看可用的命令。');
    const isAuthor =
      pos.role === 'self'
        ? target.userid === ctx.person.userid
        : target.supervisorUserid === ctx.person.userid;
    const right = editRight(month.status, pos.role, { isAuthor, isManager: false });
    if (!right.allowed) throw userError('forbidden', right.message);
    if (options.doc === false) return { pos, month, target, doc: undefined!, form: month.form };
    const { doc } = await this.service.form(month, target, pos.role);
    return { pos, month, target, doc, form: month.form };
  }

  /**
   * Asks one criterion on a card. Answering typed text inside its callback,
   * the same question goes back as text instead, unless `card` insists.
   */
  private async ask(
    ctx: BotContext,
    loaded: Loaded,
    criterion: Criterion,
    options: { card?: boolean } = {},
  ): Promise<void> {
    const pos: FormPosition = { ...loaded.pos, criterionNo: criterion.no };
    const current = scoresOf(loaded.doc[pos.role])[criterion.no];
    const card = criterionCard({
      form: loaded.form,
      criterion,
      role: pos.role,
      target: loaded.target,
      month: pos.month as MonthKey,
      current,
      extraLines: await this.notes({ ...loaded, pos }, criterion),
    });
    ctx.replyCard(
      card,
      FORM_FLOW,
      { month: pos.month, role: pos.role, target: pos.target, criterionNo: criterion.no },
      options.card ? {} : { inlineText: criterionText(card, criterion.max) },
    );
    await this.conversations.set(ctx.person.userid, pos);
  }

  /** The summary, on a card with 提交 and 修改 (as text when answering typed text inline). */
  private async summary(ctx: BotContext, loaded: Loaded): Promise<void> {
    const pos: FormPosition = { ...loaded.pos, criterionNo: null };
    const input = {
      form: loaded.form,
      part: loaded.doc[pos.role],
      role: pos.role,
      target: loaded.target,
      month: pos.month as MonthKey,
      extraLines: await this.summaryNotes({ ...loaded, pos }),
    };
    ctx.replyButtons(
      summaryCard(input),
      FORM_FLOW,
      { month: pos.month, role: pos.role, target: pos.target, summary: true },
      { inlineText: summaryText(input) },
    );
    await this.conversations.set(ctx.person.userid, pos);
  }

  private change(ctx: BotContext, pos: FormPosition) {
    return {
      month: pos.month,
      userid: pos.target,
      role: pos.role,
      actor: ctx.person.userid,
      now: ctx.now,
    };
  }
}
