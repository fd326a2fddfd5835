import { monthLabel, type MonthKey } from '../../assessment/month';
import { userError } from '../../lib/errors';
import type { AppealDoc, AppealStatus, AppealTarget } from '../../store/models/appeal';
import type { Person } from '../../store/models/person';
import { departmentOf, managesDepartmentOf } from '../../assessment/department';
import { closedResult, tell, type AppealDeps, type ClosedResult } from './deps';
import * as text from './texts';
import { localMoment, windowEnd, windowOpen } from './window';

/** What a person typed after 申诉: an optional month and item number, then the reason (for line 12, led by a record code). */
export interface AppealInput {
  key?: MonthKey;
  no?: number;
  reason: string;
}

/**
 * Confirming and appealing a closed month's result, and answering appeals:
 * the supervisor corrects or answers and passes it to the manager, who
 * decides finally. Corrections go the way of /amend (CorrectionService), so
 * the result is computed again, the employee told and the audit trail kept.
 */
export class AppealService {
  constructor(private readonly deps: AppealDeps) {}

  /** 确认: the person accepts their result within the window. */
  async confirm(person: Person, key?: MonthKey): Promise<string> {
    const { month, doc } = await this.answerable(person, key);
    const open = (await this.deps.appeals.ofPerson(month.key, person.userid)).find(undecided);
    if (open)
      throw userError('conflict', `你的申诉（编号 ${open.code}）正在处理中，处理完会通知你。`);
    const now = this.deps.clock.now();
    const entry = { month: month.key, userid: person.userid, how: 'confirmed' as const, at: now };
    await this.deps.confirmations.confirm(entry, person.userid);
    return text.confirmed(month.key, doc.result?.final ?? null);
  }

  /** Whether `person` may still confirm or appeal (a tapped 申诉 checks before asking for the reason). */
  async assertCanAnswer(person: Person, key?: MonthKey): Promise<void> {
    await this.answerable(person, key, true);
  }

  /** 申诉: one criterion, a line-12 record or the whole form, with a reason; the supervisor and the manager are told at once. */
  async appeal(person: Person, input: AppealInput, requestKey: string): Promise<string> {
    if (!input.reason.trim()) throw userError('invalid_input', text.NEED_REASON);
    const { month, doc } = await this.answerable(person, input.key, true);
    const count = month.form.criteria.length;
    const { target, reason } = await this.targetOf(month.key, count, person, input);
    if (!reason) throw userError('invalid_input', text.NEED_REASON);
    const mine = await this.deps.appeals.ofPerson(month.key, person.userid);
    const same = mine.find((a) => undecided(a) && sameTarget(a.target, target));
    if (same) {
      throw userError(
        'conflict',
        `你对${text.targetText(month, target)}的申诉（编号 ${same.code}）正在处理中。`,
      );
    }
    const { appeal, created } = await this.deps.appeals.create({
      month: month.key,
      userid: person.userid,
      supervisorUserid: doc.supervisorUserid,
      target,
      reason,
      createdAt: this.deps.clock.now(),
      requestKey,
    });
    if (created) {
      const supervisor = doc.supervisorUserid
        ? await this.deps.people.byUserid(doc.supervisorUserid)
        : null;
      const managers = await this.deps.people.activeWithRole('manager', departmentOf(person));
      if (supervisor?.active && !managers.some((m) => m.userid === supervisor.userid)) {
        const notice = text.appealNotice(month, appeal, person, false);
        await tell(this.deps, supervisor, `appeal:${appeal.code}:to:${supervisor.userid}`, notice);
      }
      for (const manager of managers) {
        const notice = text.appealNotice(month, appeal, person, true);
        await tell(this.deps, manager, `appeal:${appeal.code}:to:${manager.userid}`, notice);
      }
    }
    return text.appealReceived(month, appeal);
  }

