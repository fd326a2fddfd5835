/**
 * The whole bot for a benchmark: the real app and features on the embedded
 * database (or MONGODB_URI's), a fresh Redis prefix, and WeCom faked as a
 * server on loopback that records every call. The pollers are not started;
 * a benchmark starts them when it measures delivery.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '@kaohe/embedded-mongo';
import { loadConfig, type AppConfig } from '../../config';
import { createKaohe, type Kaohe } from '../../src/compose';
import { createApp } from '../../src/http/app';
import { systemClock } from '../../src/lib/clock';
import { silentLogger } from '../../src/lib/logger';
import { RedisStateStore } from '../../src/state/redis-state-store';
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import { startFakeWecom, type FakeWecom } from '../../test/fakes/fake-wecom';
import { testWecomSettings } from '../../test/helpers/wecom-callback';

/** A running bench bot: its parts, its address, and how to take it all down. */
export interface BenchBot {
  fake: FakeWecom;
  settings: ReturnType<typeof testWecomSettings>;
  config: AppConfig;
  models: Models;
  kaohe: Kaohe;
  url: string;
  stop(): Promise<void>;
}

/** Starts the bot for the benchmark `name` (database and Redis prefix are named after it). */
export async function startBenchBot(options: {
  name: string;
  redisUrl: string;
  mongodbUri?: string;
}): Promise<BenchBot> {
  const base = testWecomSettings();
  const fake = await startFakeWecom({ corpId: base.corpId, secret: base.secret });
  const settings = testWecomSettings({ apiBase: fake.apiBase });
  const config = loadConfig({
    WECOM_CORP_ID: settings.corpId,
    WECOM_AGENT_ID: String(settings.agentId),
    WECOM_SECRET: settings.secret,
    WECOM_TOKEN: settings.token,
    WECOM_ENCODING_AES_KEY: settings.encodingAesKey,
    WECOM_API_BASE: fake.apiBase,
    ...(options.mongodbUri ? { MONGODB_URI: options.mongodbUri } : {}),
  });
  const embedded = options.mongodbUri ? null : await startEmbeddedMongo();
  const connection = await mongoose
    .createConnection(options.mongodbUri ?? embedded!.uri, {
      dbName: `kaohe_${options.name}_${Date.now()}`,
    })
    .asPromise();
  const models = createModels(connection);
  await ensureIndexes(models);
  const state = RedisStateStore.connect(options.redisUrl, `kaohe-${options.name}:${Date.now()}:`);
  const kaohe = createKaohe({ config, models, state, clock: systemClock, logger: silentLogger });
  const app = createApp({
    logger: silentLogger,
    health: { mongo: async () => true, state },
    routes: kaohe.routes,
  });
  const server = await listen(app);
  return {
    fake,
    settings,
    config,
    models,
    kaohe,
    url: urlOf(server),
    async stop() {
      await kaohe.stop();
      await new Promise((r) => server.close(r));
      await fake.stop();
      await connection.dropDatabase();
      await connection.close();
      await state.close();
      await embedded?.stop();
    },
  };
}

/** Listens on an ephemeral loopback port. */
export function listen(app: {
  listen: (port: number, host: string, cb: () => void) => Server;
}): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** The http://127.0.0.1:port of a listening server. */
export function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
