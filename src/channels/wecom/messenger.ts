import { createHash } from 'node:crypto';
import type {
  ButtonCard,
  CardUpdate,
  ChoiceCard,
  Messenger,
  OutgoingMessage,
  SendContext,
} from '../types';
import { WecomApiError, type WecomClient, type WecomReply } from './client';
import { splitUtf8 } from '../shared/split-text';

/** WeCom's limit for text and markdown content, in UTF-8 bytes. */
export const WECOM_TEXT_MAX_BYTES = 2048;

// task_id: digits, letters and _-@, at most 128 bytes; WeCom refuses anything else.
const TASK_ID = /^[0-9A-Za-z_\-@]{1,128}$/;
const MAX_OPTIONS = 20;
// A task_id used before: our task ids are unique per outbox item, so the card went out on an earlier try.
const TASK_ID_USED = 42014;

/**
 * WeCom's duplicate check: the same request within the interval is answered ok and not
 * delivered again, which makes a resend after a crash or a lost answer harmless. The
 * interval must outlast the outbox's lease (60 s) and the backoff of a send whose
 * answer was lost (2 s doubling, capped at 10 min: 13 tries fit in an hour), and
 * stay under WeCom's 4 h cap. Part of the interval comes from the outbox key: two
 * different items with the same text (a repeated hint) then differ in their bytes, so
 * a check that compares whole requests does not swallow the second one.
 */
export const DUPLICATE_CHECK_BASE_S = 3600;
export const DUPLICATE_CHECK_SPREAD_S = 3600;
/** Temporary media live 3 days; past 2.5 the upload is redone rather than risk an expired id. */
export const MEDIA_REUSE_MS = 60 * 60 * 60 * 1000;

type Body = Record<string, unknown>;

/** Sends the bot's neutral messages as WeCom app messages (text, markdown, vote cards, files). */
export class WecomMessenger implements Messenger {
  readonly platform = 'wecom' as const;

  constructor(private readonly client: WecomClient) {}

  /**
   * Sends one message; long text goes out as several messages, in order. The
   * request bodies depend only on the message and the context's key (and a stored
   * media id), so a retry sends the very same bytes. Answers how many
   * API messages it took.
   */
  async send(userId: string, message: OutgoingMessage, context?: SendContext): Promise<number> {
    const bodies = await this.bodies(message, context);
    for (const [piece, body] of bodies.entries()) {
      const request = sendRequest(userId, this.client.agentId, body, context?.key, piece);
      try {
        assertDelivered(await this.client.sendMessage(request), userId, '/message/send');
      } catch (err) {
        if (err instanceof WecomApiError && err.errcode === TASK_ID_USED) continue;
        throw err;
      }
    }
    return bodies.length;
  }

  /** Turns the tapped card's button into an inert label; the update token works once, for 72 h. */
  async updateCard(userId: string, update: CardUpdate): Promise<void> {
    const reply = await this.client.updateTemplateCard({
      userids: [userId],
      agentid: this.client.agentId,
      response_code: update.updateToken,
      button: { replace_name: update.doneLabel },
    });
    assertDelivered(reply, userId, '/message/update_template_card');
  }

  private async bodies(message: OutgoingMessage, context?: SendContext): Promise<Body[]> {
    switch (message.type) {
      case 'text':
        return pieces(message.text).map((content) => ({ msgtype: 'text', text: { content } }));
      case 'markdown':
        // WeCom shows no separate title; the title is for platforms that preview it.
        return pieces(message.markdown).map((content) => ({
          msgtype: 'markdown',
          markdown: { content },
        }));
      case 'choice':
        return [{ msgtype: 'template_card', template_card: voteCard(message) }];
      case 'buttons':
        return [{ msgtype: 'template_card', template_card: buttonCard(message) }];
      case 'file':
        return [{ msgtype: 'file', file: { media_id: await this.media(message, context) } }];
      case 'image':
        return [{ msgtype: 'image', image: { media_id: await this.media(message, context) } }];
    }
  }

  /**
   * The media id for a file or image: the one stored by an earlier try while it is
   * fresh, else a new upload, stored before the send so that a retry reuses it
   * (a fresh upload would change the body and defeat the duplicate check).
   */
  private async media(
    message: Extract<OutgoingMessage, { type: 'file' | 'image' }>,
    context?: SendContext,
  ): Promise<string> {
    const stored = context?.media;
    if (stored && context.now.getTime() - new Date(stored.uploadedAt).getTime() < MEDIA_REUSE_MS)
      return stored.mediaId;
    const mediaId = await this.client.uploadMedia(message.type, message.fileName, message.data);
    await context?.rememberMedia?.({ mediaId, uploadedAt: context.now });
    return mediaId;
  }
}

