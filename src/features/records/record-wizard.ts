import type { Bot } from '../../bot/bot';
import type { BotContext } from '../../bot/context';
import { signed } from '../../lib/signed';
import type { RecordInput } from '../../assessment/record-input';
import { KIND_NAMES, type RecordKind } from '../../assessment/record-kinds';
import { limitsOf } from '../../channels';
import type { ChoiceOption } from '../../channels/types';
import { userError } from '../../lib/errors';
import type { RecordService } from './record-service';
import { describeRecord } from './record-service';
import type { StateStore } from '../../state/state-store';

/** The guided way to record: tap a person, a kind, the points and the criterion, then type the reason. */
export const RECORD_WIZARD = 'record-wizard';
const QUESTION = 'choice';
const STEPS = ['person', 'kind', 'points', 'criterion'] as const;
type Step = (typeof STEPS)[number];
type Draft = Partial<Omit<RecordInput, 'reason'>>;

// Long enough to type a reason; short enough that a forgotten draft does not swallow later text.
const DRAFT_TTL_MS = 10 * 60_000;

/** Starts the guided record card (`/log` with nothing after it). */
export async function startRecordWizard(ctx: BotContext, records: RecordService): Promise<void> {
  const { people } = await records.candidates(ctx.person);
  if (people.length === 0) throw userError('not_found', '没有你可以记录的人员。');
  if (people.length > limitsOf(ctx.event.platform).cardOptions) {
    throw userError('invalid_input', '人员较多，请直接输入：/log 工号 ±分 [类别] [#项号] 理由');
  }
  const options = people.map((p) => ({ id: p.employeeNo, label: `${p.name} ${p.employeeNo}` }));
  askStep(ctx, 'person', {}, options);
}

/** Registers the taps on the guided card and the typed reason that ends it. */
export function registerRecordWizard(bot: Bot, records: RecordService, state: StateStore): void {
  bot.action(RECORD_WIZARD, async (ctx, card, action) => {
    const { step, draft } = card.data as { step: Step; draft: Draft };
    const choice = action.selections[QUESTION]?.[0];
    if (choice === undefined) return ctx.reply('请先点选一项，再按“确定”。');
    if (action.updateToken)
      ctx.markCard({ cardId: card.cardId, updateToken: action.updateToken, doneLabel: '已选' });
    const next: Draft = { ...draft, ...answer(step, choice) };
    const following = STEPS[STEPS.indexOf(step) + 1];
    if (following) return askStep(ctx, following, next, await optionsFor(following, records, ctx));
    await state.set(`record-draft:${ctx.person.userid}`, JSON.stringify(next), DRAFT_TTL_MS);
    ctx.reply('最后，请回复理由（例如：业主送来感谢信）。');
  });

  bot.text(async (ctx, text) => {
    const key = `record-draft:${ctx.person.userid}`;
    const raw = await state.get(key);
    if (!raw) return false;
    const draft = JSON.parse(raw) as Draft;
    const input = { ...draft, reason: text.trim() } as RecordInput;
    const { record, target } = await records.recordInput(ctx.person, input, ctx.event.id);
    await state.delete(key);
    ctx.reply(
      `已记录 ${target.name}（${target.employeeNo}）：${describeRecord(record)}。编号 ${record.code}，已通知本人。`,
    );
    return true;
  });
}

function answer(step: Step, choice: string): Draft {
  switch (step) {
    case 'person':
      return { employeeNo: choice };
    case 'kind':
      return { kind: choice as RecordKind };
    case 'points':
      return { points: Number(choice) };
    case 'criterion':
      return { criterionNo: choice === '0' ? null : Number(choice) };
  }
}

async function optionsFor(
  step: Step,
  records: RecordService,
  ctx: BotContext,
): Promise<ChoiceOption[]> {
  const { month } = await records.candidates(ctx.person);
  if (step === 'kind') return Object.entries(KIND_NAMES).map(([id, label]) => ({ id, label }));
  if (step === 'points') {
    const { min, max } = month.form.policies.recordPoints;
    const all = Array.from({ length: max - min + 1 }, (_, i) => min + i).filter((p) => p !== 0);
    // A card holds few choices (the channel's limit): with wider bounds, the ones nearest zero are offered.
    const near = all
      .sort((a, b) => Math.abs(a) - Math.abs(b) || a - b)
      .slice(0, limitsOf(ctx.event.platform).cardOptions)
      .sort((a, b) => a - b);
    return near.map((p) => ({ id: String(p), label: signed(p) }));
  }
  return [
    { id: '0', label: '不对应具体项目' },
    ...month.form.criteria.map((c) => ({
      id: String(c.no),
      label: `${c.no}. ${c.title.slice(0, 12)}`,
    })),
  ];
}

const TITLES: Record<Step, string> = {
  person: '选择人员',
  kind: '选择类别',
  points: '选择分值（正为奖，负为罚）',
  criterion: '对应哪一项考核（可不选具体项目）',
};

function askStep(ctx: BotContext, step: Step, draft: Draft, options: ChoiceOption[]): void {
  const position = STEPS.indexOf(step) + 1;
  ctx.replyCard(
    {
      title: `记录奖惩 ${position}/${STEPS.length} ${TITLES[step]}`,
      description: '点选后按“确定”。也可直接输入：/log 工号 ±分 [类别] [#项号] 理由',
      questionKey: QUESTION,
      options,
      submitKey: 'next',
      submitLabel: '确定',
    },
    RECORD_WIZARD,
    { step, draft },
  );
}
