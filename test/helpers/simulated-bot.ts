/**
 * The bot as `npm start` runs it with no messenger configured: the simulator
 * on, at a free port, with the test's own database and a prefixed Redis.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config';
import { createLogger, silentLogger } from '../../src/lib/logger';
import { startKaohe, type RunningKaohe } from '../../src/start';
import { startTestDatabase, type TestDatabase } from './database';
import { testRedisStore } from './redis';

/** A running simulated bot, its address and its database. */
export interface SimulatedBot {
  url: string;
  running: RunningKaohe;
  /** Stops the bot and starts it again on the same data. */
  restart(): Promise<SimulatedBot>;
  stop(): Promise<void>;
}

/**
 * Starts the bot with the simulator; the schedule is off, so only the test
 * moves the month. A restart keeps the database and the data folder.
 */
export async function startSimulatedBot(
  from: { db: TestDatabase; dataDir: string } | undefined = undefined,
): Promise<SimulatedBot> {
  const db = from?.db ?? (await startTestDatabase());
  const dataDir = from?.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'kaohe-simulator-'));
  const uri = new URL(db.uri);
  uri.pathname = `/${db.dbName}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    MONGODB_URI: uri.toString(),
    CRON_ENABLED: 'false',
    DATA_DIR: dataDir,
    SIMULATOR: 'on',
  });
  const logger = process.env.DEBUG_TESTS ? createLogger({ level: 'debug' }) : silentLogger;
  const running = await startKaohe(config, logger, { state: testRedisStore() });
  return {
    url: `http://127.0.0.1:${running.port}`,
    running,
    async restart() {
      await running.stop();
      return startSimulatedBot({ db, dataDir });
    },
    async stop() {
      await running.stop();
      await db.stop();
    },
  };
}
