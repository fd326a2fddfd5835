/**
 * Each test pins one place where the embedded server used to differ from
 * MongoDB 7.0 (issue 15), to what mongod answers. They talk through the
 * official driver, so with MONGODB_URI set they run against a real mongod.
 */
import { MongoClient, MongoServerError, ObjectId, type Collection, type Db } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src';

let server: EmbeddedMongo | undefined;
let client: MongoClient;
let db: Db;
let items: Collection;

beforeAll(async () => {
  const external = process.env.MONGODB_URI;
  server = external ? undefined : await startEmbeddedMongo();
  client = await MongoClient.connect(external ?? server!.uri);
  db = client.db(`parity_${process.pid}_${Date.now()}`);
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
  await server?.stop();
});

beforeEach(async () => {
  items = db.collection(`items_${Math.random().toString(36).slice(2)}`);
});

/** The server error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<MongoServerError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(MongoServerError);
  return error as MongoServerError;
}

test('$set and $setOnInsert on one path: 40 ConflictingUpdateOperators', async () => {
  const error = await failure(
    items.updateOne(
      { _id: 1 } as never,
      { $set: { a: 1 }, $setOnInsert: { a: 2 } },
      { upsert: true },
    ),
  );
  expect(error.code).toBe(40);
  expect(error.message).toBe("Updating the path 'a' would create a conflict at 'a'");
});

test('$set on a.b with $setOnInsert on a: 40, the conflict at the prefix', async () => {
  await items.insertOne({ _id: 1 } as never);
  const error = await failure(
    items.updateOne({ _id: 1 } as never, { $set: { 'a.b': 1 }, $setOnInsert: { a: {} } }),
  );
  expect(error.code).toBe(40);
  expect(error.message).toBe("Updating the path 'a' would create a conflict at 'a'");
});

test('$inc and $set on one path: 40, not 2', async () => {
  await items.insertOne({ _id: 1, n: 1 } as never);
  const error = await failure(
    items.updateOne({ _id: 1 } as never, { $inc: { n: 1 }, $set: { n: 5 } }),
  );
  expect(error.code).toBe(40);
});

test('$addToSet leaves duplicates already stored alone', async () => {
  await items.insertOne({ _id: 1, a: [1, 1, 2] } as never);
  await items.updateOne({ _id: 1 } as never, { $addToSet: { a: 3 } });
  expect(await items.findOne({ _id: 1 } as never)).toEqual({ _id: 1, a: [1, 1, 2, 3] });
});

test('$addToSet $each [1, 1] on a missing field stores [1]', async () => {
  await items.insertOne({ _id: 1 } as never);
  await items.updateOne({ _id: 1 } as never, { $addToSet: { a: { $each: [1, 1] } } });
  expect(await items.findOne({ _id: 1 } as never)).toEqual({ _id: 1, a: [1] });
});

test('$addToSet compares sub-documents with field order significant', async () => {
  await items.insertOne({ _id: 1, a: [{ x: 1, y: 2 }] } as never);
  await items.updateOne({ _id: 1 } as never, { $addToSet: { a: { y: 2, x: 1 } } });
  await items.updateOne({ _id: 1 } as never, { $addToSet: { a: { x: 1, y: 2 } } });
  const stored = await items.findOne({ _id: 1 } as never);
  expect(JSON.stringify(stored)).toBe('{"_id":1,"a":[{"x":1,"y":2},{"y":2,"x":1}]}');
});

test('a descending sort on an array field uses its largest element', async () => {
  await items.insertMany([
    { _id: 'a', v: [1, 10] },
    { _id: 'b', v: [5, 6] },
  ] as never);
  const descending = await items.find({}).sort({ v: -1 }).toArray();
  const ascending = await items.find({}).sort({ v: 1 }).toArray();
  expect(descending.map((document) => document._id)).toEqual(['a', 'b']);
  expect(ascending.map((document) => document._id)).toEqual(['a', 'b']);
});

test('a sort across types follows BSON order', async () => {
  const id = new ObjectId();
  const date = new Date(0);
  await items.insertMany(
    [true, date, id, { k: 1 }, 'text', 3, null, []].map((v, i) => ({ _id: i, v })) as never,
  );
  const sorted = await items
    .find({}, { projection: { _id: 0 } })
    .sort({ v: 1 })
    .toArray();
  // An empty array sorts before null; then numbers, strings, objects, ObjectId, booleans, dates.
  expect(sorted.map((document) => document.v)).toEqual([
    [],
    null,
    3,
    'text',
    { k: 1 },
    id,
    true,
    date,
  ]);
});

test('$push onto a non-array: error 2 naming the field and its type', async () => {
  await items.insertOne({ _id: 1, a: 5 } as never);
  const error = await failure(items.updateOne({ _id: 1 } as never, { $push: { a: 6 } } as never));
  expect(error.code).toBe(2);
  expect(error.message).toBe(
    "The field 'a' must be an array but is of type int in document {_id: 1}",
  );
});

test('$addToSet onto a non-array: error 2', async () => {
  await items.insertOne({ _id: 1, a: 'x' } as never);
  const error = await failure(
    items.updateOne({ _id: 1 } as never, { $addToSet: { a: 'y' } } as never),
  );
  expect(error.code).toBe(2);
  expect(error.message).toMatch(/^The field 'a' must be an array but is of type string/);
});

test('{$type: "objectId"} and {$type: 7} match ObjectIds', async () => {
  await items.insertMany([
    { _id: 1, ref: new ObjectId() },
    { _id: 2, ref: 'x' },
  ] as never);
  expect(await items.countDocuments({ ref: { $type: 'objectId' } })).toBe(1);
  expect(await items.countDocuments({ ref: { $type: 7 } })).toBe(1);
  expect(await items.countDocuments({ ref: { $type: ['string', 'objectId'] } })).toBe(2);
});

test('an inclusion projection returns _id first', async () => {
  await items.insertOne({ a: 1, b: 2, _idLast: true } as never);
  await items.insertOne({ x: 1, _id: 'k', y: 2 } as never);
  const found = await items.findOne({ _id: 'k' } as never, { projection: { y: 1, x: 1 } });
  expect(Object.keys(found!)).toEqual(['_id', 'x', 'y']);
});

test('a replaceOne upsert with _id: null stores _id null', async () => {
  await items.replaceOne({ x: 1 }, { _id: null, x: 1 } as never, { upsert: true });
  expect(await items.find({}).toArray()).toEqual([{ _id: null, x: 1 }]);
});

test('an unordered bulkWrite does not count a duplicate-key failure as matched', async () => {
  await items.createIndex({ u: 1 }, { unique: true });
  await items.insertMany([
    { _id: 1, u: 1 },
    { _id: 2, u: 2 },
  ] as never);
  const error = await failure(
    items.bulkWrite(
      [
        { updateOne: { filter: { _id: 1 }, update: { $set: { u: 2 } } } },
        { updateOne: { filter: { _id: 2 }, update: { $set: { v: 1 } } } },
      ] as never,
      { ordered: false },
    ),
  );
  expect(error.code).toBe(11000);
  const result = (error as unknown as { result: { matchedCount: number; modifiedCount: number } })
    .result;
  expect(result.matchedCount).toBe(1);
  expect(result.modifiedCount).toBe(1);
});

test('a hint naming a missing index: error 2', async () => {
  await items.insertOne({ a: 1 });
  const error = await failure(items.find({ a: 1 }, { hint: 'nope_1' }).toArray());
  expect(error.code).toBe(2);
  expect(error.message).toBe('hint provided does not correspond to an existing index');
  await items.createIndex({ a: 1 });
  expect(await items.find({ a: 1 }, { hint: 'a_1' }).toArray()).toHaveLength(1);
});
