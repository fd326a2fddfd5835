import { startTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
const coll = () => db.connection.collection('confirmations');

beforeAll(async () => {
  db = await startTestDatabase();
  await coll().createIndex({ month: 1, userid: 1 }, { unique: true });
  await coll().insertMany([
    { n: 1, month: '2024-05', userid: 'a' },
    { n: 2, month: '2024-04', userid: 'a' },
    { n: 3, month: '2024-05', userid: 'b' },
    { n: 4, month: ['2024-05', '2024-06'], userid: 'c' },
    { n: 5, userid: 'd' },
    { n: 6, month: null, userid: 'e' },
  ]);
});

afterAll(() => db.stop());

const ns = async (filter: Record<string, unknown>) =>
  (await coll().find(filter).toArray()).map((d) => d.n);

test('a filter on the first field of a unique compound index finds what a scan finds', async () => {
  expect(await ns({ month: '2024-05' })).toEqual([1, 3, 4]);
  expect(await ns({ month: '2024-06' })).toEqual([4]);
  expect(await ns({ month: '2024-05', n: { $gt: 1 } })).toEqual([3, 4]);
  expect(await ns({ month: '2023-01' })).toEqual([]);
  // null matches the missing field too, as mongod's does.
  expect(await ns({ month: null })).toEqual([5, 6]);
  expect(await coll().countDocuments({ month: '2024-05' })).toBe(3);
});

test('the prefix follows inserts, updates and deletes', async () => {
  await coll().insertOne({ n: 7, month: '2024-05', userid: 'f' });
  await coll().updateOne({ n: 1 }, { $set: { month: '2024-07' } });
  await coll().deleteOne({ n: 3 });
  expect(await ns({ month: '2024-05' })).toEqual([4, 7]);
  expect(await ns({ month: '2024-07' })).toEqual([1]);
  expect(await coll().countDocuments({ month: '2024-05' })).toBe(2);
  // Still unique on the pair.
  await expect(coll().insertOne({ month: '2024-05', userid: 'f' })).rejects.toMatchObject({
    code: 11000,
  });
});

test('a counting $group leaves the stored documents as they were', async () => {
  const [row] = await coll()
    .aggregate([{ $match: { month: '2024-05' } }, { $group: { _id: null, n: { $sum: 2 } } }])
    .toArray();
  expect(row).toEqual({ _id: null, n: 4 });
  // A group that reads its documents still gets copies: pushing $$ROOT changes nothing stored.
  const [pushed] = await coll()
    .aggregate([
      { $match: { month: '2024-07' } },
      { $group: { _id: '$month', all: { $push: '$$ROOT' } } },
      { $unwind: '$all' },
      { $set: { 'all.n': 99 } },
    ])
    .toArray();
  expect(pushed?.all).toMatchObject({ n: 99 });
  expect(await ns({ month: '2024-07' })).toEqual([1]);
});
