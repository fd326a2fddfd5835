import { createHash } from 'node:crypto';
import { assertValidUserId } from '../shared/user-id';
import { AppError } from '../../lib/errors';
import type { CardAction, ChatEvent } from '../types';
import { xmlList, xmlText, type XmlNode } from './xml';

/**
 * Turns a decrypted callback into the bot's neutral event, or null for kinds
 * the bot does not handle (images, location, menu clicks…), which are
 * acknowledged and dropped.
 */
export function toChatEvent(message: XmlNode): ChatEvent | null {
  const userId = xmlText(message, 'FromUserName');
  const createTime = xmlText(message, 'CreateTime');
  if (!userId || !/^\d+$/.test(createTime)) {
    throw new AppError('bad_payload', 'wecom message lacks FromUserName or CreateTime');
  }
  assertValidUserId('wecom', userId);
  const base = { platform: 'wecom' as const, userId, at: new Date(Number(createTime) * 1000) };
  const msgType = xmlText(message, 'MsgType');

  if (msgType === 'text') {
    const msgId = xmlText(message, 'MsgId');
    if (!msgId) throw new AppError('bad_payload', 'wecom text message lacks MsgId');
    return {
      ...base,
      id: `wecom:msg:${msgId}`,
      kind: 'text',
      text: xmlText(message, 'Content').trim(),
    };
  }
  if (msgType !== 'event') return null;

  const event = xmlText(message, 'Event');
  const id = `wecom:evt:${eventHash(message, userId, createTime)}`;
  if (event === 'enter_agent') return { ...base, id, kind: 'enter' };
  if (event === 'template_card_event')
    return { ...base, id, kind: 'action', action: cardAction(message) };
  return null;
}

// Events carry no MsgId. WeCom's advice is FromUserName + CreateTime, which
// collides when one person taps two cards within a second, so the event, key
// and card are part of it. The separator keeps ('ab','c') apart from ('a','bc').
function eventHash(message: XmlNode, userId: string, createTime: string): string {
  const parts = [
    userId,
    createTime,
    ...['Event', 'EventKey', 'TaskId'].map((n) => xmlText(message, n)),
  ];
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

function cardAction(message: XmlNode): CardAction {
  const selections: Record<string, string[]> = {};
  const container = xmlList(message, 'SelectedItems')[0];
  for (const item of xmlList(container, 'SelectedItem')) {
    const questionKey = xmlText(item, 'QuestionKey');
    if (!questionKey) continue;
    const optionIds = xmlList(item, 'OptionIds')[0]?.OptionId;
    selections[questionKey] = Array.isArray(optionIds)
      ? optionIds.filter((id): id is string => typeof id === 'string')
      : [];
  }
  const responseCode = xmlText(message, 'ResponseCode');
  return {
    cardId: xmlText(message, 'TaskId'),
    key: xmlText(message, 'EventKey'),
    selections,
    ...(responseCode ? { updateToken: responseCode } : {}),
  };
}