  /**
   * 更正 on appeal: the supervisor (while it is with them) or the manager
   * changes a score — or, for a line-12 record, voids it — with a reason.
   */
  async correct(
    actor: Person,
    code: string,
    change: { no?: number; score?: number; self?: boolean },
    reason: string,
    requestId: string,
  ): Promise<string> {
    const { appeal, person, isManager } = await this.decidable(actor, code, reason);
    const key = appeal.month as MonthKey;
    let done: { finalBefore: number | null; finalAfter: number | null };
    let what: string;
    if (appeal.target.kind === 'record') {
      const recordCode = appeal.target.code;
      await this.deps.recordService.void(actor, recordCode, reason, { onAppeal: true });
      what = `撤销了记录 ${recordCode}`;
      done = await this.deps.corrections.recompute({
        key,
        userid: person.userid,
        what: `第 12 项记录 ${recordCode} 已撤销，不再计分`,
        reason,
        requestId: `appeal:${appeal.code}`,
      });
    } else {
      const no = change.no ?? (appeal.target.kind === 'criterion' ? appeal.target.no : undefined);
      if (no === undefined || change.score === undefined) {
        throw userError('invalid_input', `格式：/correct ${appeal.code} 项号 分数 理由`);
      }
      const amended = await this.deps.corrections.amend({
        key,
        employeeNo: person.employeeNo,
        role: change.self ? 'self' : 'supervisor',
        criterionNo: no,
        score: change.score,
        reason,
        actor: actor.userid,
        requestId,
        department: departmentOf(person),
      });
      what = `更正了第 ${no} 项：${amended.before ?? '-'} → ${change.score} 分`;
      done = amended;
    }
    const from: AppealStatus[] = isManager ? ['open', 'forwarded'] : ['open'];
    const step = {
      at: this.deps.clock.now(),
      actor: actor.userid,
      action: 'correct' as const,
      reason,
    };
    await this.deps.appeals.advance(appeal.code, from, 'corrected', step, {
      before: { final: done.finalBefore },
      after: { final: done.finalAfter },
    });
    await this.tellOthers(appeal, person, actor, `处理：${what}`, reason);
    return `已处理申诉 ${appeal.code}：${what}，最终得分 ${done.finalBefore ?? '待定'} → ${done.finalAfter ?? '待定'}。已通知本人。`;
  }

  /** 转经理: the supervisor answers with a reason and passes the appeal to the manager. */
  async forward(actor: Person, code: string, reason: string): Promise<string> {
    const { appeal, person } = await this.decidable(actor, code, reason, 'supervisor');
    const step = {
      at: this.deps.clock.now(),
      actor: actor.userid,
      action: 'forward' as const,
      reason,
    };
    const moved = await this.deps.appeals.advance(appeal.code, ['open'], 'forwarded', step);
    if (!moved) throw userError('conflict', `申诉 ${appeal.code} 已经处理过了。`);
    for (const manager of await this.deps.people.activeWithRole('manager', departmentOf(person))) {
      const note = text.forwardedToManager(appeal, person, actor, reason);
      await tell(this.deps, manager, `appeal:${appeal.code}:forwarded:${manager.userid}`, note);
    }
    await tell(
      this.deps,
      person,
      `appeal:${appeal.code}:forwarded`,
      text.forwardedToPerson(appeal, reason),
    );
    return `已答复申诉 ${appeal.code} 并转经理，已通知本人。`;
  }

  /** 维持: the manager's final decision to keep the scores, with a reason. */
  async uphold(actor: Person, code: string, reason: string): Promise<string> {
    const { appeal, person } = await this.decidable(actor, code, reason, 'manager');
    const step = {
      at: this.deps.clock.now(),
      actor: actor.userid,
      action: 'uphold' as const,
      reason,
    };
    const moved = await this.deps.appeals.advance(
      appeal.code,
      ['open', 'forwarded'],
      'upheld',
      step,
    );
    if (!moved) throw userError('conflict', `申诉 ${appeal.code} 已经处理过了。`);
    const doc = await this.deps.assessments.get(appeal.month, person.userid);
    const final = doc?.result?.final ?? null;
    const note = text.upheldToPerson(appeal.month, appeal, reason, final);
    await tell(this.deps, person, `appeal:${appeal.code}:upheld`, note);
    await this.tellOthers(appeal, person, actor, '维持原评分', reason);
    return `已维持申诉 ${appeal.code} 的原评分，已通知本人。`;
  }

  /** The closed result `person` may still answer; a clear refusal once the window ended. */
  private async answerable(
    person: Person,
    key?: MonthKey,
    appealing = false,
  ): Promise<ClosedResult> {
    const found = await closedResult(this.deps, person, key);
    if (!windowOpen(found.month, this.deps.clock.now())) {
      const end = localMoment(windowEnd(found.month)!, this.deps.timeZone);
      throw userError('conflict', text.windowClosed(found.month.key, end));
    }
    if (found.doc.result?.final == null)
      throw userError('conflict', '你的主管评分未完成，最终得分待定，暂时不能确认或申诉。');
    if (await this.deps.confirmations.get(found.month.key, person.userid)) {
      const label = monthLabel(found.month.key as MonthKey);
      throw userError('conflict', `你已确认过${label}考核结果${appealing ? '，不能再申诉' : ''}。`);
    }
    return found;
  }

