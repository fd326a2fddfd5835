import { Schema, type Connection, type Model } from 'mongoose';
import { PLATFORMS } from '../../channels';
import type {
  CardUpdate,
  OutgoingMessage,
  Platform,
  ReplyChannel,
  StoredMedia,
} from '../../channels/types';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** What to do for the person: send a message, or mark a tapped card as answered. */
export type OutboxPayload =
  { kind: 'send'; message: OutgoingMessage } | { kind: 'update'; update: CardUpdate };

/**
 * A message waiting to go out. `key` is durable and unique (e.g. month, person,
 * kind), so writing the same notification twice stores it once and it is sent once.
 */
export interface OutboxDoc {
  key: string;
  platform: Platform;
  userid: string;
  payload: OutboxPayload;
  status: OutboxStatus;
  /** Sending order: creation time in ms × 1000 plus a counter, so replies to one event keep their order. */
  order: number;
  /** A sender that claimed the message holds it until then; after that another may take it. */
  leaseUntil: Date | null;
  /** The token of the bulk claim that took it last, if any. */
  claimedBy?: string | null;
  attempts: number;
  /** Not sent before this time (backoff, per-person rate limit). */
  notBefore: Date;
  createdAt: Date;
  finishedAt: Date | null;
  /** API messages the platform was sent for it (a long text in pieces), counted by the rate limit. */
  apiCalls?: number | null;
  lastError: string | null;
  /** A file or image uploaded on the first try, reused by retries so their request is the same. */
  media?: StoredMedia | null;
  /** Pieces of a long text already delivered, where the platform has no duplicate check (DingTalk). */
  piecesSent?: number;
  /** A reply to an event carries that event's short-lived reply channel; nothing else does. */
  replyTo?: ReplyChannel;
}

const outboxSchema = new Schema<OutboxDoc>(
  {
    key: { type: String, required: true, unique: true },
    platform: { type: String, enum: PLATFORMS, required: true },
    userid: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    status: { type: String, enum: ['pending', 'sending', 'sent', 'failed'], default: 'pending' },
    order: { type: Number, required: true },
    leaseUntil: { type: Date, default: null },
    // Which bulk claim took it last (ClaimQueue): a token, so a claim can read back what it got.
    claimedBy: { type: String, default: null },
    attempts: { type: Number, default: 0 },
    notBefore: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    apiCalls: { type: Number, default: null },
    lastError: { type: String, default: null },
    media: { type: Schema.Types.Mixed, default: null },
    piecesSent: { type: Number, default: 0 },
    replyTo: { type: Schema.Types.Mixed, default: undefined },
  },
  { collection: 'outbox', versionKey: false },
);
// The sender reads due messages in order; the rate limit counts a person's recent sends.
outboxSchema.index({ status: 1, order: 1 });
outboxSchema.index({ userid: 1, finishedAt: 1 });

/** The outbox model on a connection. */
export function outboxModel(connection: Connection): Model<OutboxDoc> {
  return connection.models.Outbox ?? connection.model<OutboxDoc>('Outbox', outboxSchema);
}
