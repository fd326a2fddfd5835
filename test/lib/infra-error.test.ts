import { createServer } from 'node:net';
import Redis from 'ioredis';
import mongoose from 'mongoose';
import { MongoNetworkError, MongoServerError } from 'mongodb';
import { WecomApiError } from '../../src/channels/wecom/client';
import { userError } from '../../src/lib/errors';
import { isInfrastructureError } from '../../src/lib/infra-error';

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('isInfrastructureError', () => {
  it('is true for what ioredis throws while Redis is unreachable', async () => {
    const port = await deadPort();
    const offline = new Redis(port, '127.0.0.1', {
      enableOfflineQueue: false,
      retryStrategy: () => 50,
    });
    offline.on('error', () => undefined);
    const err = await offline.get('k').catch((e: unknown) => e);
    expect(isInfrastructureError(err)).toBe(true);
    const retrying = new Redis(port, '127.0.0.1', {
      maxRetriesPerRequest: 1,
      retryStrategy: () => 10,
    });
    retrying.on('error', () => undefined);
    const err2 = await retrying.get('k').catch((e: unknown) => e);
    expect((err2 as Error).name).toBe('MaxRetriesPerRequestError');
    expect(isInfrastructureError(err2)).toBe(true);
    offline.disconnect();
    retrying.disconnect();
  });

  it('is true for what mongoose throws while the database is unreachable', async () => {
    const port = await deadPort();
    const connection = mongoose.createConnection(`mongodb://127.0.0.1:${port}/x`, {
      serverSelectionTimeoutMS: 200,
    });
    const err = await connection.asPromise().catch((e: unknown) => e);
    expect(isInfrastructureError(err)).toBe(true);
    await connection.close().catch(() => undefined);
    expect(isInfrastructureError(new MongoNetworkError('connection 3 to 127.0.0.1 closed'))).toBe(
      true,
    );
  });

  it('is true for an infrastructure error wrapped as the cause of another', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), {
      code: 'ECONNREFUSED',
    });
    expect(isInfrastructureError(new Error('token cache', { cause }))).toBe(true);
  });

  it('is false for bugs, refusals and duplicate keys', () => {
    expect(isInfrastructureError(new TypeError('Cannot read properties of undefined'))).toBe(false);
    expect(isInfrastructureError(userError('invalid_input', '请输入 0 到 10 的分数。'))).toBe(
      false,
    );
    expect(isInfrastructureError(new WecomApiError(81013, 'user invalid', '/message/send'))).toBe(
      false,
    );
    expect(isInfrastructureError(new MongoServerError({ message: 'E11000', code: 11000 }))).toBe(
      false,
    );
    expect(isInfrastructureError(undefined)).toBe(false);
    expect(isInfrastructureError('Connection is closed.')).toBe(false);
  });
});
