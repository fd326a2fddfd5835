import { Schema, type Model } from 'mongoose';
import { startTestDatabase, type TestDatabase } from '../src/testing';

interface Row {
  month: string;
  userid: string;
  points: number;
}

let db: TestDatabase;
let Rows: Model<Row>;
interface Person {
  userid: string;
  name: string;
  team: string;
}

let People: Model<Person>;

// 700 rows, 3 teams; userids padded so that their order is the numeric one.
const ids = Array.from({ length: 700 }, (_, i) => `u${String(i).padStart(3, '0')}`);

beforeAll(async () => {
  db = await startTestDatabase();
  People = db.connection.model<Person>(
    'Person',
    new Schema<Person>({ userid: { type: String, unique: true }, name: String, team: String }),
    'people',
  );
  Rows = db.connection.model<Row>(
    'Row',
    new Schema<Row>({ month: String, userid: String, points: Number }),
    'rows',
  );
  await People.init();
  await People.insertMany(
    ids.map((userid, i) => ({ userid, name: `员工${i}`, team: `t${i % 3}` })),
  );
  // Stored in reverse, so the $sort before the per-document stages has work to do.
  await Rows.insertMany(
    [...ids].reverse().flatMap((userid, i) => [
      { month: '2024-05', userid, points: i % 100 },
      { month: '2024-04', userid, points: 1 },
    ]),
  );
});

afterAll(() => db.stop());

// The report's shape: sorted, then joined, unwound, filtered and projected a document at a time.
const pipeline = [
  { $match: { month: '2024-05' } },
  { $sort: { userid: 1 } },
  { $lookup: { from: 'people', localField: 'userid', foreignField: 'userid', as: 'person' } },
  { $unwind: '$person' },
  { $match: { 'person.team': { $in: ['t0', 't2'] } } },
  { $project: { _id: 0, userid: 1, points: 1, 'person.name': 1 } },
];

test('an aggregation read in small batches gives what one batch gives, in order, then closes', async () => {
  const whole = await Rows.collection.aggregate(pipeline, { batchSize: 10_000 }).toArray();
  const cursor = Rows.collection.aggregate(pipeline, { batchSize: 7 });
  const batched: unknown[] = [];
  for await (const row of cursor) batched.push(row);
  expect(batched).toEqual(whole);
  expect(whole).toHaveLength(ids.filter((_, i) => i % 3 !== 1).length);
  expect(whole[0]).toEqual({ userid: 'u000', points: 99, person: { name: '员工0' } });
  expect(whole.at(-1)).toEqual({ userid: 'u699', points: 0, person: { name: '员工699' } });
  expect(cursor.closed).toBe(true);
});

test('a filter that ends a batch short of its size still fills the next one from the rest', async () => {
  // Only every third person passes, so most slices the cursor joins give fewer than a batch.
  const only = [...pipeline.slice(0, 4), { $match: { 'person.team': 't1' } }, pipeline[5]!];
  const rows = await Rows.collection.aggregate(only, { batchSize: 50 }).toArray();
  expect(rows.map((r) => r.userid)).toEqual(ids.filter((_, i) => i % 3 === 1));
});

test('a bad stage among those run batch by batch is refused by the aggregate command itself', async () => {
  // No row matches, so nothing would run the stage: it is refused as it is read, as mongod does.
  const bad = [
    { $match: { month: '1999-01' } },
    ...pipeline.slice(1, 4),
    { $match: { 'person.team': { $noSuchOperator: 1 } } },
  ];
  await expect(Rows.collection.aggregate(bad, { batchSize: 5 }).next()).rejects.toMatchObject({
    code: 2,
    codeName: 'BadValue',
  });
});

test('stored documents are not changed by the stages run batch by batch', async () => {
  await Rows.collection.aggregate(pipeline, { batchSize: 3 }).toArray();
  const stored = await Rows.findOne({ month: '2024-05', userid: 'u000' }).lean();
  expect(stored).toMatchObject({ month: '2024-05', userid: 'u000', points: 99 });
  expect(stored).not.toHaveProperty('person');
});
