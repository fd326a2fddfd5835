import type { Models } from '../models';
import { AppealRepository } from './appeals';
import { AssessmentRepository } from './assessments';
import { AuditLog } from './audit-log';
import { ConfirmationRepository } from './confirmations';
import { EventReadRepository } from './event-reads';
import { MonthSummaryRepository } from './month-summaries';
import { MonthRepository } from './months';
import { PeopleRepository } from './people';
import { RecordRepository } from './records';
import { ReportRowRepository } from './report-rows';

/** Every repository on one set of models, sharing one audit trail. */
export function createRepositories(models: Models) {
  const audit = new AuditLog(models);
  const monthSummaries = new MonthSummaryRepository(models);
  return {
    audit,
    people: new PeopleRepository(models, audit),
    eventReads: new EventReadRepository(models),
    months: new MonthRepository(models, audit),
    assessments: new AssessmentRepository(models, audit),
    records: new RecordRepository(models, audit),
    appeals: new AppealRepository(models, audit, monthSummaries),
    confirmations: new ConfirmationRepository(models, audit, monthSummaries),
    monthSummaries,
    reportRows: new ReportRowRepository(models),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
