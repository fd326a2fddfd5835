import Redis from 'ioredis';
import type { StateStore } from './state-store';

// Compare-and-delete must be one atomic step, or a lock that expired and was
// taken by another instance could be released by its previous holder.
const DELETE_IF_EQUALS = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0`;

// A command Redis does not answer in this time fails (Redis hung, or the network).
const COMMAND_TIMEOUT_MS = 2000;
const FIRST_CONNECT_WAIT_MS = 3000;

/** State shared by every instance through Redis. Every key is namespaced by `prefix`. */
export class RedisStateStore implements StateStore {
  readonly kind = 'redis' as const;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'kaohe:',
    /** Resolves once the first connection is up (or the wait for it is over). */
    private readonly started: Promise<void> = Promise.resolve(),
  ) {}

  /**
   * Connects to `url`; fails fast instead of queueing commands while Redis is
   * down (no offline queue, a short command timeout), so callers retry their
   * work later and /healthz answers at once. Reconnects every 2 s at most.
   */
  static connect(url: string, prefix?: string): RedisStateStore {
    const redis = new Redis(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: COMMAND_TIMEOUT_MS,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    // Without a listener ioredis prints every failed reconnect; callers see the failures anyway.
    redis.on('error', () => undefined);
    // Without an offline queue a command sent before the first connection fails at once:
    // the first commands wait for it, a little.
    const started = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FIRST_CONNECT_WAIT_MS);
      timer.unref();
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return new RedisStateStore(redis, prefix, started);
  }

  async get(key: string): Promise<string | null> {
    await this.started;
    return this.redis.get(this.prefix + key);
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    await this.started;
    if (ttlMs) await this.redis.set(this.prefix + key, value, 'PX', ttlMs);
    else await this.redis.set(this.prefix + key, value);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    await this.started;
    return (await this.redis.set(this.prefix + key, value, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    await this.started;
    return (await this.redis.eval(DELETE_IF_EQUALS, 1, this.prefix + key, value)) === 1;
  }

  async delete(key: string): Promise<void> {
    await this.started;
    await this.redis.del(this.prefix + key);
  }

  async ping(): Promise<boolean> {
    try {
      await this.started;
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
