import { shortName } from '../../assessment/form';
import { addMonths, monthLabel, type MonthKey } from '../../assessment/month';
import { scoresOf } from '../../assessment/scores';
import { KIND_NAMES } from '../../assessment/record-kinds';
import { averageOfFinals } from '../../assessment/rounding';
import { signed } from '../../lib/signed';
import type { AssessmentDoc } from '../../store/models/assessment';
import type { MonthDoc } from '../../store/models/month';
import type { Person } from '../../store/models/person';
import type { RecordDoc } from '../../store/models/record';
import type { PersonResult } from '../../assessment/results';

const label = (month: MonthDoc) => monthLabel(month.key as MonthKey);

/** The opening line on a staff member's first card of the month. */
export function openNotice(month: MonthDoc, person: Person): string {
  return `${person.name}，${label(month)}考核开始了，请完成自评。`;
}

/**
 * When the month's self-assessments are due: the scheduled close (a cron line
 * `m h d * *` in the schedule's zone, on the next month), e.g. `6月5日 09:00`;
 * null when the schedule does not name a fixed day.
 */
export function selfDeadline(month: MonthDoc): string | null {
  const close = (month.form as { schedule?: { close?: string } }).schedule?.close;
  const match = /^(\d{1,2}) (\d{1,2}) (\d{1,2}) \* \*$/.exec(close?.trim() ?? '');
  if (!match) return null;
  const [, minute, hour, day] = match.map(Number) as [number, number, number, number];
  const next = Number(addMonths(month.key as MonthKey, 1).slice(5));
  return `${next}月${day}日 ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** What a missing self-assessment counts as, in words: `按 0 分计` or `按主管评分计`. */
export function missingSelfRule(month: MonthDoc): string {
  return month.form.policies.missingSelf === 'zero' ? '按 0 分计' : '按主管评分计';
}

/** A reminder to staff whose self-assessment is not in: progress, the deadline, what a miss costs. */
export function staffReminder(month: MonthDoc, answered: number): string {
  const count = month.form.criteria.length;
  const progress = answered > 0 ? `已评 ${answered}/${count} 项，` : '';
  const deadline = selfDeadline(month);
  const due = deadline ? `${deadline} 前未提交，` : '结束时仍未提交，';
  return `提醒：${label(month)}自评还没有提交，${progress}请发送 /self 完成。${due}自评${missingSelfRule(month)}。`;
}

/** The request to a supervisor to score their team, with the names. */
export function supervisorRequest(month: MonthDoc, pending: Person[]): string {
  const names = pending.map((p) => `${p.name}（${p.employeeNo}）`).join('、');
  return `${label(month)}考核：请为以下 ${pending.length} 人评分：${names}。发送 /review 工号 开始，例如 /review ${pending[0]!.employeeNo}。`;
}

/** A reminder to a supervisor with forms still pending. */
export function supervisorReminder(month: MonthDoc, pending: Person[]): string {
  const names = pending.map((p) => `${p.name}（${p.employeeNo}）`).join('、');
  return `提醒：${label(month)}还有 ${pending.length} 人未评分：${names}。发送 /review 查看。`;
}

/** Each line-12 record with its reason. */
export function recordLines(records: RecordDoc[]): string[] {
  return records.map((r) => `· ${KIND_NAMES[r.kind] ?? r.kind} ${signed(r.points)}：${r.reason}`);
}

/**
 * An employee's result as they can read it: each criterion by its short name
 * with both scores and the supervisor's remark, line 12 with each record's
 * reason and code (to appeal it), why the self part is what it is, and the
 * weighted formula.
 */
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
  const rows = month.form.criteria.flatMap((c) => {
    const remark = doc.supervisor.remarks.get(String(c.no));
    const line = `${c.no} ${shortName(c)} 自评 ${selfDone ? (self[c.no] ?? '-') : '-'} / 主管 ${supDone ? (sup[c.no] ?? '-') : '-'} / ${c.max}`;
    return remark ? [line, `  主管备注：${remark}`] : [line];
  });
  const { weights } = month.form;
  const twelve = month.form.criteria.length + 1;
  const lines = [
    `${label(month)}考核结果`,
    ...rows,
    `${twelve} ${month.form.adjustmentsTitle} ${signed(result.adjustmentTotal)}`,
    ...records.map(
      (r) => `· ${KIND_NAMES[r.kind] ?? r.kind} ${signed(r.points)}：${r.reason}（编号 ${r.code}）`,
    ),
    selfLine(month, doc, result),
    result.supervisorTotal === null
      ? '主管评分：未评分。'
      : `主管评分合计 ${result.supervisorTotal} 分。`,
  ];
  if (doc.supervisor.remark) lines.push(`主管总评：${doc.supervisor.remark}`);
  lines.push(
    result.final === null
      ? '最终得分：主管未评分，待定。'
      : `最终得分：${weights.self}×${result.selfCounted} + ${weights.supervisor}×${result.supervisorTotal} ${result.adjustmentTotal < 0 ? '−' : '+'} ${Math.abs(result.adjustmentTotal)} = ${result.final} 分`,
  );
  return lines.join('\n');
}

// A self part that did not count says why: not submitted by the deadline, however far the draft got.
function selfLine(month: MonthDoc, doc: AssessmentDoc, result: PersonResult): string {
  if (!result.missingSelf) return `自评合计 ${result.selfTotal} 分。`;
  const answered = Object.keys(scoresOf(doc.self)).length;
  const why =
    answered > 0
      ? `未提交（草稿已评 ${answered}/${month.form.criteria.length} 项，未提交的自评不计分）`
      : '截止时未提交';
  const counted =
    month.form.policies.missingSelf === 'zero'
      ? '按 0 分计'
      : `按主管评分 ${result.selfCounted ?? '-'} 分计`;
  return `自评：${why}，${counted}。`;
}

/** The manager's summary at close: completion, average, lowest and highest, who is missing. */
export function closeSummary(
  month: MonthDoc,
  people: Map<string, Person>,
  results: PersonResult[],
): string {
  const name = (userid: string) => {
    const p = people.get(userid);
    return p ? `${p.name}（${p.employeeNo}）` : userid;
  };
  const scored = results.filter((r) => r.final !== null).sort((a, b) => b.final! - a.final!);
  const selfDone = results.filter((r) => !r.missingSelf).length;
  const lines = [
    `${label(month)}考核已结束。`,
    `完成情况：自评 ${selfDone}/${results.length}，主管评分 ${scored.length}/${results.length}`,
  ];
  if (scored.length > 0) {
    const average = averageOfFinals(scored.map((r) => r.final!));
    const [best, worst] = [scored[0]!, scored.at(-1)!];
    lines.push(
      `平均分 ${average}，最高 ${best.final}（${name(best.userid)}），最低 ${worst.final}（${name(worst.userid)}）`,
    );
  }
  const missingSelf = results.filter((r) => r.missingSelf).map((r) => name(r.userid));
  const missingSup = results.filter((r) => r.missingSupervisor).map((r) => name(r.userid));
  lines.push(`未自评：${missingSelf.length ? missingSelf.join('、') : '无'}`);
  lines.push(`未评分：${missingSup.length ? missingSup.join('、') : '无'}`);
  lines.push(`发送 /report ${month.key} 查看详情。`);
  return lines.join('\n');
}

/** The answer to a reminder round: how many were reminded, staff and supervisors apart. */
export function remindReply(staff: number, supervisors: number): string {
  return `已提醒 ${staff + supervisors} 人（员工 ${staff} 人，主管 ${supervisors} 人）。`;
}

/** The manager's /close with people behind: who, what it costs them, and how to go ahead. */
export function closeAsk(month: MonthDoc, self: Person[], supervisor: Person[]): string {
  const key = month.key;
  const names = (xs: Person[]) => xs.map((p) => `${p.name}（${p.employeeNo}）`).join('、');
  const lines = [`${label(month)}还有人未完成：`];
  if (self.length > 0)
    lines.push(
      `未提交自评 ${self.length} 人：${names(self)}（结束后自评${missingSelfRule(month)}）`,
    );
  if (supervisor.length > 0)
    lines.push(`主管未评分 ${supervisor.length} 人：${names(supervisor)}（结束后最终得分待定）`);
  lines.push(`确认现在结束，请回复 /close ${key} 确认；也可以先发送 /remind ${key} 提醒。`);
  return lines.join('\n');
}

/** The answer to closing a month. */
export function closeReply(key: MonthKey, notified: number): string {
  return `已结束${monthLabel(key)}考核，已向 ${notified} 人发送结果，汇总已发给经理。`;
}

/** Refusal: a closed month cannot be opened again. */
export function closedCannotOpen(key: string): string {
  return `${key} 的考核已经结束，不能再开始。`;
}

/** Refusal: the month was never opened. */
export function notStarted(key: string): string {
  return `${key} 的考核还没有开始。`;
}

/** Refusal: the month is already closed. */
export function closed(key: string): string {
  return `${key} 的考核已经结束。`;
}

/** To the manager: people who cannot be scored because nobody active supervises them. */
export function unsupervisedNotice(names: string): string {
  return `注意：${names} 没有在职的主管，无法被评分。请更新名单。`;
}

/** A manager's command about someone of another department: refused, naming whose department it is. */
export function notOurs(person: { name: string; employeeNo: string }, department: string): string {
  return `${person.name}（${person.employeeNo}）不是${department}的人员，你只能处理本部门的考核。`;
}
