import type { Models } from '../models';
import type { MonthSummaryDoc } from '../models/month-summary';

/**
 * The summaries of closed months, keyed by month and department: what /report shows of a
 * month whose figures were fixed at close, so it is read, not recomputed.
 */
export class MonthSummaryRepository {
  constructor(private readonly models: Pick<Models, 'monthSummaries'>) {}

  /** The stored summary of a month, or null (never closed, or closed before summaries were kept). */
  async get(month: string, department: string): Promise<MonthSummaryDoc | null> {
    // No projection: a lookup by the unique key without one is the cheapest read there is.
    return this.models.monthSummaries.findOne({ month, department }).lean<MonthSummaryDoc>();
  }

  /** Stores a month's summary, replacing the one before (a close run again, or a correction). */
  async save(summary: MonthSummaryDoc): Promise<void> {
    const { month, department } = summary;
    await this.models.monthSummaries.replaceOne({ month, department }, summary, {
      upsert: true,
    });
  }
}
