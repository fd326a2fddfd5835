import { Schema, type Connection, type Model } from 'mongoose';
import type { FormDefinition } from '../../assessment/form';
import type { MonthStatus } from '../../assessment/states';

/** One assessment month. It keeps the form it was opened with, so later configuration changes never alter it. */
export interface MonthDoc {
  key: string;
  status: MonthStatus;
  form: FormDefinition;
  openedAt: Date;
  openedBy: string;
  closedAt: Date | null;
  closedBy: string | null;
}

const monthSchema = new Schema<MonthDoc>(
  {
    key: { type: String, required: true, unique: true },
    status: { type: String, enum: ['open', 'closed'], required: true },
    form: { type: Schema.Types.Mixed, required: true },
    openedAt: { type: Date, required: true },
    openedBy: { type: String, required: true },
    closedAt: { type: Date, default: null },
    closedBy: { type: String, default: null },
  },
  { collection: 'months', versionKey: false },
);

/** The months model on a connection. */
export function monthModel(connection: Connection): Model<MonthDoc> {
  return connection.models.Month ?? connection.model<MonthDoc>('Month', monthSchema);
}
