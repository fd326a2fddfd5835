/**
 * A fresh database for each DB test file. Without MONGODB_URI, an embedded
 * server runs in memory for that file alone; with it, the same tests run
 * against the real MongoDB in a uniquely named database that stop() drops.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '@kaohe/embedded-mongo';

export interface TestDatabase {
  uri: string;
  dbName: string;
  connection: mongoose.Connection;
  stop(): Promise<void>;
}

/** A fresh database for one test file: the embedded server in memory, or a real MongoDB when MONGODB_URI is set (unique db name, dropped on stop). */
export async function startTestDatabase(): Promise<TestDatabase> {
  const dbName = `kaohe_test_${process.pid}_${randomBytes(4).toString('hex')}`;
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
