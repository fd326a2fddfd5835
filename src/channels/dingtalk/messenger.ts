import { systemClock, type Clock } from '../../lib/clock';
import type {
  ButtonCard,
  CardUpdate,
  ChoiceCard,
  Messenger,
  OutgoingMessage,
  ReplyChannel,
  SendContext,
} from '../types';
import { splitUtf8 } from '../shared/split-text';
import { cardRequest, cardUpdateRequest } from './cards';
import { DingtalkApiError, type DingtalkClient } from './client';

/** How much text goes into one robot message, in UTF-8 bytes (kept below DingTalk's limit). */
export const DINGTALK_TEXT_MAX_BYTES = 4000;

/** One robot message: a built-in template key and its parameters. */
export interface RobotMessage {
  msgKey: 'sampleText' | 'sampleMarkdown';
  msgParam: Record<string, string>;
}

/** Optional behaviour of the messenger. */
export interface DingtalkMessengerOptions {
  /**
   * Template of the interactive card for ChoiceCards (see cards.ts for the
   * variables it must declare). Without it ChoiceCards go out as markdown.
   */
  cardTemplateId?: string;
  /** Tells whether a reply channel has expired (the system clock by default). */
  clock?: Clock;
}

// A reply channel this close to its expiry is not tried: the message could arrive after it.
const REPLY_CHANNEL_MARGIN_MS = 5_000;

/**
 * Sends the bot's neutral messages as DingTalk robot one-to-one messages (text
 * and markdown), and ChoiceCards as interactive cards when a template is set.
 */
export class DingtalkMessenger implements Messenger {
  readonly platform = 'dingtalk' as const;

  constructor(
    private readonly client: DingtalkClient,
    private readonly options: DingtalkMessengerOptions = {},
  ) {}

  /**
   * Sends one message; long text goes out as several messages, in order. An
   * interactive card is created under its stable card id (outTrackId), so a retry
   * finds the card instead of making a second. A reply to a typed message goes
   * through its session webhook while that is valid (no batchSend, no flow
   * control); otherwise through batchSend, which has no duplicate guard: each
   * delivered piece of a long text is recorded at once, and a retry skips it.
   */
  async send(userId: string, message: OutgoingMessage, context?: SendContext): Promise<number> {
    const { cardTemplateId } = this.options;
    if ((message.type === 'choice' || message.type === 'buttons') && cardTemplateId) {
      const { robotCode } = this.client.settings;
      await this.client.createAndDeliverCard(
        cardRequest(message, userId, { robotCode, cardTemplateId }),
      );
      return 1;
    }
    if (message.type === 'file' || message.type === 'image') {
      const mediaId = await this.client.uploadMedia(message.type, message.fileName, message.data);
      const [msgKey, msgParam] =
        message.type === 'file'
          ? [
              'sampleFile',
              { mediaId, fileName: message.fileName, fileType: extension(message.fileName) },
            ]
          : ['sampleImageMsg', { photoURL: mediaId }];
      await this.client.batchSend([userId], msgKey, msgParam);
      return 1;
    }
    const pieces = robotMessages(message);
    let session = this.validSession(context?.replyTo);
    for (let piece = context?.piecesSent ?? 0; piece < pieces.length; piece += 1) {
      const robotMessage = pieces[piece]!;
      let sent = false;
      if (session) {
        try {
          await this.client.sendBySession(session, sessionMessage(robotMessage));
          sent = true;
        } catch (err) {
          // The webhook refused (expired early, revoked): the message still goes, by batchSend.
          // A network error or a busy server is thrown as retryable, like any other send.
          if (!(err instanceof DingtalkApiError)) throw err;
          session = undefined;
        }
      }
      if (!sent) await this.client.batchSend([userId], robotMessage.msgKey, robotMessage.msgParam);
      // The last piece is recorded by the outbox marking the item sent.
      if (piece < pieces.length - 1) await context?.rememberPieces?.(piece + 1);
    }
    return pieces.length - (context?.piecesSent ?? 0);
  }

