/**
 * `$lookup` on localField/foreignField equality, as mongod answers it, over a
 * foreign collection with an index on the field and over a copy without one:
 * both must give the same documents in the same order. With MONGODB_URI set
 * the same tests run against a real MongoDB.
 */
import type { Document } from 'mongodb';
import { startTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;

const PEOPLE = [
  { _id: 1, userid: 'ann', name: 'Ann' },
  { _id: 2, userid: 'bob', name: 'Bob' },
  { _id: 3, name: 'No userid' },
  { _id: 4, userid: null, name: 'Null userid' },
  { _id: 5, userid: ['cat', 'dan'], name: 'Two userids' },
  { _id: 6, userid: 7, name: 'Number seven' },
];

const ROWS = [
  { _id: 'r1', month: '2024-05', userid: 'bob' },
  { _id: 'r2', month: '2024-05', userid: 'ann' },
  { _id: 'r3', month: '2024-05' },
  { _id: 'r4', month: '2024-05', userid: null },
  { _id: 'r5', month: '2024-05', userid: ['dan', 'ann', 'zed'] },
  { _id: 'r6', month: '2024-05', userid: 'cat' },
  { _id: 'r7', month: '2024-05', userid: 7.0 },
  { _id: 'r8', month: '2024-05', userid: [] },
  { _id: 'r9', month: '2024-05', userid: 'nobody' },
  { _id: 'r0', month: '2024-04', userid: 'ann' },
];

beforeAll(async () => {
  db = await startTestDatabase();
  await collection('people_indexed').createIndex({ userid: 1 });
  await collection('people_plain').insertMany(PEOPLE.map((p) => ({ ...p })));
  await collection('people_indexed').insertMany(PEOPLE.map((p) => ({ ...p })));
  await collection('rows').createIndex({ month: 1, userid: 1 });
  await collection('rows').insertMany(ROWS.map((r) => ({ ...r })));
});

afterAll(() => db.stop());

/** A collection through the driver, with documents of any shape. */
const collection = (name: string) =>
  db.connection.db!.collection<{ _id: unknown } & Document>(name);

/** Each row of May (in _id order) with the _ids it joins from `from`. */
async function joined(from: string, extra: Document[] = []): Promise<[string, number[]][]> {
  const rows = await collection('rows')
    .aggregate([
      { $match: { month: '2024-05' } },
      { $sort: { _id: 1 } },
      { $lookup: { from, localField: 'userid', foreignField: 'userid', as: 'people' } },
      ...extra,
    ])
    .toArray();
  return rows.map((row) => [row._id as string, (row.people as Document[]).map((p) => p._id)]);
}

test('each row joins the people equal on any of its values, missing and null joining null or missing', async () => {
  const expected: [string, number[]][] = [
    ['r1', [2]],
    ['r2', [1]],
    // A missing or null local value joins the people whose userid is null or missing.
    ['r3', [3, 4]],
    ['r4', [3, 4]],
    // An array joins on each element, every person once, in the foreign collection's order.
    ['r5', [1, 5]],
    // A foreign array is equal on each of its elements.
    ['r6', [5]],
    // Numbers join by value, whatever their type.
    ['r7', [6]],
    // An empty array joins as a missing value does.
    ['r8', [3, 4]],
    ['r9', []],
  ];
  expect(await joined('people_indexed')).toEqual(expected);
  expect(await joined('people_plain')).toEqual(expected);
});

test('a join from a collection that does not exist gives every row an empty list', async () => {
  const rows = await joined('nobody_here');
  expect(rows).toHaveLength(9);
  expect(rows.every(([, people]) => people.length === 0)).toBe(true);
});

test('the rows keep the order of the stages before the join', async () => {
  const rows = await collection('rows')
    .aggregate([
      { $match: { month: '2024-05', userid: { $type: 'string' } } },
      // Descending, an array sorts by its largest element, as in find.
      { $sort: { userid: -1 } },
      {
        $lookup: {
          from: 'people_indexed',
          localField: 'userid',
          foreignField: 'userid',
          as: 'person',
        },
      },
      { $unwind: '$person' },
    ])
    .toArray();
  expect(rows.map((row) => [row.userid, row.person.name])).toEqual([
    [['dan', 'ann', 'zed'], 'Ann'],
    [['dan', 'ann', 'zed'], 'Two userids'],
    ['cat', 'Two userids'],
    ['bob', 'Bob'],
    ['ann', 'Ann'],
  ]);
});

test('a join on a nested `as` sets the nested field', async () => {
  const [row] = await collection('rows')
    .aggregate([
      { $match: { _id: 'r2' } },
      {
        $lookup: {
          from: 'people_indexed',
          localField: 'userid',
          foreignField: 'userid',
          as: 'who.people',
        },
      },
    ])
    .toArray();
  expect(row).toEqual({
    _id: 'r2',
    month: '2024-05',
    userid: 'ann',
    who: { people: [{ _id: 1, userid: 'ann', name: 'Ann' }] },
  });
});

test('stages after a join change neither the stored rows nor the stored people', async () => {
  const rows = collection('rows');
  await rows
    .aggregate([
      { $match: { month: '2024-05' } },
      {
        $lookup: { from: 'people_indexed', localField: 'userid', foreignField: 'userid', as: 'p' },
      },
      { $unwind: { path: '$p', preserveNullAndEmptyArrays: true, includeArrayIndex: 'at' } },
      { $set: { 'p.name': 'changed', month: 'changed' } },
    ])
    .toArray();
  await rows
    .aggregate([
      { $match: { month: '2024-05' } },
      { $unwind: { path: '$userid', preserveNullAndEmptyArrays: true, includeArrayIndex: 'at' } },
    ])
    .toArray();
  const strip = (docs: Document[]) => docs.map((doc) => ({ ...doc }));
  expect(strip(await rows.find().sort({ _id: 1 }).toArray())).toEqual(
    [...ROWS].sort((a, b) => a._id.localeCompare(b._id)),
  );
  expect(await collection('people_indexed').find().toArray()).toEqual(PEOPLE);
});

test('a $lookup with its own pipeline (no let) still joins what the pipeline finds', async () => {
  const [row] = await collection('rows')
    .aggregate([
      { $match: { _id: 'r1' } },
      {
        $lookup: {
          from: 'people_indexed',
          pipeline: [{ $match: { name: { $regex: '^N' } } }, { $sort: { _id: -1 } }],
          as: 'people',
        },
      },
    ])
    .toArray();
  expect((row!.people as Document[]).map((p) => p._id)).toEqual([6, 4, 3]);
});

test('a plain $unwind keeps a value that is not an array and drops null, missing and empty arrays', async () => {
  const unwound = db.connection.db!.collection<{ _id: number } & Document>('unwound');
  await unwound.insertMany([
    { _id: 1, v: [1, 2] },
    { _id: 2, v: {} },
    { _id: 3, v: 'x' },
    { _id: 4, v: [] },
    { _id: 5, v: null },
    { _id: 6 },
  ]);
  const rows = await unwound.aggregate([{ $sort: { _id: 1 } }, { $unwind: '$v' }]).toArray();
  expect(rows).toEqual([
    { _id: 1, v: 1 },
    { _id: 1, v: 2 },
    { _id: 2, v: {} },
    { _id: 3, v: 'x' },
  ]);
});
