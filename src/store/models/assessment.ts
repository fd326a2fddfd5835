import { Schema, type Connection, type Model } from 'mongoose';
import type { Result } from '../../assessment/final-score';
import type { FormStatus } from '../../assessment/states';

/** One of the two forms of an assessment: the self-assessment or the supervisor's. */
export interface FormPart {
  /** Scores by criterion number (as a string key); a draft holds what was answered so far. */
  scores: Map<string, number>;
  /** Optional remark per criterion number. */
  remarks: Map<string, string>;
  /** Optional remark for the whole form. */
  remark: string | null;
  status: FormStatus;
  /** Who filled it (the person, or their supervisor). */
  authorUserid: string | null;
  submittedAt: Date | null;
  updatedAt: Date | null;
}

/** The result fixed at close (or at a later correction). */
export type StoredResult = Result & { computedAt: Date };

/** One person's assessment for one month; unique per (month, userid). */
export interface AssessmentDoc {
  month: string;
  userid: string;
  /** The supervisor responsible when the form was created; a roster change keeps who scored. */
  supervisorUserid: string | null;
  self: FormPart;
  supervisor: FormPart;
  result: StoredResult | null;
  createdAt: Date;
}

const formPartSchema = new Schema<FormPart>(
  {
    scores: { type: Map, of: Number, default: () => new Map() },
    remarks: { type: Map, of: String, default: () => new Map() },
    remark: { type: String, default: null },
    status: { type: String, enum: ['draft', 'submitted'], default: 'draft' },
    authorUserid: { type: String, default: null },
    submittedAt: { type: Date, default: null },
    updatedAt: { type: Date, default: null },
  },
  { _id: false },
);

const assessmentSchema = new Schema<AssessmentDoc>(
  {
    month: { type: String, required: true },
    userid: { type: String, required: true },
    supervisorUserid: { type: String, default: null },
    self: { type: formPartSchema, default: () => ({}) },
    supervisor: { type: formPartSchema, default: () => ({}) },
    result: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'assessments', versionKey: false },
);
assessmentSchema.index({ month: 1, userid: 1 }, { unique: true });
// A supervisor's pending list and the monthly report read by month and supervisor.
assessmentSchema.index({ month: 1, supervisorUserid: 1 });

/** The assessments model on a connection. */
export function assessmentModel(connection: Connection): Model<AssessmentDoc> {
  return (
    connection.models.Assessment ?? connection.model<AssessmentDoc>('Assessment', assessmentSchema)
  );
}
