import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { AppConfig } from '../config';
import { createApp } from './app';
import { createKaohe, type Kaohe } from './kaohe';
import { systemClock } from './lib/clock';
import type { Logger } from './lib/logger';
import { assertImported, formatReport, importRoster } from './roster/import-roster';
import { openDatabase, type Database } from './store/database';
import { createRepositories } from './store/repositories';
import { MemoryStateStore } from './state/memory-state-store';
import { RedisStateStore } from './state/redis-state-store';
import type { StateStore } from './state/state-store';

/** A running bot: where it listens and how to stop it. */
export interface RunningKaohe {
  port: number;
  database: Database;
  state: StateStore;
  kaohe: Kaohe;
  /** Stops taking requests, lets running ones finish, then closes the database and state. */
  stop(): Promise<void>;
}

/** Starts everything the configuration asks for: database, state, roster sync, HTTP. */
export async function startKaohe(
  config: AppConfig,
  logger: Logger,
  options: { now?: () => Date } = {},
): Promise<RunningKaohe> {
  const now = options.now ?? (() => new Date());
  const database = await openDatabase(config, logger);
  logger.info({ database: database.kind }, `database: ${database.description}`);
  const state = openState(config);
  logger.info(
    { state: state.kind },
    state.kind === 'redis'
      ? 'state: Redis (shared by every instance)'
      : 'state: in-process (one instance only)',
  );

  if (config.rosterFile) {
    const people = createRepositories(database.models).people;
    const result = await importRoster(
      readFileSync(config.rosterFile, 'utf8'),
      people,
      'roster-file',
      now(),
    );
    logger.info(`roster: ${formatReport(assertImported(result, config.rosterFile))}`);
  }

  const kaohe = createKaohe({ config, models: database.models, state, clock: systemClock, logger });
  const app = createApp({
    logger,
    health: { mongo: () => pingDatabase(database), state },
    routes: kaohe.routes,
  });
  const server = await listen(app, config.port);
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, `Kaohe listening on http://127.0.0.1:${port}`);
  if (config.dingtalk) logger.info(`dingtalk: receiving in ${config.dingtalk.mode} mode`);
  logger.info(
    config.wecom
      ? 'wecom: receiving at /wecom/callback'
      : 'wecom: not configured (set WECOM_* to switch it on)',
  );
  await kaohe.start();

  return {
    port,
    database,
    state,
    kaohe,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await kaohe.stop();
      await database.close();
      await state.close();
      logger.info('stopped');
    },
  };
}

function openState(config: AppConfig): StateStore {
  return config.redisUrl ? RedisStateStore.connect(config.redisUrl) : new MemoryStateStore();
}

async function pingDatabase(database: Database): Promise<boolean> {
  const db = database.connection.db;
  if (!db) return false;
  const answer = await db.command({ ping: 1 });
  return answer.ok === 1;
}

function listen(app: Koa, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, () => resolve(server));
    server.once('error', reject);
  });
}
