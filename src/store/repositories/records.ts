import type { Models } from '../models';
import type { RecordDoc } from '../models/record';

/** Line-12 records (其他奖惩分): bonuses and penalties recorded during a month. */
export class RecordRepository {
  constructor(private readonly models: Pick<Models, 'records'>) {}

  /** The records of a month that count (not voided), oldest first; for one person when `userid` is given. */
  async counting(month: string, userid?: string): Promise<RecordDoc[]> {
    const filter = { month, voided: null, ...(userid ? { userid } : {}) };
    return this.models.records.find(filter).sort({ createdAt: 1 }).lean<RecordDoc[]>();
  }
}
