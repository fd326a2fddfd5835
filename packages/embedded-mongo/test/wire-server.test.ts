import { connect, type Socket } from 'node:net';
import { deserialize, Long, serialize, type Document } from 'bson';
import { MongoClient, type CommandStartedEvent } from 'mongodb';
import mongoose from 'mongoose';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src';

let server: EmbeddedMongo;

beforeAll(async () => {
  server = await startEmbeddedMongo();
});

afterAll(() => server.stop());

/** A bare TCP client that speaks the wire protocol by hand. */
class RawClient {
  private buffered = Buffer.alloc(0);
  private waiting: ((message: Buffer) => void) | undefined;
  readonly closed: Promise<void>;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.deliver();
    });
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next whole reply message. */
  reply(): Promise<Buffer> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.deliver();
    });
  }

  end(): void {
    this.socket.destroy();
  }

  private deliver(): void {
    if (!this.waiting || this.buffered.length < 4) return;
    const length = this.buffered.readInt32LE(0);
    if (this.buffered.length < length) return;
    const message = this.buffered.subarray(0, length);
    this.buffered = this.buffered.subarray(length);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting(message);
  }
}

function header(length: number, requestId: number, opCode: number): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.writeInt32LE(length, 0);
  bytes.writeInt32LE(requestId, 4);
  bytes.writeInt32LE(0, 8);
  bytes.writeInt32LE(opCode, 12);
  return bytes;
}

function opMsg(
  requestId: number,
  body: Document,
  options: { flags?: number; sequence?: [string, Document[]] } = {},
): Buffer {
  const flags = options.flags ?? 0;
  const parts: Buffer[] = [Buffer.alloc(4), Buffer.from([0]), Buffer.from(serialize(body))];
  parts[0]!.writeUInt32LE(flags, 0);
  if (options.sequence) {
    const [identifier, documents] = options.sequence;
    const payload = Buffer.concat([
      Buffer.from(`${identifier}\0`),
      ...documents.map((d) => Buffer.from(serialize(d))),
    ]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4, 0);
    parts.push(Buffer.from([1]), size, payload);
  }
  if (flags & 1) parts.push(Buffer.alloc(4)); // checksum bytes; the server ignores their value
  const content = Buffer.concat(parts);
  return Buffer.concat([header(16 + content.length, requestId, 2013), content]);
}

function readOpMsg(message: Buffer): { responseTo: number; body: Document } {
  expect(message.readInt32LE(12)).toBe(2013);
  return {
    responseTo: message.readInt32LE(8),
    body: deserialize(message.subarray(21), { promoteLongs: false }),
  };
}

test('answers the legacy OP_QUERY handshake with OP_REPLY', async () => {
  const client = await RawClient.open(server.port);
  const query = Buffer.from(
    serialize({ ismaster: 1, helloOk: true, client: { application: { name: 'raw' } } }),
  );
  const body = Buffer.concat([
    Buffer.alloc(4),
    Buffer.from('admin.$cmd\0'),
    Buffer.alloc(4),
    Buffer.from([1, 0, 0, 0]),
    query,
  ]);
  client.send(Buffer.concat([header(16 + body.length, 7, 2004), body]));
  const reply = await client.reply();
  expect(reply.readInt32LE(8)).toBe(7);
  expect(reply.readInt32LE(12)).toBe(1);
  expect(reply.readInt32LE(32)).toBe(1);
  const document = deserialize(reply.subarray(36));
  expect(document).toMatchObject({ ok: 1, ismaster: true, helloOk: true, maxWireVersion: 21 });
  expect(document).not.toHaveProperty('setName');
  expect(document).not.toHaveProperty('topologyVersion');
  client.end();
});

test('OP_MSG: checksum flag, kind-1 sections, moreToCome and Long cursor ids', async () => {
  const client = await RawClient.open(server.port);
  const documents = [
    { _id: 1, v: 'a' },
    { _id: 2, v: 'b' },
    { _id: 3, v: 'c' },
  ];
  client.send(
    opMsg(1, { insert: 'raw', $db: 'wire' }, { flags: 1, sequence: ['documents', documents] }),
  );
  expect(readOpMsg(await client.reply()).body).toMatchObject({ n: 3, ok: 1 });

  // moreToCome: no reply to the insert, so the next reply answers the ping.
  client.send(opMsg(2, { insert: 'raw', documents: [{ _id: 4 }], $db: 'wire' }, { flags: 2 }));
  client.send(opMsg(3, { ping: 1, $db: 'wire' }));
  expect(readOpMsg(await client.reply()).responseTo).toBe(3);

  client.send(opMsg(4, { find: 'raw', filter: {}, sort: { _id: 1 }, batchSize: 2, $db: 'wire' }));
  const first = readOpMsg(await client.reply()).body.cursor as Document;
  expect(first.firstBatch).toHaveLength(2);
  expect(first.id).toBeInstanceOf(Long);
  expect(first.ns).toBe('wire.raw');
  client.send(opMsg(5, { getMore: first.id, collection: 'raw', $db: 'wire' }));
  const next = readOpMsg(await client.reply()).body.cursor as Document;
  expect((next.nextBatch as Document[]).map((d) => d._id)).toEqual([3, 4]);
  expect(next.id).toEqual(Long.fromNumber(0));
  client.end();
});

