import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import type { AppConfig } from '../../config';
import type { Logger } from '../lib/logger';
import type { EmbeddedMongo } from '@kaohe/embedded-mongo';
import { claimOwner, readOwner, releaseOwner } from './embedded-owner';
import { createModels, ensureIndexes, type Models } from './models';

/** The open database: its connection, the models on it, and how to close it. */
export interface Database {
  connection: Connection;
  models: Models;
  /** `mongodb` (MONGODB_URI) or `embedded`. */
  kind: 'mongodb' | 'embedded';
  /** One line for the start-up log, without credentials. */
  description: string;
  close(): Promise<void>;
}

const DB_NAME = 'kaohe';
export const SNAPSHOT_FILE = 'kaohe.embedded.bson';

/**
 * Opens MongoDB at MONGODB_URI, or starts the embedded database on the data
 * folder. `shareRunning` lets a tool go through a bot that already runs the
 * embedded database instead of refusing.
 */
export async function openDatabase(
  config: Pick<AppConfig, 'mongodbUri' | 'dataDir' | 'env'>,
  logger: Logger,
  options: { shareRunning?: boolean } = {},
): Promise<Database> {
  if (config.mongodbUri) {
    const connection = await connect(config.mongodbUri);
    return finish(
      connection,
      'mongodb',
      `MongoDB at ${redactUri(config.mongodbUri)}`,
      async () => {},
    );
  }
  const dataDir = path.resolve(config.dataDir);
  const owner = readOwner(dataDir);
  if (owner) {
    if (!options.shareRunning) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by process ${owner.pid}; stop it first`,
      );
    }
    const connection = await connect(owner.uri);
    return finish(
      connection,
      'embedded',
      `embedded database of the running bot (pid ${owner.pid})`,
      async () => {},
    );
  }
  // Loaded here, not at the top: production sets MONGODB_URI and installs no
  // development packages, so its build must not require the embedded server.
  // It ships TypeScript only: a compiled bot (`npm run serve`) runs on MONGODB_URI.
  const { startEmbeddedMongo } = await import('@kaohe/embedded-mongo').catch((err: unknown) => {
    throw new Error(
      `the embedded database runs from source only (npm start); set MONGODB_URI for the compiled bot (${(err as Error).message})`,
    );
  });
  const server: EmbeddedMongo = await startEmbeddedMongo({
    dataFile: path.join(dataDir, SNAPSHOT_FILE),
    environment: config.env,
  });
  claimOwner(dataDir, server.uri);
  logger.debug({ port: server.port }, 'embedded database listening');
  const connection = await connect(server.uri);
  return finish(connection, 'embedded', `embedded database (data in ${dataDir})`, async () => {
    await server.stop();
    releaseOwner(dataDir);
  });
}

async function connect(uri: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName: DB_NAME,
    serverSelectionTimeoutMS: 5000,
  });
  await connection.asPromise();
  return connection;
}

async function finish(
  connection: Connection,
  kind: Database['kind'],
  description: string,
  stop: () => Promise<void>,
): Promise<Database> {
  const models = createModels(connection);
  await ensureIndexes(models);
  return {
    connection,
    models,
    kind,
    description,
    close: async () => {
      await connection.close();
      await stop();
    },
  };
}

/** The URI without user and password, for logs. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}
