import { monthLabel, type MonthKey } from '../../assessment/month';
import { clipInput } from '../../lib/quote-input';
import { userError } from '../../lib/errors';
import { MessageBatch } from '../../messaging/message-batch';
import type { Person } from '../../store/models/person';
import { resultOf } from '../../assessment/results';
import { departmentOf } from '../../assessment/department';
import type { CycleDeps } from './cycle-types';
import { notOurs } from './texts';

/** Changes to a month after it closed: only the manager, always with a reason, always audited. */
export class CorrectionService {
  constructor(
    /** The cycle's own parts; `storeSummary` stores the month's summary again, so /report shows the corrected figures. */
    private readonly deps: Pick<
      CycleDeps,
      | 'models'
      | 'months'
      | 'assessments'
      | 'people'
      | 'records'
      | 'outbox'
      | 'clock'
      | 'storeSummary'
    >,
  ) {}

  /**
   * The manager's correction of a closed month's form: one score changes, with
   * a reason; the result is computed again and the employee is told.
   */
  async amend(input: {
    key: MonthKey;
    employeeNo: string;
    role: 'self' | 'supervisor';
    criterionNo: number;
    score: number;
    reason: string;
    actor: string;
    requestId: string;
    /** The manager's department: only its people may be corrected by them. */
    department: string;
  }): Promise<{
    person: Person;
    before: number | null;
    finalBefore: number | null;
    finalAfter: number | null;
  }> {
    const person = await this.deps.people.byEmployeeNo(input.employeeNo);
    if (!person)
      throw userError('not_found', `没有找到工号为 ${clipInput(input.employeeNo)} 的人员。`);
    if (departmentOf(person) !== input.department)
      throw userError('forbidden', notOurs(person, input.department));
    const month = await this.deps.months.get(input.key, input.department);
    if (!month) throw userError('not_found', `${input.key} 的考核还没有开始。`);
    if (month.status !== 'closed') {
      throw userError('conflict', `${input.key} 的考核还在进行中，请由本人或主管修改（/edit）。`);
    }
    const criterion = month.form.criteria.find((c) => c.no === input.criterionNo);
    if (!criterion) throw userError('invalid_input', `没有第 ${input.criterionNo} 项。`);
    if (input.score < 0 || input.score > criterion.max) {
      throw userError(
        'invalid_input',
        `第 ${criterion.no} 项满分 ${criterion.max} 分，请输入 0 到 ${criterion.max} 之间的整数。`,
      );
    }
    const now = this.deps.clock.now();
    const existing = await this.deps.assessments.get(input.key, person.userid);
    if (!existing) throw userError('not_found', `${person.name} 没有 ${input.key} 的考核表。`);
    const change = {
      month: input.key,
      userid: person.userid,
      role: input.role,
      actor: input.actor,
      now,
      reason: input.reason,
    };
    const amended = (await this.deps.assessments.amendScore(change, criterion.no, input.score))!;
    const records = await this.deps.records.counting(input.key, person.userid);
    const result = resultOf(month, amended.doc, records);
    await this.deps.assessments.setResult(input.key, person.userid, { ...result, computedAt: now });
    // Rare enough that the whole summary is computed again.
    await this.deps.storeSummary?.(input.key, input.department);
    const finalBefore = existing.result?.final ?? null;
    const which = input.role === 'self' ? '自评' : '主管评分';
    await MessageBatch.tell(
      this.deps,
      person,
      `${input.key}:${person.userid}:amend:${input.requestId}`,
      `你的${monthLabel(input.key)}考核结果已更正：第 ${criterion.no} 项${which} ${amended.before ?? '-'} → ${input.score} 分。理由：${input.reason}。` +
        `最终得分：${finalBefore ?? '待定'} → ${result.final ?? '待定'}。`,
      now,
    );
    return { person, before: amended.before, finalBefore, finalAfter: result.final };
  }

  /**
   * Computes a closed month's result again after its line 12 changed (a record
   * voided on appeal) and tells the employee what changed and why.
   */
  async recompute(input: {
    key: MonthKey;
    userid: string;
    what: string;
    reason: string;
    requestId: string;
  }): Promise<{ finalBefore: number | null; finalAfter: number | null }> {
    const doc = await this.deps.assessments.get(input.key, input.userid);
    const person = await this.deps.people.byUserid(input.userid);
    if (!doc || !person) throw userError('not_found', `没有找到 ${input.key} 的考核表。`);
    const month = (await this.deps.months.get(input.key, departmentOf(person)))!;
    const now = this.deps.clock.now();
    const records = await this.deps.records.counting(input.key, input.userid);
    const result = resultOf(month, doc, records);
    await this.deps.assessments.setResult(input.key, input.userid, { ...result, computedAt: now });
    await this.deps.storeSummary?.(input.key, month.department);
    const finalBefore = doc.result?.final ?? null;
    await MessageBatch.tell(
      this.deps,
      person,
      `${input.key}:${person.userid}:recompute:${input.requestId}`,
      `你的${monthLabel(input.key)}考核结果已更正：${input.what}。理由：${input.reason}。` +
        `最终得分：${finalBefore ?? '待定'} → ${result.final ?? '待定'}。`,
      now,
    );
    return { finalBefore, finalAfter: result.final };
  }
}