  /**
   * The appeal's target from what was typed: an item 1–11, line 12 (the
   * record whose code leads the reason, or the only one), or the whole form;
   * with the reason left once a record code is taken off it.
   */
  private async targetOf(
    key: string,
    count: number,
    person: Person,
    input: AppealInput,
  ): Promise<{ target: AppealTarget; reason: string }> {
    const reason = input.reason.trim();
    if (input.no === undefined) return { target: { kind: 'form' }, reason };
    if (input.no >= 1 && input.no <= count)
      return { target: { kind: 'criterion', no: input.no }, reason };
    const twelve = count + 1;
    if (input.no !== twelve) throw userError('invalid_input', `没有第 ${input.no} 项。`);
    const records = await this.deps.records.counting(key, person.userid);
    const [first = '', ...others] = reason.split(/\s+/);
    const named = records.find((r) => r.code === first.toUpperCase());
    if (named) return { target: { kind: 'record', code: named.code }, reason: others.join(' ') };
    if (records.length === 1) return { target: { kind: 'record', code: records[0]!.code }, reason };
    if (records.length === 0)
      throw userError('invalid_input', `你这个月没有第 ${twelve} 项的奖惩记录。`);
    const codes = records.map((r) => r.code).join('、');
    throw userError(
      'invalid_input',
      `请写明要申诉的记录编号（${codes}），例如：申诉 ${twelve} ${records[0]!.code} 理由`,
    );
  }

  /** An undecided appeal `actor` may answer now, with its person; a reason is required. */
  private async decidable(
    actor: Person,
    code: string,
    reason: string,
    only?: 'supervisor' | 'manager',
  ): Promise<{ appeal: AppealDoc; person: Person; isManager: boolean }> {
    const appeal = code ? await this.deps.appeals.byCode(code) : null;
    if (!appeal)
      throw userError('not_found', `没有编号为 ${code || '（空）'} 的申诉。发送 /appeals 查看。`);
    const person = (await this.deps.people.byUserid(appeal.userid))!;
    // A manager decides the appeals of their own department only.
    const isManager = managesDepartmentOf(actor, person);
    const isSupervisor = appeal.supervisorUserid === actor.userid;
    if (!isManager && !isSupervisor) throw userError('forbidden', '你不负责这条申诉。');
    if (only === 'supervisor' && !isSupervisor)
      throw userError('forbidden', '只有被申诉人的主管可以转经理；经理请用 /correct 或 /uphold。');
    if (only === 'manager' && !isManager)
      throw userError('forbidden', '维持原评分由经理决定；请用 /forward 编号 理由 转经理。');
    if (!undecided(appeal)) throw userError('conflict', `申诉 ${appeal.code} 已经处理过了。`);
    if (appeal.status === 'forwarded' && !isManager)
      throw userError('conflict', `申诉 ${appeal.code} 已转经理处理。`);
    if (!reason.trim()) throw userError('invalid_input', '请写明理由。');
    return { appeal, person, isManager };
  }

  /** The supervisor hears what the manager decided, and the manager what the supervisor did. */
  private async tellOthers(
    appeal: AppealDoc,
    person: Person,
    by: Person,
    what: string,
    reason: string,
  ) {
    const note = text.decidedNote(appeal, person, by, what, reason);
    const others = [
      ...(appeal.supervisorUserid
        ? [await this.deps.people.byUserid(appeal.supervisorUserid)]
        : []),
      ...(await this.deps.people.activeWithRole('manager', departmentOf(person))),
    ];
    const seen = new Set([by.userid]);
    for (const other of others) {
      if (!other?.active || seen.has(other.userid)) continue;
      seen.add(other.userid);
      await tell(this.deps, other, `appeal:${appeal.code}:decided:${other.userid}`, note);
    }
  }
}

/** Whether an appeal still waits for an answer. */
export const undecided = (a: AppealDoc) => a.status === 'open' || a.status === 'forwarded';

function sameTarget(a: AppealTarget, b: AppealTarget): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
