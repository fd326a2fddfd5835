import { randomUUID } from 'node:crypto';
import type { Models } from '../models';
import type { MonthSummaryDoc, StoredResponses } from '../models/month-summary';

/**
 * The summaries of closed months, keyed by month and department: what /report shows of a
 * month whose figures were fixed at close, so it is read, not recomputed. Beside each, the
 * month's answers (confirmations, appeals) as last counted, until one of them changes.
 */
export class MonthSummaryRepository {
  constructor(private readonly models: Pick<Models, 'monthSummaries'>) {}

  /** The stored summary of a month, or null (never closed, or closed before summaries were kept). */
  async get(month: string, department: string): Promise<MonthSummaryDoc | null> {
    // No projection: a lookup by the unique key without one is the cheapest read there is.
    return this.models.monthSummaries.findOne({ month, department }).lean<MonthSummaryDoc>();
  }

  /**
   * Stores a month's summary, replacing the one before (a close run again, or a correction);
   * the answers counted before it are dropped with it, under a stamp never used before.
   */
  async save(summary: MonthSummaryDoc): Promise<void> {
    const { month, department } = summary;
    await this.models.monthSummaries.replaceOne(
      { month, department },
      { ...summary, responsesStamp: randomUUID(), responses: null },
      { upsert: true },
    );
  }

  /**
   * A confirmation or an appeal of month `key` changed how people answered: every
   * department's counted answers of that month are out of date. Called after the change
   * is stored, so a count taken before it can no longer be kept (see keepResponses).
   */
  async responsesChanged(key: string): Promise<void> {
    await this.models.monthSummaries.updateMany(
      { month: key },
      { $set: { responsesStamp: randomUUID() } },
    );
  }

  /**
   * Keeps answers counted under `stamp`, unless the answers changed meanwhile (the stamp
   * moved on): a count that raced a confirmation is never kept.
   */
  async keepResponses(
    month: string,
    department: string,
    responses: StoredResponses,
  ): Promise<void> {
    await this.models.monthSummaries.updateOne(
      { month, department, responsesStamp: responses.stamp },
      { $set: { responses } },
    );
  }
}
