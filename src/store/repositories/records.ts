import { createHash } from 'node:crypto';
import type { Models } from '../models';
import type { RecordDoc } from '../models/record';
import type { AuditLog } from './audit-log';

/** Line-12 records (其他奖惩分): bonuses and penalties recorded during a month. */
export class RecordRepository {
  constructor(
    private readonly models: Pick<Models, 'records'>,
    private readonly audit?: AuditLog,
  ) {}

  /** The records of a month that count (not voided), oldest first; for one person when `userid` is given. */
  async counting(month: string, userid?: string): Promise<RecordDoc[]> {
    const filter = { month, voided: null, ...(userid ? { userid } : {}) };
    return this.models.records.find(filter).sort({ createdAt: 1 }).lean<RecordDoc[]>();
  }

  /** Every record of a person for a month, voided ones too, oldest first. */
  async ofPerson(month: string, userid: string): Promise<RecordDoc[]> {
    return this.models.records.find({ month, userid }).sort({ createdAt: 1 }).lean<RecordDoc[]>();
  }

  /** A record by its code. */
  async byCode(code: string): Promise<RecordDoc | null> {
    return this.models.records.findOne({ code: code.toUpperCase() }).lean<RecordDoc>();
  }

  /**
   * Stores a record once per request: the same request again (a retried
   * callback) returns the record it made the first time, with created: false.
   */
  async create(
    record: Omit<RecordDoc, 'code' | 'voided' | 'noticed'>,
  ): Promise<{ record: RecordDoc; created: boolean }> {
    const code = createHash('sha256')
      .update(record.requestKey)
      .digest('hex')
      .slice(0, 6)
      .toUpperCase();
    const result = await this.models.records.findOneAndUpdate(
      { requestKey: record.requestKey },
      { $setOnInsert: { ...record, code, voided: null, noticed: false } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    const created = !result.lastErrorObject?.updatedExisting;
    const stored = result.value!.toObject() as RecordDoc;
    if (created) {
      await this.audit?.record({
        at: record.createdAt,
        actor: record.authorUserid,
        action: 'record.create',
        entity: 'record',
        entityId: stored.code,
        before: null,
        after: {
          userid: record.userid,
          kind: record.kind,
          points: record.points,
          reason: record.reason,
        },
      });
    }
    return { record: stored, created };
  }

  /** Records of a month the employee has not been told about yet, oldest first. */
  async unnoticed(month: string): Promise<RecordDoc[]> {
    return this.models.records
      .find({ month, noticed: false })
      .sort({ createdAt: 1 })
      .lean<RecordDoc[]>();
  }

  /** Marks records as told. */
  async markNoticed(codes: string[]): Promise<void> {
    if (codes.length > 0)
      await this.models.records.updateMany({ code: { $in: codes } }, { $set: { noticed: true } });
  }

  /** Voids a record that still counts; null when it was already voided (or does not exist). */
  async void(code: string, by: string, reason: string, at: Date): Promise<RecordDoc | null> {
    const voided = await this.models.records.findOneAndUpdate(
      { code: code.toUpperCase(), voided: null },
      { $set: { voided: { by, reason, at } } },
      { returnDocument: 'after' },
    );
    if (!voided) return null;
    await this.audit?.record({
      at,
      actor: by,
      action: 'record.void',
      entity: 'record',
      entityId: code.toUpperCase(),
      before: { voided: null },
      after: { voided: { by, reason } },
      reason,
    });
    return voided.toObject() as RecordDoc;
  }
}
