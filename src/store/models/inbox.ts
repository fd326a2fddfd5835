import { Schema, type Connection, type Model } from 'mongoose';
import type { ChatEvent, InlineReply } from '../../channels/types';

/**
 * A callback as received, stored before the platform gets its answer, so what a
 * person entered survives a crash; `key` is the platform's delivery id, so a
 * retried delivery is stored (and handled) once.
 */
export interface InboxDoc {
  key: string;
  userid: string;
  event: ChatEvent;
  status: 'pending' | 'processing' | 'done' | 'failed';
  order: number;
  notBefore: Date;
  leaseUntil: Date | null;
  /** The token of the bulk claim that took it last, if any. */
  claimedBy?: string | null;
  attempts: number;
  receivedAt: Date;
  finishedAt: Date | null;
  lastError: string | null;
  /** The answer given inside the callback, kept so a platform retry gets the same one. */
  reply?: InlineReply | null;
}

const inboxSchema = new Schema<InboxDoc>(
  {
    key: { type: String, required: true, unique: true },
    userid: { type: String, required: true },
    event: { type: Schema.Types.Mixed, required: true },
    status: { type: String, enum: ['pending', 'processing', 'done', 'failed'], default: 'pending' },
    order: { type: Number, required: true },
    notBefore: { type: Date, required: true },
    leaseUntil: { type: Date, default: null },
    // Which bulk claim took it last (ClaimQueue): a token, so a claim can read back what it got.
    claimedBy: { type: String, default: null },
    attempts: { type: Number, default: 0 },
    receivedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    lastError: { type: String, default: null },
    reply: { type: Schema.Types.Mixed, default: null },
  },
  // An event is kept exactly as received: a card tap with no selections keeps its empty `selections`.
  { collection: 'inbox', versionKey: false, minimize: false },
);
inboxSchema.index({ status: 1, order: 1 });
// An event answered inside its callback first checks that nothing of the person's waits before it.
inboxSchema.index({ userid: 1, status: 1, order: 1 });

/** The inbox model on a connection. */
export function inboxModel(connection: Connection): Model<InboxDoc> {
  return connection.models.Inbox ?? connection.model<InboxDoc>('Inbox', inboxSchema);
}
