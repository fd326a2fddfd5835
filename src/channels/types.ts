/**
 * The neutral vocabulary between messengers and the bot. Receivers turn a
 * platform callback into a ChatEvent; flows answer with OutgoingMessages that a
 * Messenger turns back into the platform's own API calls. Nothing outside
 * src/channels knows a platform field name.
 */
import type { Platform } from './index';

export type { Platform } from './index';

/** One thing a person did in a messenger: typed text, or tapped a card. */
export interface ChatEvent {
  /** Stable id of this delivery, used to drop platform retries (e.g. WeCom MsgId). */
  id: string;
  platform: Platform;
  /** The person's id in that messenger (the roster's `userid`). */
  userId: string;
  /** When the platform says it happened. */
  at: Date;
  kind: 'text' | 'action' | 'enter';
  /** For `text`: what was typed, trimmed. */
  text?: string;
  /** For `action`: the tapped card's button or submit key and what was selected. */
  action?: CardAction;
  /**
   * A short-lived address that answers this very conversation (DingTalk's
   * session webhook). Only replies to this event may use it, never later
   * messages such as reminders: it expires, and past that the platform's
   * ordinary send is used.
   */
  replyTo?: ReplyChannel;
}

/** Where replies to one event can go without the platform's rate-limited send API. */
export interface ReplyChannel {
  url: string;
  /** After this the address no longer works. */
  expiresAt: Date;
}

/** A tap on a card. */
export interface CardAction {
  /** The card's id as we created it (WeCom task_id). */
  cardId: string;
  /** The key of the button or submit button that was pressed. */
  key: string;
  /** Selected option ids per question key (a vote list or dropdown). */
  selections: Record<string, string[]>;
  /** A platform token that allows updating this card once (WeCom response_code). */
  updateToken?: string;
}

/** A choice the person can tap. */
export interface ChoiceOption {
  id: string;
  label: string;
}

/** Messages the bot sends, whatever the platform. */
export type OutgoingMessage =
  | { type: 'text'; text: string }
  | { type: 'markdown'; title: string; markdown: string }
  | ChoiceCard
  | ButtonCard
  | { type: 'file'; fileName: string; mimeType: string; data: Buffer }
  | { type: 'image'; fileName: string; data: Buffer };

/**
 * A card asking one question: a title, a few lines of description, a single
 * choice among up to 20 options, and a submit button. Buttons below it are
 * extra actions (e.g. back, skip).
 */
export interface ChoiceCard {
  type: 'choice';
  /** Unique per card ever sent; a platform may refuse a reused id. */
  cardId: string;
  title: string;
  description: string;
  /** Question key reported back in CardAction.selections. */
  questionKey: string;
  options: ChoiceOption[];
  /** Preselected option id, when the question was answered before. */
  selected?: string;
  submitKey: string;
  submitLabel: string;
}

/** A button on a card; its key comes back in CardAction.key when tapped. */
export interface CardButton {
  key: string;
  label: string;
  /** A secondary action (drawn less prominently), e.g. 修改 next to 提交. */
  secondary?: boolean;
  /** What to type instead (e.g. /submit), where a platform cannot show buttons. */
  typed?: string;
}

/**
 * A card of a title, a few lines and up to six buttons (提交 / 修改, 确认 /
 * 申诉, 下一位 …). With `lockedLabel` it is shown done: no button can be
 * tapped, the label stands in their place (e.g. 已提交).
 */
export interface ButtonCard {
  type: 'buttons';
  /** Unique per card ever sent; a platform may refuse a reused id. */
  cardId: string;
  title: string;
  description: string;
  buttons: CardButton[];
  lockedLabel?: string;
}

/** Any card a person can tap. */
export type Card = ChoiceCard | ButtonCard;

/**
 * The answer given inside the callback's own HTTP response (WeCom's passive
 * reply, DingTalk's card-callback response): it costs no API call. A text
 * answers a typed message; a card replaces the tapped card in place; a label
 * only locks the tapped card's button.
 */
export type InlineReply =
  | { type: 'text'; text: string }
  | { type: 'card'; card: Card }
  | { type: 'label'; cardId: string; doneLabel: string };

/** How a card is shown once it has been answered: it can no longer be tapped. */
export interface CardUpdate {
  cardId: string;
  updateToken: string;
  /** Short text replacing the card's button, e.g. "已选 8 分". */
  doneLabel: string;
}

/** A medium uploaded for a message, kept so that a retry sends the same media id. */
export interface StoredMedia {
  mediaId: string;
  uploadedAt: Date;
}

/**
 * Where a message comes from, so that trying it again makes the same request
 * (WeCom drops a repeated identical request): the outbox item's durable key,
 * and the media uploaded on an earlier try.
 */
export interface SendContext {
  key: string;
  now: Date;
  media?: StoredMedia | null;
  /** Persists a medium uploaded on this try, before the message that uses it is sent. */
  rememberMedia?(media: StoredMedia): Promise<void>;
  /** Pieces of a long text an earlier try delivered (a platform without a duplicate check skips them). */
  piecesSent?: number;
  /** Persists how many pieces are delivered, right after each but the last. */
  rememberPieces?(count: number): Promise<void>;
  /**
   * The event's reply channel when the message answers that event; a
   * messenger uses it while it is valid.
   */
  replyTo?: ReplyChannel;
}

/** Sends to people on one platform. Implementations carry transport only. */
export interface Messenger {
  readonly platform: Platform;
  /**
   * Sends one message to one person; answers how many API messages that took
   * (a long text goes out in pieces, and the platform's per-person limit counts
   * each). Throws a RetryableSendError when worth trying later.
   */
  send(userId: string, message: OutgoingMessage, context?: SendContext): Promise<number>;
  /** Marks an answered card as done. */
  updateCard(userId: string, update: CardUpdate): Promise<void>;
}

/** A send that failed for a reason that may pass (platform busy, rate limit, network). */
export class RetryableSendError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs = 0,
  ) {
    super(message);
    this.name = 'RetryableSendError';
  }
}

/**
 * A definite refusal by the platform (unknown recipient, bad card, no
 * permission…): retrying will not help, so the message fails for good.
 */
export class SendRefusedError extends Error {}

/** The platform's own code of a refusal (WeCom's errcode, DingTalk's code), for logs and metrics. */
export function refusalCode(err: unknown): string {
  const { errcode, code } = (err ?? {}) as { errcode?: unknown; code?: unknown };
  const value = errcode ?? code;
  return typeof value === 'number' || typeof value === 'string' ? String(value) : '';
}
