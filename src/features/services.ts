import type { AppConfig } from '../../config';
import type { MonthKey } from '../assessment/month';
import type { Clock } from '../lib/clock';
import { Outbox } from '../messaging/outbox';
import type { Models } from '../store/models';
import { createRepositories } from '../store/repositories';
import { createAppeals } from './appeals';
import { formOf, workingHoursOf } from './cycle/department-forms';
import { CorrectionService } from './cycle/correction-service';
import { CycleService } from './cycle/cycle-service';
import { AssessmentService } from './forms/assessment-service';
import { openingCard } from './forms/opening-card';
import { RecordService } from './records/record-service';
import { ReportService } from './reports/report-service';

/** What the services are built from. */
export interface ServiceDeps {
  config: Pick<AppConfig, 'timeZone' | 'assessment' | 'departments'>;
  models: Models;
  clock: Clock;
}

/**
 * Every feature's service, built once and shared: a flow of one feature may
 * call another's service (the close sends the appeals' result card), never
 * another's flow. Repositories are reached through here by services only.
 */
export function createServices({ config, models, clock }: ServiceDeps) {
  const repositories = createRepositories(models);
  const { people, months, assessments, records } = repositories;
  const outbox = new Outbox(models);
  const assessment = new AssessmentService(months, assessments, people, clock);
  const recordService = new RecordService({ models, months, people, records, outbox, clock });
  // What most services are built from.
  const core = { models, months, assessments, people, records, outbox, clock };
  // Built before the appeals and the cycle: a close and every correction store the month's summary.
  const reports = new ReportService({
    ...{ months, assessments, people, records, clock },
    ...{ reportRows: repositories.reportRows, monthSummaries: repositories.monthSummaries },
    responses: (month) => appeals.view.responses(month),
    responseCounts: (month, assessed) => appeals.view.responseCounts(month, assessed),
  });
  const storeSummary = (key: MonthKey, department: string) => reports.storeSummary(key, department);
  const corrections = new CorrectionService({ ...core, storeSummary });
  // Results: confirmation and appeals (issue 13); built first, as the close sends its card.
  const appeals = createAppeals(
    {
      ...{ ...core, corrections },
      ...{ appeals: repositories.appeals, confirmations: repositories.confirmations },
      ...{ recordService, timeZone: config.timeZone },
    },
    {
      schedule: config.assessment.schedule.appeals,
      workingHours: (department) => workingHoursOf(config.departments, department),
    },
  );
  const cycle = new CycleService({
    ...core,
    form: (department) => formOf(config.departments, department),
    openingCard,
    resultCard: appeals.resultCard,
    storeSummary,
  });
  return {
    repositories,
    outbox,
    assessment,
    records: recordService,
    corrections,
    appeals,
    cycle,
    reports,
  };
}

/** The services every feature shares. */
export type Services = ReturnType<typeof createServices>;
