import { isInfrastructureError } from './infra-error';

/** How long to wait before the next attempt, or null to give up. */
export type RetryPolicy = (err: unknown, attempts: number) => number | null;

/** Backoff bounds: the first wait, the longest wait, and the attempts allowed for errors that are not infrastructure. */
export interface RetryBounds {
  baseMs: number;
  maxMs: number;
  maxOtherAttempts: number;
}

/**
 * Capped exponential backoff. An infrastructure error (Redis or the database
 * away) is retried for as long as it lasts: giving up would lose what the
 * person sent. Anything else is a bug or a refusal, tried a few times only.
 */
export function storeOutageRetry(bounds: RetryBounds): RetryPolicy {
  return (err, attempts) => {
    if (!isInfrastructureError(err) && attempts >= bounds.maxOtherAttempts) return null;
    return Math.min(bounds.maxMs, bounds.baseMs * 2 ** Math.min(attempts, 30));
  };
}
