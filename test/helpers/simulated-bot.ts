/**
 * The bot as `npm start` runs it with no messenger configured: the simulator
 * on, at a free port, with the test's own database and a prefixed Redis.
 */
import { loadConfig } from '../../config';
import { createLogger, silentLogger } from '../../src/lib/logger';
import { startKaohe, type RunningKaohe } from '../../src/server';
import { startTestDatabase, type TestDatabase } from './database';
import { testRedisStore } from './redis';

/** A running simulated bot, its address and its database. */
export interface SimulatedBot {
  url: string;
  running: RunningKaohe;
  stop(): Promise<void>;
}

/** Starts the bot with the simulator; the schedule is off, so only the test moves the month. */
export async function startSimulatedBot(): Promise<SimulatedBot> {
  const db: TestDatabase = await startTestDatabase();
  const uri = new URL(db.uri);
  uri.pathname = `/${db.dbName}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    MONGODB_URI: uri.toString(),
    CRON_ENABLED: 'false',
    SIMULATOR: 'on',
  });
  const logger = process.env.DEBUG_TESTS ? createLogger({ level: 'debug' }) : silentLogger;
  const running = await startKaohe(config, logger, { state: testRedisStore() });
  return {
    url: `http://127.0.0.1:${running.port}`,
    running,
    async stop() {
      await running.stop();
      await db.stop();
    },
  };
}
