import { departmentOf, managesDepartmentOf } from '../../assessment/department';
import { parseRecordInput, type RecordInput } from '../../assessment/record-input';
import { KIND_NAMES } from '../../assessment/record-kinds';
import { signed } from '../../lib/signed';
import { clipInput } from '../../lib/quote-input';
import type { Clock } from '../../lib/clock';
import { userError } from '../../lib/errors';
import { MessageBatch } from '../../messaging/message-batch';
import type { Outbox } from '../../messaging/outbox';
import type { Models } from '../../store/models';
import type { MonthDoc } from '../../store/models/month';
import type { Person } from '../../store/models/person';
import type { RecordDoc } from '../../store/models/record';
import type { MonthRepository } from '../../store/repositories/months';
import type { PeopleRepository } from '../../store/repositories/people';
import type { RecordRepository } from '../../store/repositories/records';

/** One record as people read it: kind, points, reason, and its criterion when it has one. */
export function describeRecord(r: RecordDoc): string {
  return `${KIND_NAMES[r.kind]} ${signed(r.points)}：${r.reason}${r.criterionNo ? `（第 ${r.criterionNo} 项）` : ''}`;
}

/**
 * Recording what happens during the month (line 12): team leaders, supervisors
 * and the manager record praise, complaints, daily-check and spot-check
 * findings; the employee is told at once; the author or the manager may void a
 * record while the month is open.
 */
export class RecordService {
  constructor(
    private readonly deps: {
      models: Pick<Models, 'cards'>;
      months: MonthRepository;
      people: PeopleRepository;
      records: RecordRepository;
      outbox: Outbox;
      clock: Clock;
    },
  ) {}

  /** Records from a `/log` command; `requestKey` (the event id) makes a retried command record once. */
  async record(
    author: Person,
    args: string,
    requestKey: string,
  ): Promise<{ record: RecordDoc; target: Person; created: boolean }> {
    const month = await this.openMonth(author);
    return this.recordInput(
      author,
      parseRecordInput(args, month.form.policies.recordPoints),
      requestKey,
    );
  }

  /** Records what was already read (the typed command, or the guided card's answers). */
  async recordInput(
    author: Person,
    input: RecordInput,
    requestKey: string,
  ): Promise<{ record: RecordDoc; target: Person; created: boolean }> {
    const month = await this.openMonth(author);
    const bounds = month.form.policies.recordPoints;
    if (
      !Number.isInteger(input.points) ||
      input.points === 0 ||
      input.points < bounds.min ||
      input.points > bounds.max
    ) {
      throw userError(
        'invalid_input',
        `每条记录的分值须在 ${bounds.min} 到 ${bounds.max} 之间，且不能为 0。`,
      );
    }
    const target = await this.people.byEmployeeNo(input.employeeNo);
    if (!target?.active || !target.roles.includes('staff')) {
      throw userError('not_found', `没有找到工号为 ${clipInput(input.employeeNo)} 的在职员工。`);
    }
    if (target.userid === author.userid) throw userError('forbidden', '不能为自己记录。');
    if (!this.mayRecordFor(author, target, month)) {
      throw userError(
        'forbidden',
        `你不负责${target.name}（${target.employeeNo}），不能为其记录。`,
      );
    }
    if (
      input.criterionNo !== null &&
      !month.form.criteria.some((c) => c.no === input.criterionNo)
    ) {
      throw userError('invalid_input', `没有第 ${input.criterionNo} 项。`);
    }
    const now = this.deps.clock.now();
    const kind = input.kind ?? (author.roles.includes('manager') ? 'spot' : 'daily');
    const { record, created } = await this.deps.records.create({
      month: month.key,
      userid: target.userid,
      authorUserid: author.userid,
      kind,
      points: input.points,
      reason: input.reason,
      criterionNo: input.criterionNo,
      createdAt: now,
      requestKey,
    });
    if (month.form.policies.recordNotice === 'immediate') {
      await MessageBatch.tell(
        this.deps,
        target,
        `record:${record.code}:created`,
        `你有一条新的考核记录：${describeRecord(record)}。记录人：${author.name}，编号 ${record.code}。发送 /records 查看本月记录。`,
        now,
      );
      await this.deps.records.markNoticed([record.code]);
    }
    return { record, target, created };
  }

  /**
   * The daily digest (when records are not told at once): each employee gets
   * one message listing the records about them not yet told. `round` (the
   * local date) keys the messages, so a repeated run sends nothing twice.
   */
  async sendDigest(
    round: string,
    options: { department: string; notBefore?: Date },
  ): Promise<number> {
    // Records are kept by month key: the keys this department has open.
    const open = await this.deps.months.allOpen();
    const keys = new Set(
      open.filter((m) => departmentOf(m) === options.department).map((m) => m.key),
    );
    const pending = [];
    for (const key of keys)
      pending.push(...(await this.deps.records.unnoticed(key)).filter((r) => !r.voided));
    const byPerson = new Map<string, RecordDoc[]>();
    for (const r of pending) byPerson.set(r.userid, [...(byPerson.get(r.userid) ?? []), r]);
    const now = this.deps.clock.now();
    let told = 0;
    for (const [userid, records] of byPerson) {
      const person = await this.people.byUserid(userid);
      // Each department's digest tells its own people, at its own hour.
      if (!person?.active || departmentOf(person) !== options.department) continue;
      const lines = records.map((r) => `${r.code} ${describeRecord(r)}`);
      const digest = [
        `今天有 ${records.length} 条关于你的考核记录：`,
        ...lines,
        '发送 /records 查看本月全部记录。',
      ].join('\n');
      await MessageBatch.tell(
        this.deps,
        person,
        `record-digest:${round}:${userid}`,
        digest,
        now,
        options.notBefore,
      );
      await this.deps.records.markNoticed(records.map((r) => r.code));
      told += 1;
    }
    return told;
  }

