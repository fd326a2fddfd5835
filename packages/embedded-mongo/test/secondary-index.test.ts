import { startTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase();
});

afterAll(() => db.stop());

/** The same query on an indexed and on an unindexed copy of the same writes. */
async function both(filter: Record<string, unknown>): Promise<[unknown[], unknown[]]> {
  const strip = (docs: Record<string, unknown>[]) => docs.map(({ _id, ...rest }) => rest);
  const indexed = await db.connection.collection('indexed').find(filter).toArray();
  const plain = await db.connection.collection('plain').find(filter).toArray();
  return [strip(indexed), strip(plain)];
}

test('a non-unique index answers equality on its first field as a scan would, in natural order', async () => {
  const indexed = db.connection.collection('indexed');
  const plain = db.connection.collection('plain');
  await indexed.createIndex({ userid: 1, status: 1, order: 1 });
  for (const collection of [indexed, plain]) {
    await collection.insertMany([
      { userid: 'a', status: 'pending', order: 3 },
      { userid: 'b', status: 'pending', order: 1 },
      { userid: ['a', 'c'], status: 'done', order: 2 },
      { userid: 'a', status: 'done', order: 0 },
      { status: 'pending', order: 9 },
      { userid: 7, status: 'pending', order: 4 },
    ]);
    // An update that moves a document from one value to another, and a removal.
    await collection.updateOne({ order: 1 }, { $set: { userid: 'a' } });
    await collection.deleteOne({ order: 0 });
  }
  const [aIndexed, aPlain] = await both({ userid: 'a' });
  expect(aIndexed).toEqual(aPlain);
  expect(aIndexed).toEqual([
    { userid: 'a', status: 'pending', order: 3 },
    { userid: 'a', status: 'pending', order: 1 },
    { userid: ['a', 'c'], status: 'done', order: 2 },
  ]);
  for (const filter of [
    { userid: 'a', status: { $in: ['pending'] }, order: { $lt: 3 } },
    { userid: 'c' },
    { userid: 'b' },
    { userid: 7 },
    { userid: 'nobody' },
    { userid: null },
    { userid: { $in: ['a', 'b'] } },
  ]) {
    const [withIndex, withoutIndex] = await both(filter);
    expect(withIndex).toEqual(withoutIndex);
  }
});
