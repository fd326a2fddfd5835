import { Schema, type Connection, type Model } from 'mongoose';
import type { MonthSummary } from '../../reports/month-summary';

/** A closed month's summary as stored: one document per department's month, replaced whenever a correction changes a result. */
export type MonthSummaryDoc = MonthSummary;

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
