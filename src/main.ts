import { ConfigError, loadConfig } from '../config';
import { createLogger } from './lib/logger';
import { startKaohe } from './start';

/** Boot: configuration → database and state → app → listen; graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  const running = await startKaohe(config, logger);
  if (running.simulator) {
    // The log is JSON for machines; a visitor trying the bot needs one plain line.
    process.stderr.write(`\nKaohe simulator: http://localhost:${running.port}/simulator/\n\n`);
  }

  let stopping = false;
  const shutdown = (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(exitCode),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // A failure nothing caught leaves the process in an unknown state: log it, finish what is
  // running (everything received is stored), and exit non-zero so the supervisor restarts us.
  const crash = (kind: string) => (err: unknown) => {
    logger.fatal({ err, kind }, 'uncaught failure; stopping');
    shutdown(kind, 1);
    // A shutdown that hangs must not keep a broken process alive.
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('unhandledRejection', crash('unhandledRejection'));
  process.on('uncaughtException', crash('uncaughtException'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `Kaohe could not start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
