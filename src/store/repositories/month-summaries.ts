import type { Models } from '../models';
import type { MonthSummaryDoc } from '../models/month-summary';

/**
 * The summaries of closed months, keyed by month: what /report shows of a
 * month whose figures were fixed at close, so it is read, not recomputed.
 */
export class MonthSummaryRepository {
  constructor(private readonly models: Pick<Models, 'monthSummaries'>) {}

  /** The stored summary of a month, or null (never closed, or closed before summaries were kept). */
  async get(month: string): Promise<MonthSummaryDoc | null> {
    // No projection: a lookup by the unique key without one is the cheapest read there is.
    return this.models.monthSummaries.findOne({ month }).lean<MonthSummaryDoc>();
  }

  /** Stores a month's summary, replacing the one before (a close run again, or a correction). */
  async save(summary: MonthSummaryDoc): Promise<void> {
    await this.models.monthSummaries.replaceOne({ month: summary.month }, summary, {
      upsert: true,
    });
  }
}
