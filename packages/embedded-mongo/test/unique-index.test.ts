import { Schema } from 'mongoose';
import { startTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase();
});

afterAll(() => db.stop());

function indexNames(specs: { name?: string }[]): string[] {
  return specs.map((spec) => spec.name ?? '').sort();
}

test('a duplicate unique key fails with E11000, code 11000 and keyValue', async () => {
  const Users = db.connection.model('User', new Schema({ email: { type: String, unique: true } }));
  await Users.init();
  await Users.create({ email: 'a@example.com' });
  const error = await Users.create({ email: 'a@example.com' }).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 11000, keyValue: { email: 'a@example.com' } });
  expect((error as Error).message).toContain(
    `E11000 duplicate key error collection: ${db.dbName}.users index: email_1 dup key: { email: "a@example.com" }`,
  );
  expect(await Users.countDocuments()).toBe(1);
});

test('a failed update leaves the document unchanged', async () => {
  const Codes = db.connection.model(
    'Code',
    new Schema({ code: { type: String, unique: true }, label: String, count: Schema.Types.Mixed }),
  );
  await Codes.init();
  await Codes.create([
    { code: 'A', label: 'first', count: 'many' },
    { code: 'B', label: 'second' },
  ]);

  const clash = Codes.updateOne({ code: 'B' }, { $set: { code: 'A', label: 'changed' } });
  await expect(clash).rejects.toMatchObject({ code: 11000, keyValue: { code: 'A' } });
  const clashAndReturn = Codes.findOneAndUpdate({ code: 'B' }, { $set: { code: 'A' } });
  await expect(clashAndReturn).rejects.toMatchObject({ code: 11000 });
  await expect(Codes.updateOne({ code: 'A' }, { $inc: { count: 1 } })).rejects.toMatchObject({
    code: 14,
  });

  const stored = await Codes.find().sort({ code: 1 }).lean();
  expect(stored).toMatchObject([
    { code: 'A', label: 'first', count: 'many' },
    { code: 'B', label: 'second' },
  ]);
  // The old key of B is still owned by B, and A's key still by A.
  await Codes.updateOne({ code: 'B' }, { $set: { label: 'ok' } });
  await expect(Codes.create({ code: 'B' })).rejects.toMatchObject({ code: 11000 });
});

test('compound, sparse and partial unique indexes', async () => {
  const schema = new Schema({
    team: String,
    month: String,
    badge: String,
    nick: String,
    active: Boolean,
  });
  schema.index({ team: 1, month: 1 }, { unique: true });
  schema.index({ badge: 1 }, { unique: true, sparse: true });
  schema.index({ nick: 1 }, { unique: true, partialFilterExpression: { active: true } });
  const Entries = db.connection.model('Entry', schema);
  await Entries.init();

  await Entries.create([
    { team: 't', month: '2024-01' },
    { team: 't', month: '2024-02' },
  ]);
  await expect(Entries.create({ team: 't', month: '2024-01' })).rejects.toMatchObject({
    code: 11000,
    keyValue: { team: 't', month: '2024-01' },
  });

  await Entries.create({ team: 'u', month: '1', badge: 'x' });
  await expect(Entries.create({ team: 'u', month: '2', badge: 'x' })).rejects.toMatchObject({
    code: 11000,
  });

  await Entries.create([
    { team: 'v', month: '1', nick: 'n', active: false },
    { team: 'v', month: '2', nick: 'n', active: false },
    { team: 'v', month: '3', nick: 'n', active: true },
  ]);
  await expect(
    Entries.create({ team: 'v', month: '4', nick: 'n', active: true }),
  ).rejects.toMatchObject({
    code: 11000,
  });
  expect(await Entries.countDocuments()).toBe(6);
});

test('a unique index cannot be built over duplicate data', async () => {
  const collection = db.connection.collection('dupes');
  await collection.insertMany([{ k: 1 }, { k: 1 }]);
  await expect(collection.createIndex({ k: 1 }, { unique: true })).rejects.toMatchObject({
    code: 11000,
  });
  const names = indexNames(await collection.listIndexes().toArray());
  expect(names).toEqual(['_id_']);
});

test('syncIndexes drops stale indexes and creates new ones', async () => {
  const first = new Schema({ a: String, b: String });
  first.index({ a: 1 }, { unique: true });
  const V1 = db.connection.model('Synced', first, 'synced');
  await V1.init();
  expect(indexNames(await V1.listIndexes())).toEqual(['_id_', 'a_1']);

  db.connection.deleteModel('Synced');
  const second = new Schema({ a: String, b: String });
  second.index({ b: 1 });
  const V2 = db.connection.model('Synced', second, 'synced');
  const dropped = await V2.syncIndexes();
  expect(dropped).toEqual(['a_1']);
  expect(indexNames(await V2.listIndexes())).toEqual(['_id_', 'b_1']);

  // With the unique index gone, duplicates are accepted again.
  await V2.create([{ a: 'same' }, { a: 'same' }]);
  expect(await V2.syncIndexes()).toEqual([]);
});

