/**
 * Requests to /wecom/callback that WeCom never sends: forged or stale
 * signatures, ciphertexts that do not open, envelopes that are not what was
 * signed, declarations, oversized and non-UTF-8 bodies, sender ids that are
 * not ids, other methods. Each must be refused with a 4xx before the bot sees it.
 */
import { randomBytes } from 'node:crypto';
import type { WecomSettings } from '../../src/channels/wecom/settings';
import { callbackPath, sealCallback, textCallback } from '../helpers/wecom-callback';
import { sealRaw, signedEnvelope } from '../helpers/wecom-forgery';

/** One hostile request. */
export interface Forgery {
  name: string;
  method?: 'POST' | 'PUT' | 'DELETE';
  path: string;
  body: string | Buffer;
  /** The answer expected: 401 unsigned or stale, 400 not WeCom's shape, 413 too big, 405. */
  status: number;
}

const HOUR_S = 3600;
let msgId = 9_000_000;

/** A text message from a roster member, as WeCom would seal it (the inner XML). */
function innerText(settings: WecomSettings, from: string, content: string): string {
  return (
    `<xml><ToUserName><![CDATA[${settings.corpId}]]></ToUserName>` +
    `<FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime>` +
    `<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>` +
    `<MsgId>${++msgId}</MsgId><AgentID>${settings.agentId}</AgentID></xml>`
  );
}

/** Every forgery, built fresh (timestamps are now). */
export function wecomForgeries(settings: WecomSettings): Forgery[] {
  const now = Math.floor(Date.now() / 1000);
  const text = (content = '/status', from = 'zhangwei') =>
    textCallback(settings, { from, content, msgId: String(++msgId) });
  const at = (
    cb: { query: Record<string, string>; body: string | Buffer },
    name: string,
    status: number,
  ) => ({ name, status, path: callbackPath(cb.query), body: cb.body });
  const sealed = (inner: string) => sealCallback(settings, inner);
  const raw = (seal: Parameters<typeof sealRaw>[1]) =>
    signedEnvelope(settings, sealRaw(settings, seal));
  const good = text();
  const noSignature = { timestamp: good.query.timestamp, nonce: good.query.nonce };
  const bomb = '<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>';
  const twoEncrypt = signedEnvelope(
    settings,
    sealRaw(settings, { message: innerText(settings, 'zhangwei', '/status') }),
    (e) => `<xml><Encrypt><![CDATA[${e}]]></Encrypt><Encrypt><![CDATA[${e}]]></Encrypt></xml>`,
  );
  const notUtf8 = text();
  return [
    at(
      { ...good, query: { ...good.query, msg_signature: 'f'.repeat(40) } },
      'a forged signature',
      401,
    ),
    { name: 'no query parameters', status: 401, path: '/wecom/callback', body: text().body },
    at({ ...good, query: noSignature }, 'no msg_signature', 401),
    at(
      textCallback(
        settings,
        { from: 'zhangwei', content: '/status', msgId: '1' },
        { timestamp: now - 2 * HOUR_S },
      ),
      'a stale timestamp',
      401,
    ),
    at(
      textCallback(
        settings,
        { from: 'zhangwei', content: '/status', msgId: '2' },
        { timestamp: now + 2 * HOUR_S },
      ),
      'a far-future timestamp',
      401,
    ),
    at(
      textCallback(
        settings,
        { from: 'zhangwei', content: '/status', msgId: '3' },
        { receiveId: 'wwOTHERCORP000000' },
      ),
      'a ciphertext sealed for another corp id',
      401,
    ),
    at(
      signedEnvelope(settings, randomBytes(40).toString('base64')),
      'a ciphertext of 40 bytes (not whole blocks)',
      400,
    ),
    at(
      raw({
        message: innerText(settings, 'zhangwei', '/status'),
        pad: (n) => Buffer.alloc(32 - (n % 32), 0),
      }),
      'bad padding',
      400,
    ),
    at(
      raw({ message: innerText(settings, 'zhangwei', '/status'), lengthField: 100_000 }),
      'a length field longer than the plaintext',
      400,
    ),
    at(
      raw({ message: Buffer.from([0x3c, 0x78, 0xff, 0xfe]) }),
      'a decrypted message that is not UTF-8',
      400,
    ),
    at({ ...good, body: JSON.stringify({ Encrypt: good.body }) }, 'a body that is not XML', 400),
    at(
      signedEnvelope(
        settings,
        sealRaw(settings, { message: 'x' }),
        (e) => `<Encrypt>${e}</Encrypt><<<`,
      ),
      'an envelope that is not well-formed around a signed Encrypt',
      400,
    ),
    at(
      signedEnvelope(
        settings,
        // A message the bot would answer: only the envelope's root is wrong.
        sealRaw(settings, { message: innerText(settings, 'zhangwei', '/status') }),
        (e) => `<envelope><Encrypt>${e}</Encrypt></envelope>`,
      ),
      'a well-formed envelope whose root is not <xml>',
      400,
    ),
    at(
      { ...good, body: `<?xml version="1.0"?>${bomb}${good.body}` },
      'a DOCTYPE in the envelope',
      400,
    ),
    at(
      { ...good, body: good.body.replace('<xml>', '<xml><!ENTITY x "y">') },
      'an ENTITY in the envelope',
      400,
    ),
    at(
      sealed(`${bomb}${innerText(settings, 'zhangwei', '&b;')}`),
      'a DOCTYPE in the decrypted message',
      400,
    ),
    at(
      sealed(
        innerText(settings, 'zhangwei', '/status').replace(
          '<xml>',
          '<xml><!ENTITY x SYSTEM "file:///etc/passwd">',
        ),
      ),
      'an ENTITY in the decrypted message',
      400,
    ),
    at(sealed('hello, not xml'), 'a decrypted message that is not XML', 400),
    at(twoEncrypt, 'two <Encrypt> elements', 400),
    at({ ...good, body: good.body + ' '.repeat(1024 * 1024 + 1) }, 'a body over 1 MB', 413),
    at(text('x'.repeat(100 * 1024)), 'a 100 KB Content', 413),
    at(
      {
        ...notUtf8,
        body: Buffer.concat([Buffer.from(notUtf8.body), Buffer.from([0xff, 0xfe, 0xc3])]),
      },
      'bytes that are not UTF-8',
      400,
    ),
    at(text('/status', '{"$gt":""}'), 'a FromUserName holding {"$gt":""}', 400),
    at(text('/status', '../../etc'), 'a FromUserName holding ../../etc', 400),
    at(text('/status', '<script>alert(1)</script>'), 'a FromUserName holding <script>', 400),
    at(text('/status', 'nobody|zhangwei'), 'a FromUserName holding nobody|zhangwei', 400),
    { ...at(text(), 'PUT', 405), method: 'PUT' },
    { ...at(text(), 'DELETE', 405), method: 'DELETE' },
  ];
}
