import { createHash } from 'node:crypto';
import type { Models } from '../models';
import type { AppealDoc, AppealStatus, AppealStep } from '../models/appeal';
import type { AuditLog } from './audit-log';
import type { MonthSummaryRepository } from './month-summaries';

/** Appeals against closed months' results; every step is audited. */
export class AppealRepository {
  constructor(
    private readonly models: Pick<Models, 'appeals'>,
    private readonly audit: AuditLog,
    // Told of every appeal stored or moved on: the month's counted answers are out of date.
    private readonly summaries: Pick<MonthSummaryRepository, 'responsesChanged'>,
  ) {}

  /** Stores an appeal once per request (a retried callback returns the first one, created: false). */
  async create(
    appeal: Omit<AppealDoc, 'code' | 'status' | 'steps' | 'updatedAt'>,
  ): Promise<{ appeal: AppealDoc; created: boolean }> {
    const code =
      `A${createHash('sha256').update(appeal.requestKey).digest('hex').slice(0, 5)}`.toUpperCase();
    const result = await this.models.appeals.findOneAndUpdate(
      { requestKey: appeal.requestKey },
      {
        $setOnInsert: {
          ...appeal,
          code,
          status: 'open',
          steps: [],
          updatedAt: appeal.createdAt,
        },
      },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    const created = !result.lastErrorObject?.updatedExisting;
    const stored = result.value!.toObject() as AppealDoc;
    // A retried request too: the first may have stopped between the appeal and this.
    await this.summaries.responsesChanged(appeal.month);
    if (created) {
      await this.audit.record({
        at: appeal.createdAt,
        actor: appeal.userid,
        action: 'appeal.create',
        entity: 'appeal',
        entityId: code,
        before: null,
        after: { month: appeal.month, target: appeal.target, status: 'open' },
        reason: appeal.reason,
      });
    }
    return { appeal: stored, created };
  }

  /** An appeal by its code. */
  async byCode(code: string): Promise<AppealDoc | null> {
    return this.models.appeals.findOne({ code: code.toUpperCase() }).lean<AppealDoc>();
  }

  /** A person's appeals of a month, oldest first. */
  async ofPerson(month: string, userid: string): Promise<AppealDoc[]> {
    return this.models.appeals.find({ month, userid }).sort({ createdAt: 1 }).lean<AppealDoc[]>();
  }

  /** Every appeal of a month, oldest first. */
  async forMonth(month: string): Promise<AppealDoc[]> {
    return this.models.appeals.find({ month }).sort({ createdAt: 1 }).lean<AppealDoc[]>();
  }

  /** Appeals not yet decided (with the supervisor or the manager), oldest first. */
  async undecided(): Promise<AppealDoc[]> {
    return this.models.appeals
      .find({ status: { $in: ['open', 'forwarded'] } })
      .sort({ createdAt: 1 })
      .lean<AppealDoc[]>();
  }

  /**
   * Moves an appeal on from one of `from` to `to`, keeping the step; null when
   * it was no longer in `from` (answered meanwhile, or a retried request).
   * `audit` carries what changed besides (a final before and after).
   */
  async advance(
    code: string,
    from: AppealStatus[],
    to: AppealStatus,
    step: AppealStep,
    audit: { before?: unknown; after?: unknown } = {},
  ): Promise<AppealDoc | null> {
    const updated = await this.models.appeals.findOneAndUpdate(
      { code, status: { $in: from } },
      { $set: { status: to, updatedAt: step.at }, $push: { steps: step } },
      { returnDocument: 'after' },
    );
    if (!updated) return null;
    await this.summaries.responsesChanged(updated.month);
    await this.audit.record({
      at: step.at,
      actor: step.actor,
      action: `appeal.${step.action}`,
      entity: 'appeal',
      entityId: code,
      before: { status: from, ...(audit.before ? { result: audit.before } : {}) },
      after: { status: to, ...(audit.after ? { result: audit.after } : {}) },
      reason: step.reason,
    });
    return updated.toObject() as AppealDoc;
  }
}