  /**
   * Voids a record with a reason: its author or the manager, while its month
   * is open. `onAppeal`: an appeal upheld after close voids it (the appeal
   * checked who may decide; the correction's notice tells the employee).
   */
  async void(
    actor: Person,
    code: string,
    reason: string,
    options: { onAppeal?: boolean } = {},
  ): Promise<{ record: RecordDoc; target: Person }> {
    if (!reason)
      throw userError('invalid_input', '格式：/void 编号 理由，例如 /void A1B2C3 记录有误');
    const record = await this.deps.records.byCode(code);
    if (!record) throw userError('not_found', `没有编号为 ${clipInput(code)} 的记录。`);
    const appeal = options.onAppeal === true;
    const target = (await this.people.byUserid(record.userid))!;
    const mine = record.authorUserid === actor.userid || managesDepartmentOf(actor, target);
    if (!appeal && !mine) {
      throw userError('forbidden', '只有记录人或管理处经理可以撤销这条记录。');
    }
    const month = await this.deps.months.get(record.month, departmentOf(target));
    if (month?.status !== 'open' && !appeal)
      throw userError(
        'conflict',
        `${record.month} 的考核已经结束，记录不能再撤销；本人可在申诉期内申诉（申诉 12 ${record.code} 理由）。`,
      );
    const now = this.deps.clock.now();
    const voided = await this.deps.records.void(record.code, actor.userid, reason, now);
    if (!voided) throw userError('conflict', `记录 ${record.code} 已经撤销过了。`);
    if (appeal) return { record: voided, target };
    await MessageBatch.tell(
      this.deps,
      target,
      `record:${record.code}:voided`,
      `你的考核记录 ${record.code}（${describeRecord(record)}）已撤销，不再计分。理由：${reason}。`,
      now,
    );
    return { record: voided, target };
  }

  /** The records of a month that count (not voided), of one person or everyone. */
  counting(month: string, userid?: string): Promise<RecordDoc[]> {
    return this.deps.records.counting(month, userid);
  }

  /** A person's records of the open month, as lines, with line 12's total. */
  async list(viewer: Person, employeeNo?: string): Promise<string> {
    const month = await this.openMonth(viewer);
    const target = employeeNo ? await this.people.byEmployeeNo(employeeNo) : viewer;
    if (!target)
      throw userError('not_found', `没有找到工号为 ${clipInput(employeeNo ?? '')} 的人员。`);
    if (target.userid !== viewer.userid && !this.mayRecordFor(viewer, target, month)) {
      throw userError('forbidden', `你不能查看${target.name}（${target.employeeNo}）的记录。`);
    }
    const records = await this.deps.records.ofPerson(month.key, target.userid);
    const whose = target.userid === viewer.userid ? '你' : `${target.name}（${target.employeeNo}）`;
    if (records.length === 0) return `${whose}本月没有考核记录。`;
    const counting = records.filter((r) => !r.voided);
    const total = counting.reduce((s, r) => s + r.points, 0);
    const lines = records.map(
      (r) => `${r.code} ${describeRecord(r)}${r.voided ? '（已撤销）' : ''}`,
    );
    return [
      `${whose}本月的考核记录：`,
      ...lines,
      `合计 ${signed(total)} 分（${counting.length} 条有效）`,
    ].join('\n');
  }

  /** The staff `author` may record for, by 工号 (the guided card offers them). */
  async candidates(author: Person): Promise<{ month: MonthDoc; people: Person[] }> {
    const month = await this.openMonth(author);
    const staff = await this.people.activeWithRole('staff');
    return {
      month,
      people: staff.filter(
        (p) => p.userid !== author.userid && this.mayRecordFor(author, p, month),
      ),
    };
  }

  /**
   * Leaders record for their own team (or all their department's staff, when
   * configured), supervisors for theirs, the manager for their department's.
   */
  private mayRecordFor(author: Person, target: Person, month: MonthDoc): boolean {
    if (managesDepartmentOf(author, target)) return true;
    if (author.roles.includes('supervisor') && target.supervisorUserid === author.userid)
      return true;
    if (author.roles.includes('leader')) {
      return (
        (month.form.policies.leaderScope === 'all' &&
          departmentOf(target) === departmentOf(author)) ||
        target.supervisorUserid === author.supervisorUserid
      );
    }
    return false;
  }

  private get people(): PeopleRepository {
    return this.deps.people;
  }

  /** The open month of `author`'s department, where their records go. */
  private async openMonth(author: Person): Promise<MonthDoc> {
    const month = await this.deps.months.current(departmentOf(author));
    if (!month) throw userError('conflict', '当前没有进行中的考核，无法记录。');
    return month;
  }
}
