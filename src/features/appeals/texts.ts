/**
 * What the appeals feature says, in one place: short Simplified Chinese with
 * full-width punctuation. Functions of plain values, so tests read them as users do.
 */
import { shortName } from '../../assessment/form';
import { monthLabel, type MonthKey } from '../../assessment/month';
import type { AppealDoc, AppealTarget } from '../../store/models/appeal';
import type { MonthDoc } from '../../store/models/month';
import type { Person } from '../../store/models/person';

const label = (key: string) => monthLabel(key as MonthKey);

/** A person as named in messages: 张伟（K001）. */
export const named = (p: Pick<Person, 'name' | 'employeeNo'>) => `${p.name}（${p.employeeNo}）`;

/** What an appeal is about, in words: 整张表, 第 3 项（同事配合）, 第 12 项记录 A1B2C3. */
export function targetText(month: MonthDoc, target: AppealTarget): string {
  if (target.kind === 'form') return '整张表';
  if (target.kind === 'record') return `第 ${month.form.criteria.length + 1} 项记录 ${target.code}`;
  const c = month.form.criteria.find((x) => x.no === target.no);
  return `第 ${target.no} 项${c ? `（${shortName(c)}）` : ''}`;
}

export const APPEAL_FORMAT =
  '格式：申诉 理由（整张表），申诉 3 理由（第 3 项），申诉 12 理由（第 12 项奖惩记录）。';

export const NEED_REASON = `请写明申诉理由。${APPEAL_FORMAT}`;

/** Asked after a tap on 申诉. */
export const ASK_REASON =
  '请回复申诉理由。针对某一项请先写项号，例如：3 已按时完成指定任务；针对整张表直接写理由。';

/** The window ended: nothing changes. */
export function windowClosed(key: string, end: string): string {
  return `${label(key)}考核结果的申诉期已于 ${end} 结束，结果不再更改。如有疑问，请联系管理处经理。`;
}

/** The answer to 确认. */
export function confirmed(key: string, final: number | null): string {
  return `已确认${label(key)}考核结果${final === null ? '' : `，最终得分 ${final} 分`}。谢谢！`;
}

/** The appellant's receipt. */
export function appealReceived(month: MonthDoc, appeal: AppealDoc): string {
  return `已收到你对${label(month.key)}考核${targetText(month, appeal.target)}的申诉，编号 ${appeal.code}。主管和经理已收到通知，处理后会告诉你。`;
}

/** What the supervisor and the manager are told of a new appeal, with what they may answer. */
export function appealNotice(
  month: MonthDoc,
  appeal: AppealDoc,
  person: Person,
  forManager: boolean,
): string {
  const head = `申诉 ${appeal.code}：${named(person)}对${label(month.key)}考核${targetText(month, appeal.target)}提出申诉。理由：${appeal.reason}`;
  const how =
    appeal.target.kind === 'record'
      ? `/correct ${appeal.code} 理由 撤销该记录`
      : `/correct ${appeal.code} ${appeal.target.kind === 'form' ? '项号 ' : ''}分数 理由 更正`;
  const next = forManager
    ? `主管处理中；你可以 ${how}，或 /uphold ${appeal.code} 理由 维持原评分。`
    : `请 ${how}，或 /forward ${appeal.code} 理由 答复并转经理。`;
  return `${head}\n${next}`;
}

/** Where an undecided appeal stands. */
export function stageText(appeal: AppealDoc): string {
  return appeal.status === 'forwarded' ? '已转经理' : '主管处理中';
}

/** One line of /appeals. */
export function appealLine(month: MonthDoc, appeal: AppealDoc, person: Person | undefined): string {
  const who = person ? named(person) : appeal.userid;
  return `${appeal.code} ${who} ${label(month.key)} ${targetText(month, appeal.target)}：${appeal.reason}（${stageText(appeal)}）`;
}

/** The supervisor answered and passed it on: told to the manager. */
export function forwardedToManager(appeal: AppealDoc, person: Person, by: Person, reason: string) {
  return `${by.name}已答复${named(person)}的申诉 ${appeal.code} 并转经理：${reason}\n请 /correct ${appeal.code} 项号 分数 理由 更正，或 /uphold ${appeal.code} 理由 维持原评分。`;
}

/** The supervisor answered and passed it on: told to the appellant. */
export function forwardedToPerson(appeal: AppealDoc, reason: string): string {
  return `主管已答复你的申诉（编号 ${appeal.code}）：${reason}。已转经理复核，经理决定后会告诉你。`;
}

/** The manager kept the scores: told to the appellant. */
export function upheldToPerson(
  key: string,
  appeal: AppealDoc,
  reason: string,
  final: number | null,
) {
  return `经理维持你${label(key)}考核的原评分（申诉编号 ${appeal.code}）。理由：${reason}。最终得分 ${final ?? '待定'} 分。`;
}

/** A decision told to the other one who could have made it. */
export function decidedNote(
  appeal: AppealDoc,
  person: Person,
  by: Person,
  what: string,
  reason: string,
) {
  return `申诉 ${appeal.code}（${named(person)}）已由${by.name}${what}。理由：${reason}。`;
}

/** A reminder of appeals waiting for an answer. */
export function appealReminder(lines: string[], forManager: boolean): string {
  const how = forManager ? '请 /correct 或 /uphold 处理。' : '请 /correct 或 /forward 处理。';
  return [`提醒：有 ${lines.length} 条申诉等待处理：`, ...lines, how].join('\n');
}
