/**
 * Short-lived shared state: conversation position, dedupe keys, locks and
 * token caches. Redis in production (shared by every instance); in-process
 * when a single instance suffices. Values are strings; callers encode JSON.
 */
export interface StateStore {
  /** Which implementation answers: `redis` or `in-process`. */
  readonly kind: 'redis' | 'in-process';
  get(key: string): Promise<string | null>;
  /** Sets a value, expiring after `ttlMs` when given. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets only when the key is absent; true when this call set it (dedupe, locks). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes only when the key still holds `value` (releasing one's own lock); true when deleted. */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Answers whether the store is reachable. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
