import { encrypt, getSignature } from '@wecom/crypto';
import { AppError } from '../../lib/errors';
import { pooledRandomBytes } from '../../lib/random-pool';
import { safeEqual } from '../../lib/safe-equal';
import { openSealed } from './open-sealed';
import type { WecomSettings } from './settings';

/** The signature WeCom puts in `msg_signature`: sha1 of the four values sorted and joined. */
export function wecomSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypted: string,
): string {
  return getSignature(token, timestamp, nonce, encrypted);
}

/** True when `signature` matches; compared in constant time so it leaks nothing about the right value. */
export function isValidSignature(
  token: string,
  query: { timestamp: string; nonce: string; signature: string },
  encrypted: string,
): boolean {
  const expected = wecomSignature(token, query.timestamp, query.nonce, encrypted);
  return safeEqual(query.signature.toLowerCase(), expected);
}

/**
 * Decrypts a callback payload, checking its padding and length field, and that
 * it was sealed for this company (the receiveid).
 */
export function decryptPayload(settings: WecomSettings, encrypted: string): string {
  let opened: { message: string; id: string };
  try {
    opened = openSealed(settings.encodingAesKey, encrypted);
  } catch (err) {
    throw new AppError('bad_payload', 'wecom payload does not decrypt', { cause: err });
  }
  if (!safeEqual(opened.id, settings.corpId)) {
    throw new AppError('bad_signature', 'wecom payload is sealed for another receiver');
  }
  return opened.message;
}

/** Encrypts a message the way WeCom does (tests, passive replies). */
export function encryptPayload(settings: WecomSettings, message: string, random?: Buffer): string {
  return encrypt(
    settings.encodingAesKey,
    message,
    settings.corpId,
    random ?? pooledRandomBytes(16),
  );
}
