import type { Models } from '../models';
import type { ConfirmationDoc } from '../models/confirmation';
import type { AuditLog } from './audit-log';
import { ofDepartment } from './department-join';
import type { MonthSummaryRepository } from './month-summaries';

/** Who confirmed a closed month's result, and how (确认, or silence past the window). */
export class ConfirmationRepository {
  constructor(
    private readonly models: Pick<Models, 'confirmations' | 'people'>,
    private readonly audit: AuditLog,
    // Told of every confirmation stored: the month's counted answers are out of date.
    private readonly summaries: Pick<MonthSummaryRepository, 'responsesChanged'>,
  ) {}

  /** Confirms a result once; false when it was confirmed before (the first confirmation stands). */
  async confirm(entry: ConfirmationDoc, actor: string): Promise<boolean> {
    const result = await this.models.confirmations.updateOne(
      { month: entry.month, userid: entry.userid },
      { $setOnInsert: entry },
      { upsert: true },
    );
    // A confirmation given before too: the first may have stopped between it and this.
    await this.summaries.responsesChanged(entry.month);
    if (result.upsertedCount === 0) return false;
    await this.audit.record({
      at: entry.at,
      actor,
      action: entry.how === 'silent' ? 'result.confirm-silent' : 'result.confirm',
      entity: 'assessment',
      entityId: `${entry.month}:${entry.userid}`,
      before: null,
      after: { confirmed: entry.how },
    });
    return true;
  }

  /** A month's confirmations by userid. */
  async forMonth(month: string): Promise<Map<string, ConfirmationDoc>> {
    const docs = await this.models.confirmations.find({ month }).lean<ConfirmationDoc[]>();
    return new Map(docs.map((d) => [d.userid, d]));
  }

  /**
   * How many results of a month were confirmed (by 确认 or by silence); with
   * `department`, of that department's people only, for a month key several
   * departments opened (a person's department is on the roster: one join).
   */
  async count(month: string, department?: string): Promise<number> {
    if (department === undefined) return this.models.confirmations.countDocuments({ month });
    const [row] = await this.models.confirmations.aggregate<{ n: number }>([
      { $match: { month } },
      ...ofDepartment(this.models, department),
      { $count: 'n' },
    ]);
    return row?.n ?? 0;
  }

  /** One person's confirmation of a month, or null. */
  async get(month: string, userid: string): Promise<ConfirmationDoc | null> {
    return this.models.confirmations.findOne({ month, userid }).lean<ConfirmationDoc>();
  }
}
