import { createDecipheriv } from 'node:crypto';

/**
 * Opens a payload WeCom sealed: AES-256-CBC (IV = the key's first 16 bytes),
 * PKCS#7 padding to 32 bytes, plaintext = 16 random bytes ‖ uint32 length ‖
 * message ‖ receiveid. Unlike @wecom/crypto's `decrypt`, which keeps a bad pad
 * and slices past a length that overruns the plaintext, every field is checked:
 * a payload that does not have exactly this shape throws.
 */
export function openSealed(
  encodingAesKey: string,
  encrypted: string,
): { message: string; id: string } {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted)) throw new Error('not base64');
  const sealed = Buffer.from(encrypted, 'base64');
  if (sealed.length === 0 || sealed.length % 32 !== 0) throw new Error('not whole 32-byte blocks');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(sealed), decipher.final()]);
  const pad = padded[padded.length - 1]!;
  if (pad < 1 || pad > 32 || !padded.subarray(padded.length - pad).every((b) => b === pad)) {
    throw new Error('bad padding');
  }
  const plain = padded.subarray(0, padded.length - pad);
  if (plain.length < 20) throw new Error('too short');
  const length = plain.readUInt32BE(16);
  if (20 + length > plain.length) throw new Error('length field overruns the plaintext');
  return {
    message: strictUtf8(plain.subarray(20, 20 + length)),
    id: strictUtf8(plain.subarray(20 + length)),
  };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function strictUtf8(bytes: Uint8Array): string {
  return UTF8.decode(bytes);
}
