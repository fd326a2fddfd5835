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
    readonly months: MonthRepository,
    readonly assessments: AssessmentRepository,
    readonly people: PeopleRepository,
    private readonly clock: Clock,
  ) {}

  /** The month being assessed now (the latest open one); a user-facing error when none is open. */
  async openMonth(): Promise<MonthDoc> {
    const latest = await this.months.current();
    if (!latest) throw userError('not_found', '当前没有进行中的考核。考核开始时会通知你。');
    return latest;
  }

  /**
   * A form of `target` in a month (its key, or the month already read),
   * created as an empty draft when missing.
   */
  async form(of: string | MonthDoc, target: Person, role: FormRole): Promise<OpenForm> {
    const month = typeof of === 'string' ? await this.months.get(of) : of;
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
      throw userError('forbidden', `${target.name}(${target.employeeNo})不是你负责评分的人员。`);
    }
    return target;
  }
}
