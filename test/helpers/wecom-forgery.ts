/**
 * Payloads a hostile or broken sealer could produce with the real key: the
 * plaintext laid out by hand, so padding, length field and bytes can be wrong.
 * Encrypted here with node:crypto, independently of the code under test.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import type { WecomSettings } from '../../src/channels/wecom/settings';
import { sign } from './wecom-callback';

/** How to lay out the plaintext; by default exactly as WeCom does. */
export interface RawSeal {
  message: Buffer | string;
  receiveId?: string;
  /** The length field; default the message's byte length. */
  lengthField?: number;
  /** The padding bytes; default valid PKCS#7 to 32 bytes. */
  pad?: (unpaddedLength: number) => Buffer;
}

/** Valid PKCS#7 padding to a multiple of 32. */
export function pkcs7(unpaddedLength: number): Buffer {
  const n = 32 - (unpaddedLength % 32);
  return Buffer.alloc(n, n);
}

/** Encrypts a hand-made plaintext with the app's key, AES-256-CBC without automatic padding. */
export function sealRaw(settings: WecomSettings, seal: RawSeal): string {
  const key = Buffer.from(`${settings.encodingAesKey}=`, 'base64');
  const message = Buffer.isBuffer(seal.message) ? seal.message : Buffer.from(seal.message);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(seal.lengthField ?? message.length);
  const body = Buffer.concat([
    randomBytes(16),
    length,
    message,
    Buffer.from(seal.receiveId ?? settings.corpId),
  ]);
  const padded = Buffer.concat([body, (seal.pad ?? pkcs7)(body.length)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

/** A correctly signed envelope around any Encrypt value, with any envelope text around it. */
export function signedEnvelope(
  settings: WecomSettings,
  encrypted: string,
  envelope = (e: string) =>
    `<xml><ToUserName><![CDATA[${settings.corpId}]]></ToUserName><Encrypt><![CDATA[${e}]]></Encrypt><AgentID>${settings.agentId}</AgentID></xml>`,
  timestamp = Math.floor(Date.now() / 1000),
): { query: { msg_signature: string; timestamp: string; nonce: string }; body: string } {
  const ts = String(timestamp);
  const nonce = String(randomBytes(4).readUInt32BE(0));
  return {
    query: { msg_signature: sign(settings.token, ts, nonce, encrypted), timestamp: ts, nonce },
    body: envelope(encrypted),
  };
}
