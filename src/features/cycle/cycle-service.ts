import { DEFAULT_DEPARTMENT, departmentOf } from '../../assessment/department';
import { scoresOf } from '../../assessment/scores';
import type { MonthKey } from '../../assessment/month';
import { userError } from '../../lib/errors';
import { MessageBatch } from '../../messaging/message-batch';
import type { AssessmentDoc } from '../../store/models/assessment';
import type { MonthDoc } from '../../store/models/month';
import type { Person } from '../../store/models/person';
import { openingPages } from './opening-pages';
import * as text from './texts';
import { immediately, type CycleDeps, type RunReport, type Timing } from './cycle-types';
import { resultOf } from '../../assessment/results';

export type { CycleDeps, OpeningCard, ResultCard, RunReport, Timing } from './cycle-types';
export { immediately } from './cycle-types';

/**
 * The month's cycle: open, remind, ask supervisors, close. Used by the
 * schedule and by the manager's commands alike. Every notification has a
 * durable key (month, person, kind, round), so repeating a run — a second
 * instance, a restart half way, a repeated command — sends nothing twice.
 */
export class CycleService {
  constructor(private readonly deps: CycleDeps) {}

  /** Opens the department's `key` (if not yet open) and sends each of its active staff the first criterion card. */
  async open(
    key: MonthKey,
    actor: string,
    timing: Timing = immediately,
    department = DEFAULT_DEPARTMENT,
  ): Promise<RunReport> {
    const now = this.deps.clock.now();
    const existing = await this.deps.months.get(key, department);
    if (existing?.status === 'closed') throw userError('conflict', text.closedCannotOpen(key));
    const form = this.deps.form(department);
    const opened = await this.deps.months.openMonth(key, form, actor, now, department);
    const { month, created } = opened;
    // A page of the roster at a time, its forms and cards stored in a few bulk writes, so the
    // open never holds the whole month. Every write is keyed: an open run again (a crash half
    // way, a second instance) stores and sends only what is missing.
    const unsupervised: Person[] = [];
    let notified = 0;
    let staff = 0;
    for await (const { people, formOf, activeSupervisors } of openingPages(this.deps, month, now)) {
      staff += people.length;
      const batches: MessageBatch[] = [];
      for (const person of people) {
        if (!activeSupervisors.has(person.supervisorUserid ?? '')) unsupervised.push(person);
        const doc = formOf.get(person.userid)!;
        if (doc.self.status === 'submitted') continue;
        const batch = new MessageBatch(
          person.userid,
          person.platform,
          `${key}:${person.userid}:open`,
          timing(now),
        );
        // One card carries the opening notice: one message per person keeps the fan-out short.
        const opening = this.deps.openingCard(month, person, doc, text.openNotice(month, person));
        batch.card({ type: 'choice', ...opening.card }, opening.flow, opening.data);
        batches.push(batch);
      }
      const fresh = await MessageBatch.flushAll(batches, this.deps.models, this.deps.outbox, now);
      notified += fresh.size;
    }
    if (unsupervised.length > 0) {
      // A person without an active supervisor would never be scored: the manager must know now.
      const names = unsupervised.map((p) => `${p.name}（${p.employeeNo}）`).join('、');
      for (const manager of await this.deps.people.activeWithRole('manager', department)) {
        const notice = text.unsupervisedNotice(names);
        await MessageBatch.tell(
          this.deps,
          manager,
          `${key}:${manager.userid}:unsupervised`,
          notice,
          now,
          timing(now),
        );
      }
    }
    return { month: key, notified, staff, created };
  }

  /** Reminds everyone behind, staff and supervisors alike, in one round (the manager's /remind). */
  async remindBehind(
    key: MonthKey,
    round: string,
    timing: Timing = immediately,
    department = DEFAULT_DEPARTMENT,
  ): Promise<{ staff: RunReport; supervisors: RunReport }> {
    const staff = await this.remindStaff(key, round, timing, department);
    const supervisors = await this.remindSupervisors(key, round, timing, department);
    return { staff, supervisors };
  }

  /** Reminds staff whose self-assessment is not submitted; `round` names this reminder (a date, or a command's id). */
  async remindStaff(
    key: MonthKey,
    round: string,
    timing: Timing = immediately,
    department = DEFAULT_DEPARTMENT,
  ): Promise<RunReport> {
    const month = await this.requireOpen(key, department);
    const now = this.deps.clock.now();
    let notified = 0;
    for (const person of await this.staffOf(month)) {
      const doc = await this.deps.assessments.get(key, person.userid);
      if (!doc || doc.self.status === 'submitted') continue;
      const reminder = text.staffReminder(month, Object.keys(scoresOf(doc.self)).length);
      const messageKey = `${key}:${person.userid}:remind-self:${round}`;
      if (await MessageBatch.tell(this.deps, person, messageKey, reminder, now, timing(now)))
        notified += 1;
    }
    return { month: key, notified, staff: notified };
  }

  /** Asks each supervisor to score their team (once per month), listing the names. */
  async askSupervisors(
    key: MonthKey,
    timing: Timing = immediately,
    department = DEFAULT_DEPARTMENT,
  ): Promise<RunReport> {
    return this.toSupervisors(key, department, 'ask', timing, text.supervisorRequest);
  }

