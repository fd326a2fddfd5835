import { AppError } from '../../lib/errors';
import { assertValidUserId } from '../shared/user-id';
import type { ChatEvent, ReplyChannel } from '../types';

/**
 * Turns a robot callback body into the bot's neutral event, or null for what
 * the bot does not handle (group chats, pictures, voice…), which is
 * acknowledged and dropped.
 */
export function toChatEvent(body: unknown, now: Date): ChatEvent | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('bad_payload', 'dingtalk callback is not a JSON object');
  }
  const message = body as Record<string, unknown>;
  // "1" is a one-to-one chat; assessments are private, so group messages are never answered.
  if (message.conversationType !== '1' || message.msgtype !== 'text') return null;
  const { msgId, senderStaffId, createAt } = message;
  const content = (message.text as { content?: unknown } | undefined)?.content;
  // senderStaffId is absent for people outside the company: they are not on the roster.
  if (typeof senderStaffId !== 'string' || !senderStaffId) return null;
  assertValidUserId('dingtalk', senderStaffId);
  if (typeof msgId !== 'string' || !msgId || typeof content !== 'string') {
    throw new AppError('bad_payload', 'dingtalk text message lacks msgId or text.content');
  }
  return {
    id: `dingtalk:msg:${msgId}`,
    platform: 'dingtalk',
    userId: senderStaffId,
    at: typeof createAt === 'number' && Number.isFinite(createAt) ? new Date(createAt) : now,
    kind: 'text',
    text: content.trim(),
    ...sessionReply(message),
  };
}

// The session webhook answers this conversation until it expires: replies use it, not batchSend.
function sessionReply(message: Record<string, unknown>): { replyTo?: ReplyChannel } {
  const { sessionWebhook: url, sessionWebhookExpiredTime: expires } = message;
  if (typeof url !== 'string' || (!url.startsWith('https://') && !url.startsWith('http://')))
    return {};
  if (typeof expires !== 'number' || !Number.isFinite(expires)) return {};
  return { replyTo: { url, expiresAt: new Date(expires) } };
}
