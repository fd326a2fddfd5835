import type { AssessmentDoc } from '../../store/models/assessment';
import type { MonthDoc } from '../../store/models/month';
import type { Person } from '../../store/models/person';
import type { AssessmentRepository } from '../../store/repositories/assessments';
import type { PeopleRepository } from '../../store/repositories/people';

// People a month's opening reads, stores and queues at a time.
const OPEN_PAGE = 1000;

/** One page of a month's opening: its staff, their forms, and which of their supervisors are active. */
export interface OpeningPage {
  people: Person[];
  formOf: Map<string, AssessmentDoc>;
  activeSupervisors: Set<string>;
}

/**
 * The staff a month is opened for (active, of its department, joined by its opening), a page at a
 * time by 工号, each page's forms created where missing: the open never holds
 * the whole roster or the whole month.
 */
export async function* openingPages(
  deps: { people: PeopleRepository; assessments: AssessmentRepository },
  month: MonthDoc,
  now: Date,
): AsyncGenerator<OpeningPage> {
  for (let after: string | null = null; ;) {
    const staff = await deps.people.activeWithRolePage('staff', after, OPEN_PAGE, {
      joinedBy: month.openedAt,
      department: month.department,
    });
    if (staff.length === 0) return;
    after = staff.at(-1)!.employeeNo;
    const supervisorIds = [...new Set(staff.flatMap((p) => p.supervisorUserid ?? []))];
    const [forms, activeSupervisors] = await Promise.all([
      deps.assessments.ensureMany(month.key, staff, now),
      deps.people.activeAmong(supervisorIds),
    ]);
    yield { people: staff, formOf: new Map(forms.map((d) => [d.userid, d])), activeSupervisors };
  }
}
