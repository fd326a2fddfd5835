import { XMLParser } from 'fast-xml-parser';
import { decryptPayload, isValidSignature } from '../channels/wecom/crypto';
import type { WecomSettings } from '../channels/wecom/settings';
import { isAppError } from '../lib/errors';

type Json = Record<string, unknown>;

/** A passive reply (the answer inside a callback's HTTP response), opened as WeCom opens it. */
export type PassiveReply =
  | { type: 'text'; toUser: string; text: string }
  | { type: 'card'; toUser: string; card: Json }
  | { type: 'label'; toUser: string; label: string };

/** A passive reply WeCom would refuse; its message says why (English, for the log and the page). */
export class BrokenPassiveReply extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrokenPassiveReply';
  }
}

// WeCom's passive texts stop at 2,048 bytes.
const TEXT_MAX_BYTES = 2048;
// Lists WeCom repeats in the XML: a single element still means a list of one.
const REPEATED = new Set([
  'OptionList',
  'ButtonList',
  'SelectList',
  'HorizontalContentList',
  'JumpList',
]);
// Values the card JSON holds as numbers; the XML carries every value as text.
const NUMERIC = new Set(['style', 'mode', 'type']);
// WeCom spells a few elements its own way rather than by the JSON name.
const JSON_NAMES: Record<string, string> = { CheckBox: 'checkbox' };

const parser = new XMLParser({
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => REPEATED.has(name),
});

/**
 * Opens the body of a callback's response the way WeCom does before it shows
 * anything: the signature over Encrypt with the app's Token, the decryption,
 * the receiveid (the corp), then the inner XML. Throws BrokenPassiveReply
 * when WeCom would drop it. An empty body is no reply (null).
 */
export function openPassiveReply(
  settings: WecomSettings,
  body: string,
  toUser: string,
): PassiveReply | null {
  if (body.trim() === '' || body.trim() === 'success') return null;
  const envelope = parseXml(body, 'envelope');
  const encrypted = field(envelope, 'Encrypt');
  const query = {
    timestamp: field(envelope, 'TimeStamp'),
    nonce: field(envelope, 'Nonce'),
    signature: field(envelope, 'MsgSignature'),
  };
  if (!encrypted || !isValidSignature(settings.token, query, encrypted))
    throw new BrokenPassiveReply('passive reply signature does not match');
  let plain: string;
  try {
    plain = decryptPayload(settings, encrypted);
  } catch (err) {
    throw new BrokenPassiveReply(isAppError(err) ? err.message : 'passive reply does not decrypt');
  }
  const inner = parseXml(plain, 'message');
  if (field(inner, 'FromUserName') !== settings.corpId)
    throw new BrokenPassiveReply('passive reply is not from the corp');
  if (field(inner, 'ToUserName') !== toUser)
    throw new BrokenPassiveReply(
      `passive reply is for ${field(inner, 'ToUserName')}, not ${toUser}`,
    );
  return innerReply(inner, toUser);
}

function innerReply(inner: Json, toUser: string): PassiveReply {
  const msgType = field(inner, 'MsgType');
  switch (msgType) {
    case 'text': {
      const text = field(inner, 'Content');
      if (Buffer.byteLength(text, 'utf8') > TEXT_MAX_BYTES)
        throw new BrokenPassiveReply('passive text is over 2,048 bytes');
      return { type: 'text', toUser, text };
    }
    case 'update_button': {
      const label = field(obj(inner.Button), 'ReplaceName');
      if (!label) throw new BrokenPassiveReply('update_button without ReplaceName');
      return { type: 'label', toUser, label };
    }
    case 'update_template_card': {
      const card = toJson(inner.TemplateCard) as Json;
      if (typeof card !== 'object' || !card || !card.card_type)
        throw new BrokenPassiveReply('update_template_card without a TemplateCard');
      return { type: 'card', toUser, card };
    }
    default:
      throw new BrokenPassiveReply(`passive reply of unknown type ${msgType}`);
  }
}

function parseXml(text: string, what: string): Json {
  // As the bot's receiver does: no DTD, so no entity can expand.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new BrokenPassiveReply(`${what} carries a DTD`);
  try {
    const xml = (parser.parse(text) as { xml?: unknown }).xml;
    if (typeof xml === 'object' && xml !== null) return xml as Json;
  } catch {
    // reported below
  }
  throw new BrokenPassiveReply(`${what} is not WeCom XML: ${text.slice(0, 60)}`);
}

const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const field = (xml: Json, name: string): string =>
  typeof xml[name] === 'string' ? (xml[name] as string) : '';

/** The card's XML (PascalCase, repeated elements) back as the template_card JSON message/send takes. */
function toJson(value: unknown, name = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => toJson(v, name));
  if (typeof value === 'string') {
    if (name.startsWith('is_') && (value === 'true' || value === 'false')) return value === 'true';
    return NUMERIC.has(name) && /^\d+$/.test(value) ? Number(value) : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [key, inner] of Object.entries(value as Json)) {
    const snake = JSON_NAMES[key] ?? key.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase();
    out[snake] = toJson(inner, snake);
  }
  return out;
}
