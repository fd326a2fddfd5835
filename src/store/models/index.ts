import type { Connection } from 'mongoose';
import { appealModel } from './appeal';
import { assessmentModel } from './assessment';
import { auditModel } from './audit';
import { cardModel } from './card';
import { confirmationModel } from './confirmation';
import { inboxModel } from './inbox';
import { migrateToDepartments } from './migrations';
import { monthModel } from './month';
import { monthSummaryModel } from './month-summary';
import { outboxModel } from './outbox';
import { personModel } from './person';
import { recordModel } from './record';

/** Every model on one connection; only the store layer touches these. */
export function createModels(connection: Connection) {
  return {
    people: personModel(connection),
    months: monthModel(connection),
    assessments: assessmentModel(connection),
    records: recordModel(connection),
    audit: auditModel(connection),
    outbox: outboxModel(connection),
    inbox: inboxModel(connection),
    cards: cardModel(connection),
    appeals: appealModel(connection),
    confirmations: confirmationModel(connection),
    monthSummaries: monthSummaryModel(connection),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Migrates what older versions stored, then builds every index the models declare (idempotent; run at start). */
export async function ensureIndexes(models: Models): Promise<void> {
  await migrateToDepartments(models);
  for (const model of Object.values(models)) await model.createIndexes();
}
