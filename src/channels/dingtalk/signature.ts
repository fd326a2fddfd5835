import { createHmac } from 'node:crypto';
import { safeEqual } from '../../lib/safe-equal';

/** The `sign` header DingTalk sends: base64(HMAC-SHA256(appSecret, timestamp + "\n" + appSecret)). */
export function callbackSignature(appSecret: string, timestamp: string): string {
  return createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`).digest('base64');
}

/** True when `sign` matches; compared in constant time so the answer time leaks nothing. */
export function isValidCallbackSignature(
  appSecret: string,
  timestamp: string,
  sign: string,
): boolean {
  return safeEqual(sign, callbackSignature(appSecret, timestamp));
}
