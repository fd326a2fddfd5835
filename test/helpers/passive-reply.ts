/**
 * Opens a passive reply the way WeCom does before showing it: checks the
 * signature over the Encrypt value, decrypts it, checks it was sealed for the
 * corp, and parses the inner XML. Written independently of the bot's code.
 */
import { decrypt } from '@wecom/crypto';
import { XMLParser } from 'fast-xml-parser';
import type { WecomSettings } from '../../src/channels/wecom/settings';
import { sign } from './wecom-callback';

type Json = Record<string, unknown>;

/** A passive reply as the person's WeCom would show it. */
export interface PassiveReply {
  toUser: string;
  msgType: 'text' | 'update_template_card' | 'update_button';
  text?: string;
  /** For update_template_card: the card in the JSON shape message/send uses. */
  card?: Json;
  /** For update_button: the tapped button's new text. */
  replaceName?: string;
}

// Lists WeCom repeats in the XML: a single one still means a list.
const REPEATED = new Set(['OptionList', 'ButtonList', 'SelectList']);
const parser = new XMLParser({
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => REPEATED.has(name),
});
const JSON_NAMES: Record<string, string> = { CheckBox: 'checkbox' };

/** Throws unless `body` is a passive reply WeCom would accept from this app. */
export function openPassiveReply(settings: WecomSettings, body: string): PassiveReply {
  const envelope = (parser.parse(body) as { xml?: Json }).xml;
  if (!envelope) throw new Error(`passive reply is not <xml>: ${body.slice(0, 80)}`);
  const encrypted = String(envelope.Encrypt ?? '');
  const expected = sign(
    settings.token,
    String(envelope.TimeStamp),
    String(envelope.Nonce),
    encrypted,
  );
  if (envelope.MsgSignature !== expected) throw new Error('passive reply signature is wrong');
  const opened = decrypt(settings.encodingAesKey, encrypted);
  if (opened.id !== settings.corpId) throw new Error(`passive reply sealed for ${opened.id}`);
  const inner = (parser.parse(opened.message) as { xml: Json }).xml;
  if (inner.FromUserName !== settings.corpId) throw new Error('passive reply not from the corp');
  const msgType = inner.MsgType as PassiveReply['msgType'];
  const reply: PassiveReply = { toUser: String(inner.ToUserName), msgType };
  if (msgType === 'text') reply.text = String(inner.Content);
  else if (msgType === 'update_button')
    reply.replaceName = String((inner.Button as Json).ReplaceName);
  else if (msgType === 'update_template_card') reply.card = toJson(inner.TemplateCard) as Json;
  else throw new Error(`unexpected passive reply type ${String(msgType)}`);
  if (reply.text !== undefined && Buffer.byteLength(reply.text) > 2048)
    throw new Error('passive text over 2,048 bytes');
  return reply;
}

function toJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [key, inner] of Object.entries(value as Json)) {
    const name = JSON_NAMES[key] ?? key.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase();
    out[name] = inner === 'true' ? true : inner === 'false' ? false : toJson(inner);
  }
  return out;
}
