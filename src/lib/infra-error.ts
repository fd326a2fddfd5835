/**
 * The one rule for "this failed because Redis or the database is away, not
 * because of what the person sent": such failures pass once the store is back,
 * so the inbox and the outbox retry them instead of answering or giving up.
 */

// Error classes of ioredis and of the MongoDB driver / mongoose that mean the store is unreachable.
const INFRA_NAMES = new Set([
  'MaxRetriesPerRequestError',
  'ClusterAllFailedError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
  'DisconnectedError',
]);

// Socket error codes (node:net) seen when a store's connection is refused or cut.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

// Messages ioredis and mongoose use without a class of their own.
const INFRA_MESSAGES = [
  /^Connection is closed\.?$/,
  /enableOfflineQueue options is false/,
  /Reached the max retries per request limit/,
  /^Command timed out$/,
  /buffering timed out after/,
  /Client must be connected before running operations/,
  /connection .* (closed|timed out)/i,
];

/** True when `err` (or what it wraps, via `cause`) says Redis or the database is unreachable. */
export function isInfrastructureError(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof e !== 'object') return false;
    const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown };
    if (typeof name === 'string' && INFRA_NAMES.has(name)) return true;
    if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
    if (typeof message === 'string' && INFRA_MESSAGES.some((re) => re.test(message))) return true;
    if (hasLabel(e, 'ResetPool') || hasLabel(e, 'RetryableWriteError')) return true;
  }
  return false;
}

/** MongoDB driver errors carry labels saying how to treat them. */
function hasLabel(e: object, label: string): boolean {
  const has = (e as { hasErrorLabel?: unknown }).hasErrorLabel;
  return typeof has === 'function' && has.call(e, label) === true;
}
