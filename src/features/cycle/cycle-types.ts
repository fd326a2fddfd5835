/** The shapes the month's cycle works with: the cards it sends, when, and what a run did. */
import type { ButtonCard, ChoiceCard } from '../../channels/types';
import type { FormDefinition } from '../../assessment/form';
import type { PersonResult } from '../../assessment/results';
import type { MonthKey } from '../../assessment/month';
import type { Clock } from '../../lib/clock';
import type { Outbox } from '../../messaging/outbox';
import type { Models } from '../../store/models';
import type { AssessmentDoc } from '../../store/models/assessment';
import type { MonthDoc } from '../../store/models/month';
import type { Person } from '../../store/models/person';
import type { AssessmentRepository } from '../../store/repositories/assessments';
import type { MonthRepository } from '../../store/repositories/months';
import type { PeopleRepository } from '../../store/repositories/people';
import type { RecordRepository } from '../../store/repositories/records';

/** A card to send with the flow that handles its taps and that flow's data. */
export interface OpeningCard {
  card: Omit<ChoiceCard, 'type' | 'cardId'>;
  flow: string;
  data: Record<string, unknown>;
}

/** The 确认 / 申诉 card that follows a result notice, with the flow that takes its taps. */
export type ResultCard = Omit<OpeningCard, 'card'> & { card: Omit<ButtonCard, 'type' | 'cardId'> };

/** When messages of a run may go out: now (a manager's command) or at the next working hour (the schedule). */
export type Timing = (now: Date) => Date;
export const immediately: Timing = (now) => now;

/** What a run did, for the manager's reply and the logs. */
export interface RunReport {
  month: string;
  notified: number;
  staff?: number;
  supervisors?: number;
  created?: boolean;
}

/** What the cycle service is built from. */
export type CycleDeps = {
  models: Pick<Models, 'cards'>;
  months: MonthRepository;
  assessments: AssessmentRepository;
  people: PeopleRepository;
  records: RecordRepository;
  outbox: Outbox;
  clock: Clock;
  /** The form a department's month opens with, as configured now. */
  form: (department: string) => FormDefinition;
  /** The card that opens a person's self-assessment, from the form flow, with the flow that takes its taps. */
  openingCard: (month: MonthDoc, person: Person, doc: AssessmentDoc, intro: string) => OpeningCard;
  /** The card asking to confirm or appeal a result (the appeals feature), when there is one. */
  resultCard?: (month: MonthDoc, person: Person, result: PersonResult) => ResultCard | null;
  storeSummary?: (key: MonthKey, department: string) => Promise<unknown>;
};
