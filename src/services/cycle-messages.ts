import { monthLabel, type MonthKey } from '../assessment/month';
import { scoresOf } from '../assessment/scores';
import type { AssessmentDoc } from '../store/models/assessment';
import type { MonthDoc } from '../store/models/month';
import type { Person } from '../store/models/person';
import type { RecordDoc } from '../store/models/record';
import type { PersonResult } from './results';

const label = (month: MonthDoc) => monthLabel(month.key as MonthKey);

/** The opening line on a staff member's first card of the month. */
export function openNotice(month: MonthDoc, person: Person): string {
  return `${person.name},${label(month)}考核开始了,请完成自评。`;
}

/** A reminder to staff whose self-assessment is not in. */
export function staffReminder(month: MonthDoc, answered: number): string {
  const count = month.form.criteria.length;
  const progress = answered > 0 ? `已评 ${answered}/${count} 项,` : '';
  return `提醒:${label(month)}自评还没有提交,${progress}请发送 /self 完成。`;
}

/** The request to a supervisor to score their team, with the names. */
export function supervisorRequest(month: MonthDoc, pending: Person[]): string {
  const names = pending.map((p) => `${p.name}(${p.employeeNo})`).join('、');
  return `${label(month)}考核:请为以下 ${pending.length} 人评分:${names}。发送 /review 工号 开始,例如 /review ${pending[0]!.employeeNo}。`;
}

/** A reminder to a supervisor with forms still pending. */
export function supervisorReminder(month: MonthDoc, pending: Person[]): string {
  const names = pending.map((p) => `${p.name}(${p.employeeNo})`).join('、');
  return `提醒:${label(month)}还有 ${pending.length} 人未评分:${names}。发送 /review 查看。`;
}

const KIND: Record<string, string> = {
  daily: '日常检查',
  praise: '表扬',
  complaint: '投诉',
  spot: '抽查',
  other: '其他',
};
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** Each line-12 record with its reason. */
export function recordLines(records: RecordDoc[]): string[] {
  return records.map((r) => `· ${KIND[r.kind] ?? r.kind} ${signed(r.points)}:${r.reason}`);
}

/** An employee's result: each criterion self/supervisor, line 12 with reasons, the weighted final. */
export function resultNotice(
  month: MonthDoc,
  doc: AssessmentDoc,
  result: PersonResult,
  records: RecordDoc[],
): string {
  const self = scoresOf(doc.self);
  const sup = scoresOf(doc.supervisor);
  const selfDone = doc.self.status === 'submitted';
  const supDone = doc.supervisor.status === 'submitted';
  const rows = month.form.criteria.map(
    (c) =>
      `${c.no}. 自评 ${selfDone ? (self[c.no] ?? '-') : '-'} / 主管 ${supDone ? (sup[c.no] ?? '-') : '-'}(满分 ${c.max})`,
  );
  const { weights, policies } = month.form;
  const selfLine = result.missingSelf
    ? `自评:未提交(按${policies.missingSelf === 'zero' ? ' 0 分' : '主管评分'}计)`
    : `自评合计:${result.selfTotal} 分`;
  const final =
    result.final === null
      ? '最终得分:主管未评分,待定。'
      : `最终得分:${weights.self}×${result.selfCounted} + ${weights.supervisor}×${result.supervisorTotal} ${result.adjustmentTotal < 0 ? '−' : '+'} ${Math.abs(result.adjustmentTotal)} = ${result.final} 分`;
  return [
    `${label(month)}考核结果`,
    ...rows,
    selfLine,
    `主管评分合计:${result.supervisorTotal ?? '未评分'}${result.supervisorTotal === null ? '' : ' 分'}`,
    `${month.form.adjustmentsTitle}:${signed(result.adjustmentTotal)}`,
    ...recordLines(records),
    final,
  ].join('\n');
}

/** The manager's summary at close: completion, average, lowest and highest, who is missing. */
export function closeSummary(
  month: MonthDoc,
  people: Map<string, Person>,
  results: PersonResult[],
): string {
  const name = (userid: string) => {
    const p = people.get(userid);
    return p ? `${p.name}(${p.employeeNo})` : userid;
  };
  const scored = results.filter((r) => r.final !== null).sort((a, b) => b.final! - a.final!);
  const selfDone = results.filter((r) => !r.missingSelf).length;
  const lines = [
    `${label(month)}考核已结束。`,
    `完成情况:自评 ${selfDone}/${results.length},主管评分 ${scored.length}/${results.length}`,
  ];
  if (scored.length > 0) {
    // Finals are in tenths; summing them as whole tenths keeps the average exact before rounding.
    const tenths = scored.reduce((s, r) => s + Math.round(r.final! * 10), 0);
    const average = Math.round(tenths / scored.length) / 10;
    const [best, worst] = [scored[0]!, scored.at(-1)!];
    lines.push(
      `平均分 ${average},最高 ${best.final}(${name(best.userid)}),最低 ${worst.final}(${name(worst.userid)})`,
    );
  }
  const missingSelf = results.filter((r) => r.missingSelf).map((r) => name(r.userid));
  const missingSup = results.filter((r) => r.missingSupervisor).map((r) => name(r.userid));
  lines.push(`未自评:${missingSelf.length ? missingSelf.join('、') : '无'}`);
  lines.push(`未评分:${missingSup.length ? missingSup.join('、') : '无'}`);
  lines.push(`发送 /report ${month.key} 查看详情。`);
  return lines.join('\n');
}

/** The answer to a reminder round: how many were reminded, staff and supervisors apart. */
export function remindReply(staff: number, supervisors: number): string {
  return `已提醒 ${staff + supervisors} 人(员工 ${staff} 人,主管 ${supervisors} 人)。`;
}

/** The answer to closing a month. */
export function closeReply(key: MonthKey, notified: number): string {
  return `已结束${monthLabel(key)}考核,已向 ${notified} 人发送结果,汇总已发给经理。`;
}
