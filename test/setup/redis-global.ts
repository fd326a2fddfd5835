/**
 * Jest's global setup and teardown for Redis: the suite needs one, and a
 * fresh machine may have redis-server installed but not running. When
 * REDIS_URL (or the local default) does not answer, a throwaway server
 * starts on a free port and the workers inherit its REDIS_URL.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { connect } from 'node:net';
import { startThrowawayRedis, type ThrowawayRedis } from '../helpers/throwaway-redis';

const DEFAULT_URL = 'redis://127.0.0.1:6379';

/** Shared between setup and teardown, which Jest runs in the same process. */
const state = globalThis as { kaoheThrowawayRedis?: ThrowawayRedis };

/**
 * Whether a Redis answers at `url` within a second: any reply to PING counts
 * (-NOAUTH too: the tests bring the URL's password). A raw socket rather than
 * an ioredis client, whose connect timer would hold Jest open for seconds.
 */
function answers(url: string): Promise<boolean> {
  const { protocol, hostname, port } = new URL(url);
  // A TLS Redis is the user's explicit choice; the tests' own clients will tell if it is down.
  if (protocol === 'rediss:') return Promise.resolve(true);
  return new Promise((resolve) => {
    // URL keeps an IPv6 host in brackets ([::1]); the socket wants it bare.
    const host = hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
    const socket = connect({ host, port: Number(port) || 6379 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (reply) => done(/^[+-]/.test(reply.toString())));
  });
}

/** Whether an executable `name` is on the PATH. */
function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Makes sure process.env.REDIS_URL names a Redis that answers, starting one if need be. */
export async function setup(): Promise<void> {
  const url = process.env.REDIS_URL || DEFAULT_URL;
  if (await answers(url)) return;
  if (!onPath('redis-server')) {
    // One line, no stack: the fix is an install, not a code change.
    const error = new Error(
      `Redis does not answer at ${url} and redis-server is not on PATH: install Redis (apt-get install redis-server, brew install redis) or set REDIS_URL to one that runs`,
    );
    error.stack = error.message;
    throw error;
  }
  const redis = await startThrowawayRedis();
  state.kaoheThrowawayRedis = redis;
  process.env.REDIS_URL = redis.url;
}

/** Stops the throwaway Redis, when setup started one. */
export async function teardown(): Promise<void> {
  await state.kaoheThrowawayRedis?.destroy();
}