  /** Reminds supervisors with forms still pending. */
  async remindSupervisors(
    key: MonthKey,
    round: string,
    timing: Timing = immediately,
    department = DEFAULT_DEPARTMENT,
  ): Promise<RunReport> {
    const kind = `remind-review:${round}`;
    return this.toSupervisors(key, department, kind, timing, text.supervisorReminder);
  }

  /**
   * Closes the month: forms are locked, every result computed and stored, each
   * employee told theirs, the managers sent a summary, and /report's summary stored
   * (storeSummary). Run again (a crash, twice) it finishes what is missing, sending nothing new.
   */
  async close(
    key: MonthKey,
    actor: string,
    timing: Timing = immediately,
    department = DEFAULT_DEPARTMENT,
  ): Promise<RunReport> {
    const now = this.deps.clock.now();
    const before = await this.deps.months.get(key, department);
    if (!before) throw userError('not_found', text.notStarted(key));
    await this.deps.months.closeMonth(key, actor, now, department);
    const month = (await this.deps.months.get(key, department))!;
    const records = await this.deps.records.counting(key);
    const people = new Map((await this.deps.people.all()).map((p) => [p.userid, p]));
    // Only this department's people: another department's month closes on its own.
    const ours = (userid: string) => {
      const p = people.get(userid);
      return p?.active === true && departmentOf(p) === department;
    };
    const docs = (await this.deps.assessments.forMonth(key)).filter((d) => ours(d.userid));
    const results = [];
    let notified = 0;
    for (const doc of docs) {
      const result = resultOf(month, doc, records);
      results.push(result);
      await this.deps.assessments.setResult(key, doc.userid, { ...result, computedAt: now });
      const person = people.get(doc.userid)!;
      const batch = new MessageBatch(
        person.userid,
        person.platform,
        `${key}:${person.userid}:result`,
        timing(now),
      );
      batch.add(
        text.resultNotice(
          month,
          doc,
          result,
          records.filter((r) => r.userid === doc.userid),
        ),
      );
      const card = this.deps.resultCard?.(month, person, result);
      if (card) batch.card({ type: 'buttons', ...card.card }, card.flow, card.data);
      notified += (await batch.flush(this.deps.models, this.deps.outbox, now)) > 0 ? 1 : 0;
    }
    for (const manager of await this.deps.people.activeWithRole('manager', department)) {
      const summary = text.closeSummary(month, people, results);
      await MessageBatch.tell(
        this.deps,
        manager,
        `${key}:${manager.userid}:summary`,
        summary,
        now,
        timing(now),
      );
    }
    await this.deps.storeSummary?.(key, department); // last: a close run again after a crash stores it then
    return { month: key, notified, staff: docs.length, created: before.status === 'open' };
  }

  /** Who is behind in an open month (null when not open): the manager's /close asks before closing over them. */
  async behind(
    key: MonthKey,
    department = DEFAULT_DEPARTMENT,
  ): Promise<{ month: MonthDoc; self: Person[]; supervisor: Person[] } | null> {
    const month = await this.deps.months.get(key, department);
    if (month?.status !== 'open') return null;
    const [self, supervisor]: [Person[], Person[]] = [[], []];
    for (const person of await this.staffOf(month)) {
      const doc = await this.deps.assessments.get(key, person.userid);
      if (doc?.self.status !== 'submitted') self.push(person);
      if (doc?.supervisor.status !== 'submitted') supervisor.push(person);
    }
    return { month, self, supervisor };
  }

  /** The department's latest open month, or null. */
  async latestOpen(department = DEFAULT_DEPARTMENT): Promise<MonthDoc | null> {
    return this.deps.months.current(department);
  }

  private async toSupervisors(
    key: MonthKey,
    department: string,
    kind: string,
    timing: Timing,
    message: (month: MonthDoc, pending: Person[]) => string,
  ): Promise<RunReport> {
    const month = await this.requireOpen(key, department);
    const now = this.deps.clock.now();
    const pendingBySupervisor = new Map<string, Person[]>();
    for (const person of await this.staffOf(month)) {
      const doc: AssessmentDoc | null = await this.deps.assessments.get(key, person.userid);
      if (!doc || doc.supervisor.status === 'submitted' || !doc.supervisorUserid) continue;
      pendingBySupervisor.set(doc.supervisorUserid, [
        ...(pendingBySupervisor.get(doc.supervisorUserid) ?? []),
        person,
      ]);
    }
    let notified = 0;
    for (const [supervisorId, pending] of pendingBySupervisor) {
      const supervisor = await this.deps.people.byUserid(supervisorId);
      if (!supervisor?.active) continue;
      const ask = message(month, pending);
      const messageKey = `${key}:${supervisor.userid}:${kind}`;
      if (await MessageBatch.tell(this.deps, supervisor, messageKey, ask, now, timing(now)))
        notified += 1;
    }
    return { month: key, notified, supervisors: notified };
  }

  private async requireOpen(key: MonthKey, department: string): Promise<MonthDoc> {
    const month = await this.deps.months.get(key, department);
    if (!month) throw userError('not_found', text.notStarted(key));
    if (month.status !== 'open') throw userError('conflict', text.closed(key));
    return month;
  }

  /** The month's department's active staff who were on the roster when it opened: people who joined later are not chased. */
  private async staffOf(month: MonthDoc): Promise<Person[]> {
    const staff = await this.deps.people.activeWithRole('staff', month.department);
    return staff.filter((p) => p.joinedAt <= month.openedAt);
  }
}
