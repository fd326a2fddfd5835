import { randomBytes, randomFillSync } from 'node:crypto';

// One call into the system's generator per passive reply (two of them: the
// sealed message's random prefix and the nonce) weighed about 4 % of the bot's
// CPU in the callback bench's profile; a 4 kB fill serves some 170 replies.
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * `size` cryptographically random bytes, as crypto.randomBytes gives them,
 * cut from a pool that is refilled when spent. Each byte is handed out once,
 * and as a copy: a later refill never changes what a caller holds.
 */
export function pooledRandomBytes(size: number): Buffer {
  if (size > POOL_BYTES) return randomBytes(size);
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  offset += size;
  return bytes;
}
