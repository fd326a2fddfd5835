import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisStateStore } from '../../src/state/redis-state-store';

/** The Redis the tests use: REDIS_URL, or the local default. */
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** A state store on the real Redis with a prefix of its own, so test files never see each other's keys. */
export function testRedisStore(): RedisStateStore {
  return new RedisStateStore(new Redis(REDIS_URL), `kaohe-test:${randomUUID()}:`);
}
