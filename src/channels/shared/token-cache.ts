import { randomUUID } from 'node:crypto';
import type { Logger } from '../../lib/logger';
import type { StateStore } from '../../state/state-store';
import { RetryableSendError } from '../types';

/** A freshly issued access token and its lifetime in seconds. */
export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
}

/** How the cache gets a token, sleeps while another instance fetches one, and how long it waits. */
export interface TokenCacheOptions {
  state: StateStore;
  key: string;
  issue: () => Promise<IssuedToken>;
  logger: Logger;
  /** How long to wait for another instance's refresh before giving up. */
  waitMs?: number;
}

// Refresh well before WeCom's own expiry so a token never dies mid-request.
const EXPIRY_MARGIN_S = 300;
const LOCK_TTL_MS = 15_000;
const POLL_MS = 100;
// How long a token read from the store is trusted without asking again. A fan-out sends
// hundreds of messages a second, and one store read each was about a tenth of the bot's CPU.
// A token is refreshed 300 s before WeCom's expiry, so one held 30 s past its store entry is
// still valid; a refused one is forgotten at once (invalidate).
const MEMO_MS = 30_000;

/**
 * The access token, shared by every instance through the StateStore. One
 * instance at a time refreshes it (a lock with a TTL, so a crashed holder
 * cannot block the others); the rest wait and read what it stored.
 */
export class TokenCache {
  private memo: { token: string; until: number } | null = null;

  constructor(private readonly options: TokenCacheOptions) {}

  /** A valid token: the one read lately, else the store's, otherwise freshly issued. */
  async get(): Promise<string> {
    if (this.memo && Date.now() < this.memo.until) return this.memo.token;
    const token = await this.fromStore();
    this.memo = { token, until: Date.now() + MEMO_MS };
    return token;
  }

  private async fromStore(): Promise<string> {
    const { state, key } = this.options;
    const lockKey = `${key}:lock`;
    const deadline = Date.now() + (this.options.waitMs ?? LOCK_TTL_MS);
    for (;;) {
      const cached = await state.get(key);
      if (cached) return cached;
      const owner = randomUUID();
      if (await state.setIfAbsent(lockKey, owner, LOCK_TTL_MS)) {
        try {
          return (await state.get(key)) ?? (await this.refresh());
        } finally {
          await state.deleteIfEquals(lockKey, owner);
        }
      }
      if (Date.now() >= deadline) throw new RetryableSendError('access token refresh timed out');
      // A real timer, even in tests: the holder's HTTP answer must get a turn of the event loop.
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Forgets `token` after WeCom refused it; a newer token stored meanwhile is kept. */
  async invalidate(token: string): Promise<void> {
    if (this.memo?.token === token) this.memo = null;
    await this.options.state.deleteIfEquals(this.options.key, token);
  }

  private async refresh(): Promise<string> {
    const issued = await this.options.issue();
    const life = issued.expiresIn;
    const ttlS = life > 2 * EXPIRY_MARGIN_S ? life - EXPIRY_MARGIN_S : life / 2;
    await this.options.state.set(this.options.key, issued.accessToken, ttlS * 1000);
    this.options.logger.info({ expiresIn: issued.expiresIn }, 'access token refreshed');
    return issued.accessToken;
  }
}
