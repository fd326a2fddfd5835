import { departmentOf } from '../../assessment/department';
import { addMonths, monthLabel, type MonthKey } from '../../assessment/month';
import type { Clock } from '../../lib/clock';
import { userError } from '../../lib/errors';
import { MessageBatch } from '../../messaging/message-batch';
import type { Outbox } from '../../messaging/outbox';
import type { CorrectionService } from '../cycle/correction-service';
import type { RecordService } from '../records/record-service';
import type { Models } from '../../store/models';
import type { AssessmentDoc } from '../../store/models/assessment';
import type { MonthDoc } from '../../store/models/month';
import type { Person } from '../../store/models/person';
import type { AppealRepository } from '../../store/repositories/appeals';
import type { AssessmentRepository } from '../../store/repositories/assessments';
import type { ConfirmationRepository } from '../../store/repositories/confirmations';
import type { MonthRepository } from '../../store/repositories/months';
import type { PeopleRepository } from '../../store/repositories/people';
import type { RecordRepository } from '../../store/repositories/records';

/** What the appeals feature is built from: the repositories, and the correction and record services it reuses. */
export interface AppealDeps {
  models: Pick<Models, 'cards'>;
  months: MonthRepository;
  assessments: AssessmentRepository;
  people: PeopleRepository;
  records: RecordRepository;
  appeals: AppealRepository;
  confirmations: ConfirmationRepository;
  corrections: CorrectionService;
  recordService: RecordService;
  outbox: Outbox;
  clock: Clock;
  timeZone: string;
}

// How far back "my latest result" looks; results older than a year are asked for by month.
const LOOK_BACK = 12;

/** A closed month and a person's assessment in it. */
export interface ClosedResult {
  month: MonthDoc;
  doc: AssessmentDoc;
}

/**
 * The closed month `key` (or, without one, the latest closed month in which
 * `person` was assessed) with their assessment; a user-facing error otherwise.
 */
export async function closedResult(
  deps: Pick<AppealDeps, 'months' | 'assessments'>,
  person: Person,
  key: MonthKey | undefined,
  whose = '你',
): Promise<ClosedResult> {
  // A person's months are their department's.
  const department = departmentOf(person);
  if (key) {
    const month = await deps.months.get(key, department);
    if (!month) throw userError('not_found', `${monthLabel(key)}没有考核。`);
    if (month.status !== 'closed')
      throw userError('conflict', `${monthLabel(key)}考核还在进行中，结束后才有结果。`);
    const doc = await deps.assessments.get(key, person.userid);
    if (!doc) throw userError('not_found', `${whose}在${monthLabel(key)}没有考核结果。`);
    return { month, doc };
  }
  const latest = await deps.months.latest(department);
  for (let i = 0; latest && i < LOOK_BACK; i += 1) {
    const k = addMonths(latest.key as MonthKey, -i);
    const month = i === 0 ? latest : await deps.months.get(k, department);
    if (month?.status !== 'closed') continue;
    const doc = await deps.assessments.get(k, person.userid);
    if (doc) return { month, doc };
  }
  throw userError('not_found', `${whose}还没有已结束的考核结果。`);
}

/** Sends one text to one person through the outbox, under a durable key (a retry sends nothing twice). */
export async function tell(
  deps: Pick<AppealDeps, 'models' | 'outbox' | 'clock'>,
  person: Person,
  key: string,
  text: string,
  notBefore?: Date,
): Promise<boolean> {
  return MessageBatch.tell(deps, person, key, text, deps.clock.now(), notBefore);
}
