import { Schema, type Connection, type Model } from 'mongoose';

/** One change to stored data: who did what to which thing, when, and the values before and after. */
export interface AuditDoc {
  at: Date;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
  reason: string | null;
}

const auditSchema = new Schema<AuditDoc>(
  {
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    entity: { type: String, required: true },
    entityId: { type: String, required: true },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
    reason: { type: String, default: null },
  },
  { collection: 'audit', versionKey: false },
);
auditSchema.index({ entity: 1, entityId: 1, at: 1 });

/** The audit trail model on a connection. */
export function auditModel(connection: Connection): Model<AuditDoc> {
  return connection.models.Audit ?? connection.model<AuditDoc>('Audit', auditSchema);
}
