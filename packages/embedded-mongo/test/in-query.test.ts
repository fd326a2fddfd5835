import { ObjectId } from 'mongodb';
import { IN_OBJECT_IDS_OPERATOR, IN_STRINGS_OPERATOR, rewriteInQueries } from '../src/in-query';
import { startTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase();
  await db.connection
    .collection('people')
    .insertMany([
      { n: 1, userid: 'u3' },
      { n: 2, userid: ['x', 'u7'] },
      { n: 3, userid: 'nobody' },
      { n: 4, userid: 3 },
      { n: 5 },
      { n: 6, team: [{ userid: 'u9' }, { userid: 'zz' }] },
      { n: 7, userid: [['u5']] },
      { n: 8, userid: 'U3' },
    ]);
});

afterAll(() => db.stop());

// Long enough for the Set-backed operator (16 or more strings).
const many = Array.from({ length: 40 }, (_, i) => `u${i}`);

const ns = async (filter: Record<string, unknown>) =>
  (await db.connection.collection('people').find(filter).sort({ n: 1 }).toArray()).map((d) => d.n);

test('a long $in of strings matches a value or an array element, as mongod does', async () => {
  // Not the number 3, not a nested array's element, not another case.
  expect(await ns({ userid: { $in: many } })).toEqual([1, 2]);
  expect(await ns({ 'team.userid': { $in: many } })).toEqual([6]);
  expect(await ns({ $or: [{ userid: { $in: many } }, { n: 5 }] })).toEqual([1, 2, 5]);
  expect(await ns({ userid: { $in: many, $ne: 'u3' } })).toEqual([2]);
  expect(await ns({ userid: { $not: { $in: many } } })).toEqual([3, 4, 5, 6, 7, 8]);
});

test('the same answers as a short $in, and a list with a number or null keeps its meaning', async () => {
  expect(await ns({ userid: { $in: ['u3', 'u7'] } })).toEqual([1, 2]);
  expect(await ns({ userid: { $in: [...many, 3] } })).toEqual([1, 2, 4]);
  expect(await ns({ userid: { $in: [...many, null] } })).toEqual([1, 2, 5, 6]);
});

test('updateMany and countDocuments take the same path', async () => {
  const people = db.connection.collection('people');
  expect(await people.countDocuments({ userid: { $in: many } })).toBe(2);
  const result = await people.updateMany({ userid: { $in: many } }, { $set: { seen: true } });
  expect(result.modifiedCount).toBe(2);
  expect(await ns({ seen: true })).toEqual([1, 2]);
});

test('a long $in of ObjectIds matches equal ids only, as a value or an array element', async () => {
  const things = db.connection.collection('things');
  const ids = Array.from({ length: 30 }, () => new ObjectId());
  await things.insertMany([
    { _id: ids[3], n: 1 },
    { n: 2, refs: [new ObjectId(), ids[7]] },
    // The same 24 hex digits as a string is another value.
    { n: 3, ref: ids[9]!.toHexString() },
    { n: 4, ref: ids[9] },
    { n: 5 },
  ]);
  const found = async (filter: Record<string, unknown>) =>
    (await things.find(filter).sort({ n: 1 }).toArray()).map((d) => d.n);
  expect(await found({ _id: { $in: ids } })).toEqual([1]);
  expect(await found({ refs: { $in: ids } })).toEqual([2]);
  expect(await found({ ref: { $in: ids } })).toEqual([4]);
  // A claim's shape: the ids and a condition besides, in an update.
  const claimed = await things.updateMany(
    { _id: { $in: ids }, n: { $lte: 1 } },
    { $set: { claimed: true } },
  );
  expect(claimed.modifiedCount).toBe(1);
  expect(await found({ claimed: true })).toEqual([1]);
});

test('long lists of strings or of ObjectIds are the ones answered from a Set', () => {
  const ids = Array.from({ length: 20 }, () => new ObjectId());
  expect(Object.keys(rewriteInQueries({ _id: { $in: ids } })._id)).toEqual([
    IN_OBJECT_IDS_OPERATOR,
  ]);
  expect(Object.keys(rewriteInQueries({ u: { $in: many } }).u)).toEqual([IN_STRINGS_OPERATOR]);
  // Mixed, or short: mingo's own $in.
  const mixed = { _id: { $in: [...ids, 'x'] } };
  expect(rewriteInQueries(mixed)).toBe(mixed);
  const short = { _id: { $in: ids.slice(0, 3) } };
  expect(rewriteInQueries(short)).toBe(short);
});
