import { readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { AppConfig } from '../config';
import { createApp } from './http/app';
import { createKaohe, type Kaohe } from './compose';
import { systemClock } from './lib/clock';
import type { Logger } from './lib/logger';
import { assertImported, formatReport, importRoster } from './roster/import-roster';
import { openDatabase, type Database } from './store/database';
import { createRepositories } from './store/repositories';
import { builtPageDir } from './simulator/page-files';
import { simulatorWecomSettings } from './simulator/settings';
import { createSimulator, type Simulator } from './simulator/simulator';
import { MemoryStateStore } from './state/memory-state-store';
import { RedisStateStore } from './state/redis-state-store';
import type { StateStore } from './state/state-store';

/** A running bot: where it listens and how to stop it. */
export interface RunningKaohe {
  port: number;
  database: Database;
  state: StateStore;
  kaohe: Kaohe;
  /** The messenger simulator, when it is on. */
  simulator?: Simulator;
  /** Stops taking requests, lets running ones finish, then closes the database and state. */
  stop(): Promise<void>;
}

/** Starts everything the configuration asks for: database, state, roster sync, HTTP. */
export async function startKaohe(
  config: AppConfig,
  logger: Logger,
  options: { now?: () => Date; state?: StateStore } = {},
): Promise<RunningKaohe> {
  const now = options.now ?? (() => new Date());
  const database = await openDatabase(config, logger);
  logger.info({ database: database.kind }, `database: ${database.description}`);
  const state = options.state ?? openState(config);
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

  // Listening comes first: the simulator's WeCom API lives at the bot's own address,
  // and the port may be chosen by the system (PORT=0). Until the app is ready, requests get a 503.
  let handle: RequestListener = (_req, res) => void res.writeHead(503).end('starting');
  const server = await listen(
    createServer((req, res) => handle(req, res)),
    config.port,
  );
  const port = (server.address() as AddressInfo).port;
  const botUrl = `http://127.0.0.1:${port}`;

  const simulatedWecom = config.simulator ? simulatorWecomSettings(botUrl) : undefined;
  const kaohe = createKaohe({
    config: simulatedWecom ? { ...config, wecom: simulatedWecom } : config,
    models: database.models,
    state,
    clock: systemClock,
    logger,
  });
  const simulator: Simulator | undefined = simulatedWecom
    ? createSimulator({
        settings: simulatedWecom,
        botUrl,
        people: kaohe.people,
        months: kaohe.months,
        cycle: kaohe.cycle,
        clock: systemClock,
        timeZone: config.timeZone,
        logger,
        snapshotFile: path.join(config.dataDir, 'simulator-chats.json'),
      })
    : undefined;
  const app = createApp({
    logger,
    health: { mongo: () => pingDatabase(database), state, backlogs: kaohe.backlogs },
    metrics: kaohe.metrics,
    routes: simulator ? [...kaohe.routes, simulator.routes] : kaohe.routes,
  });
  handle = app.callback();
  logger.info({ port }, `Kaohe listening on ${botUrl}`);
  if (config.dingtalk) logger.info(`dingtalk: receiving in ${config.dingtalk.mode} mode`);
  if (simulator) {
    logger.info(
      `simulator: open http://localhost:${port}/simulator/ to try Kaohe (it plays WeCom; SIMULATOR=off switches it off)`,
    );
    if (!builtPageDir()) logger.warn('simulator: the page is not built; run npm run build:page');
  } else {
    logger.info(
      config.wecom
        ? 'wecom: receiving at /wecom/callback'
        : 'wecom: not configured (set WECOM_* to switch it on)',
    );
  }
  await kaohe.start();

  return {
    port,
    database,
    state,
    kaohe,
    simulator,
    stop: async () => {
      simulator?.close();
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

function listen(server: Server, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}
