import { DEFAULT_DEPARTMENT } from '../../assessment/department';
import type { FormDefinition } from '../../assessment/form';
import type { Models } from '../models';
import type { MonthDoc } from '../models/month';
import type { AuditLog } from './audit-log';

/**
 * Assessment months, one per (month, department): each opened once with a
 * copy of its department's form, closed once. Every method takes the
 * department last, 客服部 when left out (a deployment of one department).
 */
export class MonthRepository {
  constructor(
    private readonly models: Pick<Models, 'months'>,
    private readonly audit: AuditLog,
  ) {}

  /** A month, or null when it was never opened. */
  async get(key: string, department = DEFAULT_DEPARTMENT): Promise<MonthDoc | null> {
    return this.models.months.findOne({ key, department }).lean<MonthDoc>();
  }

  /** Every department's month `key` (those opened), by department name. */
  async allOf(key: string): Promise<MonthDoc[]> {
    return this.models.months.find({ key }).sort({ department: 1 }).lean<MonthDoc[]>();
  }

  /** The most recent month any department opened, or null. */
  async newest(): Promise<MonthDoc | null> {
    return this.models.months.findOne({}).sort({ key: -1 }).lean<MonthDoc>();
  }

  /** The department's most recent month ever opened, open or closed, or null. */
  async latest(department = DEFAULT_DEPARTMENT): Promise<MonthDoc | null> {
    return this.models.months.findOne({ department }).sort({ key: -1 }).lean<MonthDoc>();
  }

  /** The department's month being assessed now: its latest open one, or null when none is open. */
  async current(department = DEFAULT_DEPARTMENT): Promise<MonthDoc | null> {
    return (await this.open(department)).at(-1) ?? null;
  }

  /** Every department's open months, oldest first. */
  async allOpen(): Promise<MonthDoc[]> {
    return this.models.months.find({ status: 'open' }).sort({ key: 1 }).lean<MonthDoc[]>();
  }

  /** The department's open months, oldest first. */
  async open(department = DEFAULT_DEPARTMENT): Promise<MonthDoc[]> {
    return this.models.months
      .find({ status: 'open', department })
      .sort({ key: 1 })
      .lean<MonthDoc[]>();
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
    department = DEFAULT_DEPARTMENT,
  ): Promise<{ month: MonthDoc; created: boolean }> {
    const result = await this.models.months.findOneAndUpdate(
      { key, department },
      {
        $setOnInsert: {
          key,
          department,
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
        entityId: monthId(key, department),
        before: null,
        after: { status: 'open' },
      });
    }
    return { month: result.value!.toObject(), created };
  }

  /** Closes an open month; false when it was not open (already closed or never opened). */
  async closeMonth(
    key: string,
    actor: string,
    now: Date,
    department = DEFAULT_DEPARTMENT,
  ): Promise<boolean> {
    const result = await this.models.months.updateOne(
      { key, department, status: 'open' },
      { $set: { status: 'closed', closedAt: now, closedBy: actor } },
    );
    if (result.modifiedCount === 0) return false;
    await this.audit.record({
      at: now,
      actor,
      action: 'month.close',
      entity: 'month',
      entityId: monthId(key, department),
      before: { status: 'open' },
      after: { status: 'closed' },
    });
    return true;
  }
}

/** How the audit trail names a month: its key alone for the default department, as before departments. */
function monthId(key: string, department: string): string {
  return department === DEFAULT_DEPARTMENT ? key : `${key}:${department}`;
}
