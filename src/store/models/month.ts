import { Schema, type Connection, type Model } from 'mongoose';
import type { FormDefinition } from '../../assessment/form';
import type { MonthStatus } from '../../assessment/states';
import { DEFAULT_DEPARTMENT } from '../../assessment/department';

/**
 * One assessment month of one department. It keeps the department's form as
 * it was when opened, so later configuration changes never alter it; each
 * department opens and closes its month on its own.
 */
export interface MonthDoc {
  key: string;
  /** Whose month it is; months stored before departments existed are given 客服部 at start (see migrations). */
  department: string;
  status: MonthStatus;
  form: FormDefinition;
  openedAt: Date;
  openedBy: string;
  closedAt: Date | null;
  closedBy: string | null;
}

const monthSchema = new Schema<MonthDoc>(
  {
    key: { type: String, required: true },
    department: { type: String, required: true, default: DEFAULT_DEPARTMENT },
    status: { type: String, enum: ['open', 'closed'], required: true },
    form: { type: Schema.Types.Mixed, required: true },
    openedAt: { type: Date, required: true },
    openedBy: { type: String, required: true },
    closedAt: { type: Date, default: null },
    closedBy: { type: String, default: null },
  },
  { collection: 'months', versionKey: false },
);
// One month per department; this replaced a unique index on `key` alone (dropped at start, see migrations).
monthSchema.index({ key: 1, department: 1 }, { unique: true });

/** The months model on a connection. */
export function monthModel(connection: Connection): Model<MonthDoc> {
  return connection.models.Month ?? connection.model<MonthDoc>('Month', monthSchema);
}
