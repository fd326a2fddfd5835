import { Schema, type Connection, type Model } from 'mongoose';

/** A result confirmed by its person (确认), or by silence when the appeal window ended. */
export interface ConfirmationDoc {
  month: string;
  userid: string;
  how: 'confirmed' | 'silent';
  at: Date;
}

const confirmationSchema = new Schema<ConfirmationDoc>(
  {
    month: { type: String, required: true },
    userid: { type: String, required: true },
    how: { type: String, enum: ['confirmed', 'silent'], required: true },
    at: { type: Date, required: true },
  },
  { collection: 'confirmations', versionKey: false },
);
// One confirmation per person and month: confirming twice keeps the first.
confirmationSchema.index({ month: 1, userid: 1 }, { unique: true });

/** The confirmations model on a connection. */
export function confirmationModel(connection: Connection): Model<ConfirmationDoc> {
  return (
    connection.models.Confirmation ??
    connection.model<ConfirmationDoc>('Confirmation', confirmationSchema)
  );
}
