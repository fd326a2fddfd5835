/**
 * An embedded MongoDB-compatible server for development and tests: mongoose
 * and the official driver talk to it over TCP exactly as to mongod. It keeps
 * data in memory, optionally persisted to a snapshot file. Production uses a
 * real MongoDB (MONGODB_URI); this server refuses to run there.
 */
import { Catalog } from './catalog';
import { createDispatcher } from './dispatch';
import { SnapshotPersistence } from './persistence';
import { WireServer } from './server';

export interface EmbeddedMongoOptions {
  /** Interface to listen on; default '127.0.0.1'. */
  host?: string;
  /** Port; default 0 = any free port. */
  port?: number;
  /** Snapshot file: loaded at start when present, rewritten shortly after writes and on stop(). */
  dataFile?: string;
  /** The NODE_ENV value; 'production' is refused. */
  environment?: string;
}

export interface EmbeddedMongo {
  /** `mongodb://host:port/`; append a database name or pass dbName to mongoose. */
  readonly uri: string;
  readonly port: number;
  /** Writes the snapshot now, if there is a data file and anything changed. */
  flush(): Promise<void>;
  /** Closes every client socket and the listener, then writes the snapshot. */
  stop(): Promise<void>;
}

const PERSIST_DELAY_MS = 200;

/** Starts the embedded server; rejects in production and on an unreadable snapshot. */
export async function startEmbeddedMongo(
  options: EmbeddedMongoOptions = {},
): Promise<EmbeddedMongo> {
  if (options.environment === 'production') {
    throw new Error('The embedded database refuses to run in production: set MONGODB_URI');
  }
  const host = options.host ?? '127.0.0.1';
  const catalog = new Catalog();
  let persistence: SnapshotPersistence | undefined;
  if (options.dataFile) {
    persistence = new SnapshotPersistence(options.dataFile, catalog, PERSIST_DELAY_MS);
    await persistence.load();
    const scheduler = persistence;
    catalog.onChange(() => scheduler.schedule());
  }
  const server = new WireServer(createDispatcher(catalog));
  const port = await server.listen(host, options.port ?? 0);
  const uriHost = host.includes(':') ? `[${host}]` : host;
  let stopping: Promise<void> | undefined;
  return {
    uri: `mongodb://${uriHost}:${port}/`,
    port,
    flush: () => persistence?.flush() ?? Promise.resolve(),
    stop: () => {
      stopping ??= server.close().then(() => persistence?.flush());
      return stopping;
    },
  };
}