test('garbage, oversized and truncated messages close that connection only', async () => {
  const attempts = [
    Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
    header(0x7fffffff, 1, 2013),
    header(3, 1, 2013),
    Buffer.concat([header(26, 1, 2013), Buffer.from('0123456789')]),
    Buffer.concat([header(20, 1, 9999), Buffer.alloc(4)]),
  ];
  for (const bytes of attempts) {
    const client = await RawClient.open(server.port);
    client.send(bytes);
    await client.closed;
  }
  const client = await MongoClient.connect(`${server.uri}`, { serverSelectionTimeoutMS: 2000 });
  expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
  await client.close();
});

test('two databases on one server are isolated', async () => {
  const a = await mongoose.createConnection(server.uri, { dbName: 'alpha' }).asPromise();
  const b = await mongoose.createConnection(server.uri, { dbName: 'beta' }).asPromise();
  await a.collection('items').insertOne({ name: 'only in alpha' });
  await b.collection('items').insertOne({ name: 'only in beta' });
  expect(await a.collection('items').find().project({ _id: 0 }).toArray()).toEqual([
    { name: 'only in alpha' },
  ]);
  await a.dropDatabase();
  expect(await a.collection('items').countDocuments()).toBe(0);
  expect(await b.collection('items').countDocuments()).toBe(1);
  await Promise.all([a.close(), b.close()]);
});

test('unknown commands and transactions are refused as mongod refuses them', async () => {
  const connection = await mongoose
    .createConnection(server.uri, { dbName: 'refusals' })
    .asPromise();
  await expect(connection.db!.command({ frobnicate: 1 })).rejects.toMatchObject({
    code: 59,
    codeName: 'CommandNotFound',
  });
  const session = await connection.startSession();
  try {
    session.startTransaction();
    const read = connection.collection('t').findOne({}, { session });
    await expect(read).rejects.toMatchObject({ code: 20, codeName: 'IllegalOperation' });
    await session.abortTransaction().catch(() => undefined);
    // For a write, the driver rewords code 20 exactly as it does for a standalone mongod.
    const write = session.withTransaction(() =>
      connection.collection('t').insertOne({ x: 1 }, { session }),
    );
    await expect(write).rejects.toThrow(/does not support retryable writes/);
    expect(await connection.collection('t').countDocuments()).toBe(0);
  } finally {
    await session.endSession();
    await connection.close();
  }
});

test('the driver pages with getMore and closes cursors with killCursors', async () => {
  const client = new MongoClient(server.uri, { monitorCommands: true });
  const commands: string[] = [];
  client.on('commandStarted', (event: CommandStartedEvent) => commands.push(event.commandName));
  await client.connect();
  const collection = client.db('paging').collection('numbers');
  await collection.insertMany(Array.from({ length: 300 }, (_, i) => ({ i })));
  expect(await collection.find().toArray()).toHaveLength(300);
  expect(commands.filter((name) => name === 'getMore').length).toBeGreaterThan(0);

  const cursor = collection.find().batchSize(10);
  await cursor.next();
  await cursor.close();
  expect(commands).toContain('killCursors');
  await client.close();
});

test('keeps 1,234 inserts unique under a unique index, and refuses a repeat', async () => {
  // Speed is the benchmarks' business (npm run bench); here only what is stored.
  const connection = await mongoose.createConnection(server.uri, { dbName: 'timing' }).asPromise();
  const collection = connection.collection('people');
  await collection.createIndex({ email: 1 }, { unique: true });
  for (let i = 0; i < 1234; i += 1) await collection.insertOne({ email: `p${i}@example.com`, i });
  expect(await collection.countDocuments()).toBe(1234);
  await expect(collection.insertOne({ email: 'p617@example.com' })).rejects.toMatchObject({
    code: 11000,
  });
  await connection.close();
});
