import type { FormDefinition } from '../../assessment/form';
import type { Models } from '../models';
import type { MonthDoc } from '../models/month';
import type { AuditLog } from './audit-log';

/** Assessment months: opened once with a copy of the form, closed once. */
export class MonthRepository {
  constructor(
    private readonly models: Pick<Models, 'months'>,
    private readonly audit: AuditLog,
  ) {}

  /** A month, or null when it was never opened. */
  async get(key: string): Promise<MonthDoc | null> {
    return this.models.months.findOne({ key }).lean<MonthDoc>();
  }

  /** The most recent month ever opened, open or closed, or null. */
  async latest(): Promise<MonthDoc | null> {
    return this.models.months.findOne({}).sort({ key: -1 }).lean<MonthDoc>();
  }

  /** The month being assessed now: the latest open one, or null when none is open. */
  async current(): Promise<MonthDoc | null> {
    return (await this.open()).at(-1) ?? null;
  }

  /** The open months, oldest first. */
  async open(): Promise<MonthDoc[]> {
    return this.models.months.find({ status: 'open' }).sort({ key: 1 }).lean<MonthDoc[]>();
  }

  /**
   * Opens a month with the form in force now. Opening it again changes nothing
   * (created: false), and a month keeps the form it was first opened with.
   */
  async openMonth(
    key: string,
    form: FormDefinition,
    actor: string,
    now: Date,
  ): Promise<{ month: MonthDoc; created: boolean }> {
    const result = await this.models.months.findOneAndUpdate(
      { key },
      {
        $setOnInsert: {
          key,
          status: 'open',
          form,
          openedAt: now,
          openedBy: actor,
          closedAt: null,
          closedBy: null,
        },
      },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    const created = !result.lastErrorObject?.updatedExisting;
    if (created) {
      await this.audit.record({
        at: now,
        actor,
        action: 'month.open',
        entity: 'month',
        entityId: key,
        before: null,
        after: { status: 'open' },
      });
    }
    return { month: result.value!.toObject(), created };
  }

  /** Closes an open month; false when it was not open (already closed or never opened). */
  async closeMonth(key: string, actor: string, now: Date): Promise<boolean> {
    const result = await this.models.months.updateOne(
      { key, status: 'open' },
      { $set: { status: 'closed', closedAt: now, closedBy: actor } },
    );
    if (result.modifiedCount === 0) return false;
    await this.audit.record({
      at: now,
      actor,
      action: 'month.close',
      entity: 'month',
      entityId: key,
      before: { status: 'open' },
      after: { status: 'closed' },
    });
    return true;
  }
}
