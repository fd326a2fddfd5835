import { pooledRandomBytes } from '../../src/lib/random-pool';

describe('pooledRandomBytes', () => {
  it('hands out bytes of the size asked for, never the same bytes twice', () => {
    const seen = new Set<string>();
    // Past several refills of the 4 kB pool.
    for (let i = 0; i < 2000; i += 1) {
      const bytes = pooledRandomBytes(16);
      expect(bytes).toHaveLength(16);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(2000);
  });

  it('leaves what a caller holds unchanged when the pool is refilled', () => {
    const held = pooledRandomBytes(8);
    const copy = Buffer.from(held);
    for (let i = 0; i < 1000; i += 1) pooledRandomBytes(24);
    expect(held.equals(copy)).toBe(true);
  });

  it('serves a request larger than the pool', () => {
    const big = pooledRandomBytes(10_000);
    expect(big).toHaveLength(10_000);
    // Not all one value: a zeroed pool would be.
    expect(new Set(big).size).toBeGreaterThan(200);
  });
});
