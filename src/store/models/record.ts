import { Schema, type Connection, type Model } from 'mongoose';
import { RECORD_KINDS, type RecordKind } from '../../assessment/record-kinds';

export type { RecordKind } from '../../assessment/record-kinds';

/** A bonus or penalty recorded during the month (其他奖惩分), with its evidence. */
export interface RecordDoc {
  /** Short code people use to name it (to void it): six letters and digits. */
  code: string;
  month: string;
  userid: string;
  authorUserid: string;
  kind: RecordKind;
  points: number;
  reason: string;
  /** The criterion this is evidence for, if any (e.g. lateness → 8). */
  criterionNo: number | null;
  createdAt: Date;
  /** Set when voided; a voided record no longer counts but stays. */
  voided: { by: string; reason: string; at: Date } | null;
  /** Idempotency key of the request that created it (a retried callback creates nothing new). */
  requestKey: string;
  /** Whether the employee has been told (at once, or by the daily digest). */
  noticed: boolean;
}

const recordSchema = new Schema<RecordDoc>(
  {
    code: { type: String, required: true, unique: true },
    month: { type: String, required: true },
    userid: { type: String, required: true },
    authorUserid: { type: String, required: true },
    kind: { type: String, enum: RECORD_KINDS, required: true },
    points: { type: Number, required: true },
    reason: { type: String, required: true },
    criterionNo: { type: Number, default: null },
    createdAt: { type: Date, required: true },
    voided: { type: Schema.Types.Mixed, default: null },
    requestKey: { type: String, required: true, unique: true },
    noticed: { type: Boolean, default: false },
  },
  { collection: 'records', versionKey: false },
);
recordSchema.index({ month: 1, userid: 1 });

/** The records model on a connection. */
export function recordModel(connection: Connection): Model<RecordDoc> {
  return connection.models.Record ?? connection.model<RecordDoc>('Record', recordSchema);
}