/**
 * One message/send body. Built field by field in a fixed order (JSON.stringify keeps
 * insertion order), so the same item always makes the same bytes.
 */
export function sendRequest(
  userId: string,
  agentId: number,
  body: Body,
  key?: string,
  piece = 0,
): Body {
  const { msgtype, ...content } = body;
  return {
    touser: userId,
    msgtype,
    agentid: agentId,
    ...content,
    enable_duplicate_check: 1,
    duplicate_check_interval: duplicateCheckInterval(key, piece),
  };
}

/**
 * The duplicate check interval for piece `piece` of an outbox item: the base plus a
 * part derived from the key, one apart per piece, so that equal pieces of one long
 * text (a line cut every 2,048 bytes) are distinct requests.
 */
export function duplicateCheckInterval(key = '', piece = 0): number {
  const spread = createHash('sha256').update(key).digest().readUInt32BE(0);
  return DUPLICATE_CHECK_BASE_S + ((spread + piece) % DUPLICATE_CHECK_SPREAD_S);
}

function pieces(text: string): string[] {
  const result = splitUtf8(text, WECOM_TEXT_MAX_BYTES);
  if (result.length === 0) throw new Error('wecom: refusing to send an empty message');
  return result;
}

/**
 * A ChoiceCard as a vote_interaction card in single-choice mode: it holds up
 * to 20 options (a 0–10 score needs 11), where button_interaction stops at 6.
 */
export function voteCard(card: ChoiceCard): Body {
  if (!TASK_ID.test(card.cardId)) throw new Error(`wecom: invalid card id ${card.cardId}`);
  if (card.options.length === 0 || card.options.length > MAX_OPTIONS) {
    throw new Error(`wecom: a choice card takes 1 to ${MAX_OPTIONS} options`);
  }
  return {
    card_type: 'vote_interaction',
    task_id: card.cardId,
    main_title: { title: card.title, desc: card.description },
    checkbox: {
      question_key: card.questionKey,
      mode: 0,
      option_list: card.options.map((option) => ({
        id: option.id,
        text: option.label,
        is_checked: option.id === card.selected,
      })),
    },
    submit_button: { text: card.submitLabel, key: card.submitKey },
  };
}

// A button_interaction card takes at most six buttons.
const MAX_BUTTONS = 6;

/**
 * A ButtonCard as a button_interaction card. A locked one keeps a button
 * (WeCom wants at least one) and shows `replace_text` in place of the buttons.
 */
export function buttonCard(card: ButtonCard): Body {
  if (!TASK_ID.test(card.cardId)) throw new Error(`wecom: invalid card id ${card.cardId}`);
  const buttons = card.buttons.length > 0 ? card.buttons : [{ key: 'done', label: '好的' }];
  if (buttons.length > MAX_BUTTONS) {
    throw new Error(`wecom: a button card takes at most ${MAX_BUTTONS} buttons`);
  }
  return {
    card_type: 'button_interaction',
    task_id: card.cardId,
    main_title: { title: card.title, desc: card.description },
    button_list: buttons.map((button) => ({
      text: button.label,
      style: button.secondary ? 2 : 1,
      key: button.key,
    })),
    ...(card.lockedLabel ? { replace_text: card.lockedLabel } : {}),
  };
}

/** Any card as the template_card body WeCom takes. */
export function templateCard(card: ChoiceCard | ButtonCard): Body {
  return card.type === 'choice' ? voteCard(card) : buttonCard(card);
}

// WeCom answers errcode 0 yet lists the person in `invaliduser` when they are
// unknown or outside the app's visibility: nothing was delivered, and retrying will not help.
// (message/send lists them as 'a|b', update_template_card as an array.)
function assertDelivered(reply: WecomReply, userId: string, path: string): void {
  const field = reply.invaliduser;
  const invalid = Array.isArray(field) ? field : typeof field === 'string' ? field.split('|') : [];
  if (invalid.includes(userId)) {
    throw new WecomApiError(reply.errcode ?? 0, `invaliduser ${userId}`, path);
  }
}
