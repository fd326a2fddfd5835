import type { Criterion, FormDefinition } from '../../assessment/form';

export { scoresOf } from '../../assessment/scores';
import { monthLabel, type MonthKey } from '../../assessment/month';
import { scoresOf, total, unanswered } from '../../assessment/scores';
import type { ButtonCard, ChoiceCard } from '../../channels/types';
import type { FormPart } from '../../store/models/assessment';
import type { Person } from '../../store/models/person';

/** The flow that handles taps on form cards. */
export const FORM_FLOW = 'form';

/** The card's question key and submit key; taps come back with these. */
export const SCORE_QUESTION = 'score';
export const SCORE_SUBMIT = 'score';

/** Whose form, in a few words: 自评 for oneself, 为某人评分 for a supervisor. */
export function formLabel(role: 'self' | 'supervisor', target: Person): string {
  return role === 'self' ? '自评' : `为${target.name}（${target.employeeNo}）评分`;
}

/** The card asking one criterion: its text, max points, a line of help, progress, every allowed score. */
export function criterionCard(input: {
  form: FormDefinition;
  criterion: Criterion;
  role: 'self' | 'supervisor';
  target: Person;
  month: MonthKey;
  current?: number;
  extraLines?: string[];
  /** A first line above everything else (the month's opening notice). */
  intro?: string;
}): Omit<ChoiceCard, 'type' | 'cardId'> {
  const { form, criterion, current } = input;
  const position = form.criteria.indexOf(criterion) + 1;
  const lines = [
    ...(input.intro ? [input.intro] : []),
    `${monthLabel(input.month)}${formLabel(input.role, input.target)} · 满分 ${criterion.max} 分`,
    criterion.help,
    ...(input.extraLines ?? []),
    '点选分数后按“确定”，或直接回复数字。',
  ];
  return {
    title: `${position}/${form.criteria.length} ${criterion.title}`,
    description: lines.join('\n'),
    questionKey: SCORE_QUESTION,
    options: Array.from({ length: criterion.max + 1 }, (_, s) => ({
      id: String(s),
      label: `${s}分`,
    })),
    selected: current === undefined ? undefined : String(current),
    submitKey: SCORE_SUBMIT,
    submitLabel: '确定',
  };
}

/** The same question as text, for an answer that cannot carry a card (a reply to typed text). */
export function criterionText(card: Omit<ChoiceCard, 'type' | 'cardId'>, max: number): string {
  const lines = card.description.split('\n').slice(0, -1);
  return [card.title, ...lines, `请回复 0 到 ${max} 的整数。`].join('\n');
}

/** Keys of the buttons on a form's summary card. */
export const SUMMARY_KEYS = { submit: 'submit', edit: 'edit', resume: 'resume', next: 'next' };

/**
 * The summary as a card: every score and the total, with 提交 and 修改 when
 * the form is complete (继续填写 when not); once submitted, locked.
 */
export function summaryCard(
  input: Parameters<typeof summaryText>[0],
): Omit<ButtonCard, 'type' | 'cardId'> {
  const lines = summaryText(input).split('\n');
  const missing = unanswered(input.form, scoresOf(input.part)).length > 0;
  const buttons =
    input.part.status === 'submitted'
      ? []
      : missing
        ? [{ key: SUMMARY_KEYS.resume, label: '继续填写', typed: '/skip' }]
        : [
            { key: SUMMARY_KEYS.submit, label: '提交', typed: '/submit' },
            { key: SUMMARY_KEYS.edit, label: '修改', secondary: true, typed: '/back' },
          ];
  return {
    title: lines[0]!,
    description: lines.slice(1, -1).join('\n'),
    buttons,
    ...(input.part.status === 'submitted' ? { lockedLabel: '已提交' } : {}),
  };
}

/** The summary before submitting: every score, the total, what is missing and what to do next. */
export function summaryText(input: {
  form: FormDefinition;
  part: FormPart;
  role: 'self' | 'supervisor';
  target: Person;
  month: MonthKey;
  extraLines?: string[];
}): string {
  const { form, part } = input;
  const scores = scoresOf(part);
  const rows = form.criteria.map((c) => {
    const score = scores[c.no];
    const remark = part.remarks.get(String(c.no));
    return `${c.no}. ${short(c.title)} ${score === undefined ? '未评' : `${score}/${c.max}`}${remark ? `（备注：${remark}）` : ''}`;
  });
  const missing = unanswered(form, scores).map((c) => c.no);
  const head = `${monthLabel(input.month)}${formLabel(input.role, input.target)}${part.status === 'submitted' ? '（已提交）' : ''}`;
  const tail =
    part.status === 'submitted'
      ? ['如需修改，回复 /edit（修改）。']
      : missing.length > 0
        ? [
            `还有第 ${missing.join('、')} 项未评分。回复 /back 返回上一项，或 /self、/review 工号 从未评的项继续。`,
          ]
        : ['确认无误请回复 /submit（提交）；回复“备注 文字”可添加整体备注；/back 返回修改。'];
  return [
    head,
    ...rows,
    `合计：${total(form, scores)} 分`,
    ...(part.remark ? [`整体备注：${part.remark}`] : []),
    ...(input.extraLines ?? []),
    ...tail,
  ].join('\n');
}

function short(title: string): string {
  return title.length > 14 ? `${title.slice(0, 14)}…` : title;
}
