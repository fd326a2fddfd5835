/**
 * Handshake and server-level commands. The hello reply describes a standalone
 * mongod 7.0: no setName (the driver would then treat us as a replica set and
 * send txnNumber) and no topologyVersion (it would switch the driver to an
 * awaitable hello that the server would have to hold open).
 */
import type { Document } from 'bson';
import { CommandError } from './command-error';
import type { CommandHandler } from './command-context';

export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
const MAX_WRITE_BATCH_SIZE = 100_000;
const MAX_WIRE_VERSION = 21; // MongoDB 7.0

const hello: CommandHandler = (_command, context) => ({
  helloOk: true,
  ismaster: true,
  isWritablePrimary: true,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
  maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
  localTime: new Date(),
  logicalSessionTimeoutMinutes: 30,
  connectionId: context.connectionId,
  minWireVersion: 0,
  maxWireVersion: MAX_WIRE_VERSION,
  readOnly: false,
  ok: 1,
});

const buildInfo: CommandHandler = () => ({
  version: '7.0.0',
  gitVersion: 'kaohe-embedded',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  storageEngines: ['embedded'],
  ok: 1,
});

const ok: CommandHandler = () => ({ ok: 1 });

const listDatabases: CommandHandler = (command, { catalog }) => {
  const databases: Document[] = catalog
    .databaseNames()
    .map((name) => ({ name, sizeOnDisk: 0, empty: false }));
  const nameOnly = command.nameOnly === true;
  return {
    databases: nameOnly ? databases.map(({ name }) => ({ name })) : databases,
    totalSize: 0,
    ok: 1,
  };
};

const dropDatabase: CommandHandler = (_command, { catalog, database }) => {
  catalog.dropDatabase(database);
  return { dropped: database, ok: 1 };
};

/** What a standalone mongod says to anything transactional. */
export function transactionsUnsupported(): never {
  throw new CommandError(
    'IllegalOperation',
    'Transaction numbers are only allowed on a replica set member or mongos',
  );
}

/** Handlers for handshake, diagnostics and database-level commands. */
export const adminCommands: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  buildInfo,
  buildinfo: buildInfo,
  ping: ok,
  endSessions: ok,
  listDatabases,
  dropDatabase,
  commitTransaction: () => transactionsUnsupported(),
  abortTransaction: () => transactionsUnsupported(),
};
