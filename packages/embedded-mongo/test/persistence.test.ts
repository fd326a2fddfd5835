import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { Schema, Types } from 'mongoose';
import { startEmbeddedMongo } from '../src';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kaohe-embedded-'));
});

afterEach(() => rm(folder, { recursive: true, force: true }));

const schema = new Schema({
  code: { type: String, unique: true },
  at: Date,
  ref: Schema.Types.ObjectId,
});

async function withConnection<T>(
  uri: string,
  work: (c: mongoose.Connection) => Promise<T>,
): Promise<T> {
  const connection = await mongoose.createConnection(uri, { dbName: 'app' }).asPromise();
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}

test('data and indexes survive a restart on the same data file', async () => {
  const dataFile = join(folder, 'data', 'snapshot.bson');
  const ref = new Types.ObjectId();
  const at = new Date('2024-03-01T08:00:00Z');

  const first = await startEmbeddedMongo({ dataFile });
  await withConnection(first.uri, async (connection) => {
    const Items = connection.model('Item', schema);
    await Items.init();
    await Items.create([{ code: 'a', at, ref }, { code: 'b' }]);
    await Items.deleteOne({ code: 'b' });
  });
  await first.stop();

  const second = await startEmbeddedMongo({ dataFile });
  try {
    await withConnection(second.uri, async (connection) => {
      const Items = connection.model('Item', schema);
      const stored = await Items.find().lean();
      expect(stored).toHaveLength(1);
      expect(stored[0]!.code).toBe('a');
      expect(stored[0]!.at).toEqual(at);
      expect(stored[0]!.ref).toBeInstanceOf(Types.ObjectId);
      expect(String(stored[0]!.ref)).toBe(String(ref));
      await expect(Items.create({ code: 'a' })).rejects.toMatchObject({ code: 11000 });
    });
  } finally {
    await second.stop();
  }
});

test('writes are persisted shortly after they happen, without stop()', async () => {
  const dataFile = join(folder, 'snapshot.bson');
  const server = await startEmbeddedMongo({ dataFile });
  try {
    await withConnection(server.uri, (c) => c.collection('notes').insertOne({ text: 'hi' }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await stat(dataFile)).size).toBeGreaterThan(0);
    const before = await readFile(dataFile);
    await server.flush();
    expect(await readFile(dataFile)).toEqual(before);
  } finally {
    await server.stop();
  }
});

test('refuses to run in production', async () => {
  await expect(startEmbeddedMongo({ environment: 'production' })).rejects.toThrow(
    'The embedded database refuses to run in production: set MONGODB_URI',
  );
});

test('refuses a data file that is not a snapshot instead of starting empty', async () => {
  const dataFile = join(folder, 'snapshot.bson');
  await writeFile(dataFile, 'not a snapshot at all');
  await expect(startEmbeddedMongo({ dataFile })).rejects.toThrow(
    /Cannot load the embedded database snapshot/,
  );
});

test('stop() is idempotent and frees the port', async () => {
  const server = await startEmbeddedMongo();
  await server.stop();
  await server.stop();
  const again = await startEmbeddedMongo({ port: server.port });
  expect(again.port).toBe(server.port);
  await again.stop();
});
