import { Schema, type Connection, type Model } from 'mongoose';
import type { OutgoingMessage, Platform } from '../../channels/types';

export type OutboxStatus = 'pending' | 'sent' | 'failed';

/**
 * A message waiting to go out. `key` is durable and unique (e.g. month, person,
 * kind), so writing the same notification twice stores it once and it is sent once.
 */
export interface OutboxDoc {
  key: string;
  platform: Platform;
  userid: string;
  message: OutgoingMessage;
  status: OutboxStatus;
  attempts: number;
  /** Not sent before this time (backoff, per-person rate limit). */
  notBefore: Date;
  createdAt: Date;
  sentAt: Date | null;
  lastError: string | null;
}

const outboxSchema = new Schema<OutboxDoc>(
  {
    key: { type: String, required: true, unique: true },
    platform: { type: String, enum: ['wecom', 'dingtalk'], required: true },
    userid: { type: String, required: true },
    message: { type: Schema.Types.Mixed, required: true },
    status: { type: String, enum: ['pending', 'sent', 'failed'], default: 'pending' },
    attempts: { type: Number, default: 0 },
    notBefore: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
    lastError: { type: String, default: null },
  },
  { collection: 'outbox', versionKey: false },
);
// The sender reads pending messages oldest first; per person order is kept by createdAt.
outboxSchema.index({ status: 1, notBefore: 1, createdAt: 1 });

/** The outbox model on a connection. */
export function outboxModel(connection: Connection): Model<OutboxDoc> {
  return connection.models.Outbox ?? connection.model<OutboxDoc>('Outbox', outboxSchema);
}
