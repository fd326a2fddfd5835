import { timingSafeEqual } from 'node:crypto';

/**
 * True when `given` equals `expected` byte for byte, compared in constant
 * time so the answer time leaks nothing about the expected secret.
 */
export function safeEqual(given: string | Buffer, expected: string | Buffer): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  // timingSafeEqual throws on unequal lengths; a length mismatch is a plain refusal.
  return a.length === b.length && timingSafeEqual(a, b);
}