  private validSession(replyTo: ReplyChannel | undefined): string | undefined {
    if (!replyTo || !this.client.isSessionWebhook(replyTo.url)) return undefined;
    const now = (this.options.clock ?? systemClock).now().getTime();
    const expiresAt = new Date(replyTo.expiresAt).getTime();
    return expiresAt - REPLY_CHANNEL_MARGIN_MS > now ? replyTo.url : undefined;
  }

  /**
   * Marks an interactive card as done. Without a card template it does
   * nothing: a markdown message cannot be edited, and the typed answer already
   * shows the choice.
   */
  async updateCard(_userId: string, update: CardUpdate): Promise<void> {
    if (!this.options.cardTemplateId) return;
    await this.client.updateCard(cardUpdateRequest(update));
  }
}

/** The robot messages that carry `message`; throws for kinds DingTalk is not wired for yet. */
export function robotMessages(message: OutgoingMessage): RobotMessage[] {
  switch (message.type) {
    case 'text':
      return pieces(message.text).map((content) => ({
        msgKey: 'sampleText',
        msgParam: { content },
      }));
    case 'markdown':
      return pieces(message.markdown).map((text) => ({
        msgKey: 'sampleMarkdown',
        msgParam: { title: message.title, text },
      }));
    case 'choice':
      return [
        {
          msgKey: 'sampleMarkdown',
          msgParam: { title: message.title, text: choiceMarkdown(message) },
        },
      ];
    case 'buttons':
      return [
        {
          msgKey: 'sampleMarkdown',
          msgParam: { title: message.title, text: buttonsMarkdown(message) },
        },
      ];
    case 'file':
    case 'image':
      // Files and images need an upload first: DingtalkMessenger.send does it.
      throw new Error('dingtalk: files and images are sent after an upload, not as robot messages');
  }
}

/** A robot message in the session webhook's own shape (`msgtype` and its body). */
export function sessionMessage({ msgKey, msgParam }: RobotMessage): Record<string, unknown> {
  return msgKey === 'sampleText'
    ? { msgtype: 'text', text: { content: msgParam.content } }
    : { msgtype: 'markdown', markdown: { title: msgParam.title, text: msgParam.text } };
}

/**
 * A ChoiceCard as markdown to answer by typing: with no card template
 * configured, nothing can be tapped. Options are numbered by their id when
 * every id is a number (scores), otherwise by position from 1.
 */
export function choiceMarkdown(card: ChoiceCard): string {
  const byId = card.options.every((option) => /^\d+$/.test(option.id));
  const lines = card.options.map((option, index) => {
    const mark = option.id === card.selected ? '（当前）' : '';
    return `- **${byId ? option.id : index + 1}** ${option.label}${mark}`;
  });
  return [`### ${card.title}`, card.description, lines.join('\n'), '回复数字即可']
    .filter((block) => block.trim() !== '')
    .join('\n\n');
}

/** A ButtonCard as markdown: with no card template, each button is offered as what to type. */
export function buttonsMarkdown(card: ButtonCard): string {
  const offers = card.lockedLabel
    ? [card.lockedLabel]
    : card.buttons.filter((b) => b.typed).map((b) => `- 回复 **${b.typed}**：${b.label}`);
  return [`### ${card.title}`, card.description, offers.join('\n')]
    .filter((block) => block.trim() !== '')
    .join('\n\n');
}

function pieces(text: string): string[] {
  const result = splitUtf8(text, DINGTALK_TEXT_MAX_BYTES);
  if (result.length === 0) throw new Error('dingtalk: refusing to send an empty message');
  return result;
}

/** The extension DingTalk's sampleFile wants as fileType (xlsx, png…). */
function extension(fileName: string): string {
  return fileName.includes('.')
    ? fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase()
    : 'file';
}
