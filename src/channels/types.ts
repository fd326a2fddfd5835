/**
 * The neutral vocabulary between messengers and the bot. Receivers turn a
 * platform callback into a ChatEvent; flows answer with OutgoingMessages that a
 * Messenger turns back into the platform's own API calls. Nothing outside
 * src/channels knows a platform field name.
 */
export type Platform = 'wecom' | 'dingtalk';

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

/** How a card is shown once it has been answered: it can no longer be tapped. */
export interface CardUpdate {
  cardId: string;
  updateToken: string;
  /** Short text replacing the card's button, e.g. "已选 8 分". */
  doneLabel: string;
}

/** Sends to people on one platform. Implementations carry transport only. */
export interface Messenger {
  readonly platform: Platform;
  /** Sends one message to one person. Throws a RetryableSendError when worth trying later. */
  send(userId: string, message: OutgoingMessage): Promise<void>;
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
