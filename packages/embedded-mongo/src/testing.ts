/**
 * A fresh database for each test file. Without MONGODB_URI, an embedded
 * server runs in memory for that file alone; with it, the same tests run
 * against a real MongoDB in a uniquely named database that stop() drops,
 * which is how the pinned behaviours were checked against mongod.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from './index';

/** One test file's database: its address, name and mongoose connection. */
export interface TestDatabase {
  uri: string;
  dbName: string;
  connection: mongoose.Connection;
  stop(): Promise<void>;
}

/** Starts the embedded server in memory, or uses MONGODB_URI with a unique database name (`prefix_…`). */
export async function startTestDatabase(prefix = 'embedded_test'): Promise<TestDatabase> {
  const dbName = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const external = process.env.MONGODB_URI;
  const server = external ? undefined : await startEmbeddedMongo();
  const uri = external ?? server!.uri;
  const connection = mongoose.createConnection(uri, { dbName });
  try {
    await connection.asPromise();
  } catch (error) {
    await server?.stop();
    throw error;
  }
  let stopped = false;
  return {
    uri,
    dbName,
    connection,
    async stop() {
      if (stopped) return;
      stopped = true;
      // On a shared real server the test database must not outlive the test file.
      if (external) await connection.dropDatabase();
      await connection.close();
      await server?.stop();
    },
  };
}
