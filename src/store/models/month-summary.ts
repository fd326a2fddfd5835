import { Schema, type Connection, type Model } from 'mongoose';
import type { MonthSummary } from '../../reports/month-summary';

/**
 * How people answered a closed month's results, as last counted, kept beside
 * its summary so that /report reads both at once. Valid while `stamp` is the
 * summary's `responsesStamp` (a confirmation or an appeal gives it a new one)
 * and until `validUntil`.
 */
export interface StoredResponses {
  stamp: string;
  validUntil: Date;
  /** Status name and count, in the order they were counted. */
  counts: [string, number][];
  open: string[];
}

/** A closed month's summary as stored: one document per department's month, replaced whenever a correction changes a result. */
export type MonthSummaryDoc = MonthSummary & {
  /** New whenever a confirmation or an appeal of the month changes the answers. */
  responsesStamp?: string | null;
  responses?: StoredResponses | null;
};

// The nested parts are Mixed: they are written whole and read whole (lean), never queried into.
const monthSummarySchema = new Schema<MonthSummaryDoc>(
  {
    month: { type: String, required: true },
    department: { type: String, required: true },
    people: { type: Number, required: true },
    selfDone: { type: Number, required: true },
    supervisorDone: { type: Number, required: true },
    finals: { type: Schema.Types.Mixed, default: null },
    ranking: { type: Schema.Types.Mixed, required: true },
    gapThreshold: { type: Number, required: true },
    missingSelf: { type: Schema.Types.Mixed, required: true },
    missingSupervisor: { type: Schema.Types.Mixed, required: true },
    gaps: { type: Schema.Types.Mixed, required: true },
    criteria: { type: Schema.Types.Mixed, required: true },
    distribution: { type: [Number], required: true },
    calibration: { type: Schema.Types.Mixed, required: true },
    computedAt: { type: Date, required: true },
    responsesStamp: { type: String, default: null },
    responses: { type: Schema.Types.Mixed, default: null },
  },
  { collection: 'month_summaries', versionKey: false },
);
// One per department's month; this replaced a unique index on `month` alone (dropped at start).
monthSummarySchema.index({ month: 1, department: 1 }, { unique: true });

/** The month summaries model on a connection. */
export function monthSummaryModel(connection: Connection): Model<MonthSummaryDoc> {
  return (
    connection.models.MonthSummary ??
    connection.model<MonthSummaryDoc>('MonthSummary', monthSummarySchema)
  );
}
