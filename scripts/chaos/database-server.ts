/**
 * The embedded database on its own, for chaos runs that pause it (SIGSTOP) or
 * share it between two bots. Prints its address, then serves until SIGTERM.
 * Usage: tsx scripts/chaos/database-server.ts DATA_DIR
 */
import path from 'node:path';
import { startEmbeddedMongo } from '@kaohe/embedded-mongo';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: database-server.ts DATA_DIR');
  const server = await startEmbeddedMongo({ dataFile: path.join(dataDir, 'chaos.bson') });
  process.stdout.write(`${server.uri}\n`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
