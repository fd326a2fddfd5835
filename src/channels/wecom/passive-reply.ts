import { XMLBuilder } from 'fast-xml-parser';
import type { InlineReply } from '../types';
import { pooledRandomBytes } from '../../lib/random-pool';
import { splitUtf8 } from '../shared/split-text';
import { encryptPayload, wecomSignature } from './crypto';
import { templateCard, WECOM_TEXT_MAX_BYTES } from './messenger';
import type { WecomSettings } from './settings';

type XmlValue = string | number | { __cdata: string } | XmlObject | XmlValue[];
interface XmlObject {
  [name: string]: XmlValue;
}

const builder = new XMLBuilder({ cdataPropName: '__cdata', suppressEmptyNode: false });
const cdata = (value: string) => ({ __cdata: value });

/**
 * The passive reply WeCom takes in a callback's HTTP response: the inner
 * message (a text for a typed message; update_template_card or update_button
 * for a card tap) sealed for the corp and signed like a callback.
 */
export function passiveReplyXml(
  settings: WecomSettings,
  toUser: string,
  reply: InlineReply,
  now: Date,
): string {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const inner = builder.build({ xml: innerMessage(settings, toUser, reply, timestamp) });
  const encrypted = encryptPayload(settings, inner);
  const nonce = pooledRandomBytes(8).toString('hex');
  return builder.build({
    xml: {
      Encrypt: cdata(encrypted),
      MsgSignature: cdata(wecomSignature(settings.token, timestamp, nonce, encrypted)),
      TimeStamp: timestamp,
      Nonce: cdata(nonce),
    },
  });
}

function innerMessage(
  settings: WecomSettings,
  toUser: string,
  reply: InlineReply,
  timestamp: string,
): XmlObject {
  const head = {
    ToUserName: cdata(toUser),
    FromUserName: cdata(settings.corpId),
    CreateTime: timestamp,
  };
  switch (reply.type) {
    case 'text': {
      // A passive text holds one message of at most 2,048 bytes; the bot keeps within it.
      const [content = ''] = splitUtf8(reply.text, WECOM_TEXT_MAX_BYTES);
      return { ...head, MsgType: cdata('text'), Content: cdata(content) };
    }
    case 'label':
      return {
        ...head,
        MsgType: cdata('update_button'),
        Button: { ReplaceName: cdata(reply.doneLabel) },
      };
    case 'card': {
      // The passive form of a template card is its JSON in PascalCase, lists as repeated
      // elements; it keeps the tapped card's TaskId, so later taps still name that card.
      const card = templateCard(reply.card);
      return { ...head, MsgType: cdata('update_template_card'), TemplateCard: toXml(card) };
    }
  }
}

/** A template_card body (snake_case JSON) as WeCom's passive XML (PascalCase elements). */
export function toXml(json: Record<string, unknown>): XmlObject {
  const out: XmlObject = {};
  for (const [key, value] of Object.entries(json)) {
    if (value === undefined || value === null) continue;
    out[pascal(key)] = toXmlValue(value);
  }
  return out;
}

function toXmlValue(value: unknown): XmlValue {
  if (Array.isArray(value)) return value.map(toXmlValue);
  if (typeof value === 'object' && value !== null) return toXml(value as Record<string, unknown>);
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return cdata(String(value));
}

// WeCom spells a few elements its own way rather than by the JSON name.
const ELEMENT_NAMES: Record<string, string> = { checkbox: 'CheckBox' };

function pascal(key: string): string {
  if (ELEMENT_NAMES[key]) return ELEMENT_NAMES[key];
  return key
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
