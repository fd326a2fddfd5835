import { departmentOf } from '../../assessment/department';
import type { FormRole } from '../../assessment/form';
import { clipInput } from '../../lib/quote-input';
import { userError } from '../../lib/errors';
import type { Clock } from '../../lib/clock';
import type { AssessmentDoc } from '../../store/models/assessment';
import type { MonthDoc } from '../../store/models/month';
import type { Person } from '../../store/models/person';
import type { AssessmentRepository } from '../../store/repositories/assessments';
import type { MonthRepository } from '../../store/repositories/months';
import type { PeopleRepository } from '../../store/repositories/people';

/** A form being filled: the month (with its form), the person assessed, and their assessment. */
export interface OpenForm {
  month: MonthDoc;
  target: Person;
  role: FormRole;
  doc: AssessmentDoc;
}

/** Use cases of filling forms, shared by the chat flows and the scheduled jobs. */
export class AssessmentService {
  constructor(
    private readonly months: MonthRepository,
    private readonly assessments: AssessmentRepository,
    private readonly people: PeopleRepository,
    private readonly clock: Clock,
  ) {}

  /** The department's month being assessed now (its latest open one); a user-facing error when none is open. */
  async openMonth(department: string): Promise<MonthDoc> {
    const latest = await this.months.current(department);
    if (!latest) throw userError('not_found', '当前没有进行中的考核。考核开始时会通知你。');
    return latest;
  }

  /**
   * A form of `target` in a month (its key, or the month already read),
   * created as an empty draft when missing.
   */
  async form(of: string | MonthDoc, target: Person, role: FormRole): Promise<OpenForm> {
    const month = typeof of === 'string' ? await this.months.get(of, departmentOf(target)) : of;
    if (!month) throw userError('not_found', `${String(of)} 的考核还没有开始。`);
    // Read first: the form almost always exists; the upsert is for the first time only.
    const doc =
      (await this.assessments.get(month.key, target.userid)) ??
      (await this.assessments.ensure(
        month.key,
        target.userid,
        target.supervisorUserid,
        this.clock.now(),
      ));
    return { month, target, role, doc };
  }

  /** Who the supervisor of a 工号 is checked against; a user-facing error when `actor` may not score them. */
  async reviewTarget(actor: Person, employeeNo: string): Promise<Person> {
    const target = await this.people.byEmployeeNo(employeeNo);
    if (!target?.active)
      throw userError('not_found', `没有找到工号为 ${clipInput(employeeNo)} 的在职人员。`);
    if (target.supervisorUserid !== actor.userid) {
      throw userError('forbidden', `${target.name}（${target.employeeNo}）不是你负责评分的人员。`);
    }
    return target;
  }

  /** A department's month by its key, or null when it was never opened. */
  month(key: string, department?: string): Promise<MonthDoc | null> {
    return this.months.get(key, department);
  }

  /** The department's month being assessed now, or null when none is open (no error, unlike `openMonth`). */
  currentMonth(department: string): Promise<MonthDoc | null> {
    return this.months.current(department);
  }

  /** A person by their userid, or null. */
  person(userid: string): Promise<Person | null> {
    return this.people.byUserid(userid);
  }

  /** A person by their 工号, or null. */
  personByEmployeeNo(employeeNo: string): Promise<Person | null> {
    return this.people.byEmployeeNo(employeeNo);
  }

  /** The active people a supervisor scores. */
  teamOf(userid: string): ReturnType<PeopleRepository['teamOf']> {
    return this.people.teamOf(userid);
  }

  /** One person's assessment of a month, or null when none was created yet. */
  assessment(monthKey: string, userid: string): Promise<AssessmentDoc | null> {
    return this.assessments.get(monthKey, userid);
  }

  /** Writes several scores of a draft form at once. */
  setScores(...args: Parameters<AssessmentRepository['setScores']>) {
    return this.assessments.setScores(...args);
  }

  /** Writes one score of a draft form. */
  setScore(...args: Parameters<AssessmentRepository['setScore']>) {
    return this.assessments.setScore(...args);
  }

  /** Writes the supervisor's remark on a criterion. */
  setRemark(...args: Parameters<AssessmentRepository['setRemark']>) {
    return this.assessments.setRemark(...args);
  }

  /** Submits a form. */
  submit(...args: Parameters<AssessmentRepository['submit']>) {
    return this.assessments.submit(...args);
  }

  /** Takes a submitted form back to a draft (修改). */
  reopen(...args: Parameters<AssessmentRepository['reopen']>) {
    return this.assessments.reopen(...args);
  }
}
