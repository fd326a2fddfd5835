import { Schema, type Connection, type Model } from 'mongoose';

/** What an appeal is about: the whole form, one criterion (1–11), or one line-12 record. */
export type AppealTarget =
  { kind: 'form' } | { kind: 'criterion'; no: number } | { kind: 'record'; code: string };

/**
 * Where an appeal stands: `open` with the supervisor, `forwarded` to the
 * manager, or decided: `corrected` (the result changed) or `upheld` (维持原评分).
 */
export type AppealStatus = 'open' | 'forwarded' | 'corrected' | 'upheld';

/** One answer given on an appeal: who, what they did, why. */
export interface AppealStep {
  at: Date;
  actor: string;
  action: 'forward' | 'correct' | 'uphold';
  reason: string;
}

/** A person's objection to a closed month's result (申诉), with its reason and its answers. */
export interface AppealDoc {
  /** Short code people use to name it: A and five letters or digits. */
  code: string;
  month: string;
  userid: string;
  /** Who answers it first: the supervisor who scored the form. */
  supervisorUserid: string | null;
  target: AppealTarget;
  reason: string;
  status: AppealStatus;
  steps: AppealStep[];
  createdAt: Date;
  updatedAt: Date;
  /** Idempotency key of the request that made it (a retried callback appeals once). */
  requestKey: string;
}

const appealSchema = new Schema<AppealDoc>(
  {
    code: { type: String, required: true, unique: true },
    month: { type: String, required: true },
    userid: { type: String, required: true },
    supervisorUserid: { type: String, default: null },
    target: { type: Schema.Types.Mixed, required: true },
    reason: { type: String, required: true },
    status: {
      type: String,
      enum: ['open', 'forwarded', 'corrected', 'upheld'],
      required: true,
    },
    steps: { type: Schema.Types.Mixed, default: () => [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    requestKey: { type: String, required: true, unique: true },
  },
  { collection: 'appeals', versionKey: false },
);
// The report and a person's results read a month's appeals; reminders read the open ones.
appealSchema.index({ month: 1, userid: 1 });
appealSchema.index({ status: 1 });

/** The appeals model on a connection. */
export function appealModel(connection: Connection): Model<AppealDoc> {
  return connection.models.Appeal ?? connection.model<AppealDoc>('Appeal', appealSchema);
}
