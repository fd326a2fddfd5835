import { Schema, type Connection, type Model } from 'mongoose';

/** What a card that was sent asks, so a tap on it (even weeks later) lands on the right question. */
export interface CardDoc {
  cardId: string;
  /** Who the card was sent to. */
  userid: string;
  /** The flow that handles taps on it, and that flow's own data. */
  flow: string;
  data: Record<string, unknown>;
  /**
   * Cards replaced in place (answered inside a callback) before their keys
   * carried their routes, and routes too long for a key: where each later
   * step's taps go, by the step id its keys carry. Still read; new steps
   * carry their route on the keys (bot/step-route.ts).
   */
  steps?: Record<string, { flow: string; data: Record<string, unknown> }>;
  createdAt: Date;
}

const cardSchema = new Schema<CardDoc>(
  {
    cardId: { type: String, required: true, unique: true },
    userid: { type: String, required: true },
    flow: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    steps: { type: Schema.Types.Mixed, default: undefined },
    createdAt: { type: Date, required: true },
  },
  { collection: 'cards', versionKey: false },
);

/** The cards model on a connection. */
export function cardModel(connection: Connection): Model<CardDoc> {
  return connection.models.Card ?? connection.model<CardDoc>('Card', cardSchema);
}