test('dropping a collection forgets its documents and indexes', async () => {
  const collection = db.connection.collection('temporary');
  await collection.createIndex({ x: 1 }, { unique: true });
  await collection.insertOne({ x: 1 });
  await collection.drop();
  await collection.insertOne({ x: 1 });
  await collection.insertOne({ x: 1 });
  expect(await collection.countDocuments()).toBe(2);
});

test('lookups through the unique hashes agree with a scan', async () => {
  const collection = db.connection.collection('lookups');
  await collection.createIndex({ email: 1 }, { unique: true });
  await collection.createIndex({ seat: 1 }, { unique: true, sparse: true });
  await collection.insertMany([
    { email: 'Ann@example.com', age: 30, seat: 1 },
    { email: 'bob@example.com', age: 40 },
  ]);
  expect(await collection.findOne({ email: 'Ann@example.com' })).toMatchObject({ age: 30 });
  expect(await collection.findOne({ email: 'Ann@example.com', age: 99 })).toBeNull();
  expect(await collection.findOne({ email: 'nobody@example.com' })).toBeNull();
  expect(await collection.findOne({ seat: 1.0 })).toMatchObject({ age: 30 });
  expect(await collection.countDocuments({ seat: null })).toBe(1);
});

test('a filter that pins every field of a compound unique index finds the one document, and still applies the rest of the filter', async () => {
  const schema = new Schema({ month: String, userid: String, score: Number });
  schema.index({ month: 1, userid: 1 }, { unique: true });
  const Forms = db.connection.model('Form', schema);
  await Forms.init();
  await Forms.insertMany(
    ['2024-04', '2024-05'].flatMap((month) =>
      ['a', 'b', 'c'].map((userid, i) => ({ month, userid, score: i })),
    ),
  );
  expect(await Forms.findOne({ month: '2024-05', userid: 'b' }).lean()).toMatchObject({
    month: '2024-05',
    userid: 'b',
    score: 1,
  });
  expect(await Forms.findOne({ month: '2024-05', userid: 'b', score: 2 }).lean()).toBeNull();
  expect(await Forms.findOne({ month: '2024-06', userid: 'b' }).lean()).toBeNull();
  await Forms.updateOne({ month: '2024-04', userid: 'c' }, { $set: { score: 9 } });
  expect((await Forms.find({ score: 9 }).lean()).map((f) => `${f.month}:${f.userid}`)).toEqual([
    '2024-04:c',
  ]);
  const upserted = await Forms.updateOne(
    { month: '2024-06', userid: 'a' },
    { $setOnInsert: { score: 5 } },
    { upsert: true },
  );
  expect(upserted.upsertedCount).toBe(1);
  expect(await Forms.countDocuments({ month: '2024-06' })).toBe(1);
});

test('$in on a uniquely indexed field finds what a scan finds: arrays, numbers of any type, null and missing', async () => {
  const Tags = db.connection.model(
    'Tag',
    new Schema({ tag: { type: Schema.Types.Mixed, unique: true, sparse: true }, n: Number }),
  );
  await Tags.init();
  await Tags.collection.insertMany([
    { tag: 'a', n: 1 },
    { tag: ['b', 'c'], n: 2 },
    { tag: 3, n: 3 },
    { tag: null, n: 4 },
    { n: 5 },
    { tag: new Date('2024-05-01T00:00:00Z'), n: 6 },
  ]);
  const ns = async (filter: Record<string, unknown>) =>
    (await Tags.collection.find(filter).toArray()).map((d) => d.n as number);
  expect(await ns({ tag: { $in: ['a', 'c', 'zz'] } })).toEqual([1, 2]);
  expect(await ns({ tag: { $in: [3.0, 'b'] } })).toEqual([2, 3]);
  expect(await ns({ tag: { $in: [new Date('2024-05-01T00:00:00Z')] } })).toEqual([6]);
  // Not plain values: answered by a scan, as before.
  expect(await ns({ tag: { $in: [null] } })).toEqual([4, 5]);
  expect(await ns({ tag: { $in: [/^a/] } })).toEqual([1]);
  expect(await ns({ tag: { $in: [] } })).toEqual([]);
  expect(await ns({ tag: { $in: ['a', 3] }, n: { $gt: 1 } })).toEqual([3]);
});
