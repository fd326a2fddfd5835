/**
 * What the embedded server refuses rather than accepts and ignores, so that
 * code which passes here cannot silently depend on it (see the README).
 * These are embedded-only: MongoDB supports all of them.
 */
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src';

let server: EmbeddedMongo;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  server = await startEmbeddedMongo();
  client = await MongoClient.connect(server.uri);
  db = client.db('refusals');
  await db.collection('c').insertOne({ a: 1 });
});

afterAll(async () => {
  await client.close();
  await server.stop();
});

async function refusal(promise: Promise<unknown>): Promise<MongoServerError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(MongoServerError);
  expect((error as MongoServerError).code).toBe(115);
  return error as MongoServerError;
}

test('a collection validator is refused, at create and through collMod', async () => {
  const error = await refusal(db.createCollection('v', { validator: { a: { $type: 'int' } } }));
  expect(error.message).toBe('collection validators are not supported by the embedded database');
  await refusal(db.command({ collMod: 'c', validator: {} }));
});

test('views, collation, let, $out and $merge are refused', async () => {
  await refusal(db.createCollection('view', { viewOn: 'c', pipeline: [] }));
  await refusal(
    db
      .collection('c')
      .find({}, { collation: { locale: 'en', strength: 2 } })
      .toArray(),
  );
  await refusal(
    db
      .collection('c')
      .find({ $expr: { $eq: ['$a', '$$x'] } }, { let: { x: 1 } })
      .toArray(),
  );
  await refusal(
    db
      .collection('c')
      .aggregate([{ $out: 'copy' }])
      .toArray(),
  );
  await refusal(
    db
      .collection('c')
      .aggregate([{ $merge: { into: 'copy' } }])
      .toArray(),
  );
});

test('the simple collation is accepted: it is the default', async () => {
  const found = await db
    .collection('c')
    .find({}, { collation: { locale: 'simple' } })
    .toArray();
  expect(found).toHaveLength(1);
});
