import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { readBody } from '../channels/shared/read-body';
import type { WecomSettings } from '../channels/wecom/settings';
import type { Clock } from '../lib/clock';
import { safeEqual } from '../lib/safe-equal';
import type { ChatLog, NewEntry } from './chat-log';
import type { MediaStore } from './media-store';
import { SIMULATOR_API_PATH } from './settings';

type Json = Record<string, unknown>;

/** What the simulator's WeCom API works with. */
export interface WecomApiDeps {
  settings: WecomSettings;
  chats: ChatLog;
  media: MediaStore;
  clock: Clock;
}

const TOKEN_LIFETIME_S = 7200;
const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/**
 * The part of WeCom's server API the bot calls, served by the simulator:
 * gettoken, message/send, message/update_template_card and media/upload,
 * with WeCom's answers and errcodes. The bot's real WecomClient talks to it.
 */
export function registerWecomApi(router: Router, deps: WecomApiDeps): void {
  const tokens = new Map<string, number>();
  const tokenValid = (ctx: Context) => {
    const expires = tokens.get(String(ctx.query.access_token ?? ''));
    return expires !== undefined && expires > deps.clock.now().getTime();
  };
  // Every answer is HTTP 200 with an errcode, as WeCom's are.
  const api = (handler: (ctx: Context, raw: Buffer) => Promise<Json> | Json) => {
    return async (ctx: Context) => {
      if (!tokenValid(ctx))
        return void (ctx.body = { errcode: 40014, errmsg: 'invalid access_token' });
      const raw = await readBody(ctx, MAX_UPLOAD_BYTES);
      ctx.body = { errcode: 0, errmsg: 'ok', ...(await handler(ctx, raw)) };
    };
  };

  router.get(`${SIMULATOR_API_PATH}/gettoken`, (ctx) => {
    const { corpid, corpsecret } = ctx.query;
    if (
      corpid !== deps.settings.corpId ||
      !safeEqual(String(corpsecret ?? ''), deps.settings.secret)
    ) {
      ctx.body = { errcode: 40001, errmsg: 'invalid credential' };
      return;
    }
    const token = randomBytes(24).toString('hex');
    tokens.set(token, deps.clock.now().getTime() + TOKEN_LIFETIME_S * 1000);
    ctx.body = { errcode: 0, errmsg: 'ok', access_token: token, expires_in: TOKEN_LIFETIME_S };
  });

  router.post(
    `${SIMULATOR_API_PATH}/message/send`,
    api((_ctx, raw) => {
      const body = jsonOf(raw);
      if (!body) return DATA_FORMAT_ERROR;
      const users = String(body.touser ?? '')
        .split('|')
        .filter(Boolean);
      if (users.length === 0) return { errcode: 40031, errmsg: 'invalid user list' };
      const entry = toEntry(body, deps.media);
      if ('errcode' in entry) return entry;
      const added = users.map((userid) => deps.chats.add({ ...entry, userid }, deps.clock.now()));
      const reply: Json = { msgid: randomBytes(16).toString('hex') };
      if (entry.kind === 'card') reply.response_code = deps.chats.issueCode(added[0]!.id);
      return reply;
    }),
  );

  router.post(
    `${SIMULATOR_API_PATH}/message/update_template_card`,
    api((_ctx, raw) => {
      const body = jsonOf(raw);
      if (!body) return DATA_FORMAT_ERROR;
      const entry = deps.chats.redeemCode(String(body.response_code ?? ''));
      if (!entry) return { errcode: 40058, errmsg: 'invalid response_code' };
      const button = body.button as { replace_name?: string } | undefined;
      if (button?.replace_name) deps.chats.update(entry.id, { replacedLabel: button.replace_name });
      else if (body.template_card)
        deps.chats.update(entry.id, { card: body.template_card as Json });
      return { invaliduser: [] };
    }),
  );

  router.post(
    `${SIMULATOR_API_PATH}/media/upload`,
    api(async (ctx, raw) => {
      const type = String(ctx.query.type ?? '');
      const form = await new Response(new Uint8Array(raw), {
        headers: { 'content-type': ctx.get('content-type') },
      }).formData();
      const media = form.get('media');
      if (!(media instanceof File)) return { errcode: 41001, errmsg: 'media missing' };
      const stored = deps.media.put(type, media.name, Buffer.from(await media.arrayBuffer()));
      return { type, media_id: stored.id, created_at: String(Math.floor(Date.now() / 1000)) };
    }),
  );
}

/** A sent message as a chat entry (for every recipient), or WeCom's refusal. */
function toEntry(
  body: Json,
  media: MediaStore,
): Omit<NewEntry, 'userid'> | { errcode: number; errmsg: string } {
  const part = (name: string) => (body[name] ?? {}) as Json;
  switch (body.msgtype) {
    case 'text':
      return { from: 'bot', kind: 'text', text: String(part('text').content ?? '') };
    case 'markdown':
      return { from: 'bot', kind: 'markdown', text: String(part('markdown').content ?? '') };
    case 'template_card':
      return { from: 'bot', kind: 'card', card: part('template_card') };
    case 'file':
    case 'image': {
      const stored = media.get(String(part(body.msgtype).media_id ?? ''));
      if (!stored) return { errcode: 40007, errmsg: 'invalid media_id' };
      const file = { name: stored.fileName, size: stored.data.length, url: mediaUrl(stored.id) };
      return { from: 'bot', kind: body.msgtype, file };
    }
    default:
      return { errcode: 40008, errmsg: 'invalid message type' };
  }
}

/** Where the page downloads a file the bot sent. */
export function mediaUrl(id: string): string {
  return `/simulator/media/${id}`;
}

// WeCom's answer to a body that is not JSON.
const DATA_FORMAT_ERROR = { errcode: 47001, errmsg: 'data format error' };

function jsonOf(raw: Buffer): Json | null {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
  } catch {
    return null;
  }
}
