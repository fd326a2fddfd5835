/**
 * Binary data read back from MongoDB arrives as a BSON Binary (or a plain
 * Uint8Array), not a Buffer; messengers want a Buffer.
 */
export function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data);
  const inner = (data as { buffer?: unknown })?.buffer;
  if (inner instanceof Uint8Array) return Buffer.from(inner);
  throw new Error('outbox: attachment data is not binary');
}
