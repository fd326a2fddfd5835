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
