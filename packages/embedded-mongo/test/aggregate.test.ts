import { Schema, Types, type Model } from 'mongoose';
import { startTestDatabase, type TestDatabase } from '../src/testing';

interface Score {
  staff: Types.ObjectId;
  month: string;
  points: number;
}

let db: TestDatabase;
let Scores: Model<Score>;
let ann: Types.ObjectId;
let bob: Types.ObjectId;

beforeAll(async () => {
  db = await startTestDatabase();
  const Staff = db.connection.model('Staff', new Schema({ name: String }), 'staff');
  Scores = db.connection.model<Score>(
    'Score',
    new Schema<Score>({
      staff: { type: Schema.Types.ObjectId, ref: 'Staff' },
      month: String,
      points: Number,
    }),
  );
  const people = await Staff.create([{ name: 'Ann' }, { name: 'Bob' }]);
  ann = people[0]!._id;
  bob = people[1]!._id;
  await Scores.create([
    { staff: ann, month: '2024-01', points: 80 },
    { staff: ann, month: '2024-02', points: 90 },
    { staff: bob, month: '2024-01', points: 70 },
    { staff: bob, month: '2024-02', points: 60 },
  ]);
});

afterAll(() => db.stop());

test('$match, $group and $sort', async () => {
  const totals = await Scores.aggregate<{ _id: Types.ObjectId; total: number; months: number }>([
    { $match: { points: { $gte: 65 } } },
    { $group: { _id: '$staff', total: { $sum: '$points' }, months: { $sum: 1 } } },
    { $sort: { total: -1 } },
  ]);
  expect(totals.map((t) => [String(t._id), t.total, t.months])).toEqual([
    [String(ann), 170, 2],
    [String(bob), 70, 1],
  ]);
});

test('$lookup joins another collection without changing stored documents', async () => {
  const joined = await Scores.aggregate<{ month: string; who: { name: string }[] }>([
    { $match: { month: '2024-02' } },
    { $lookup: { from: 'staff', localField: 'staff', foreignField: '_id', as: 'who' } },
    { $sort: { points: -1 } },
    { $project: { _id: 0, month: 1, 'who.name': 1 } },
  ]);
  expect(joined).toEqual([
    { month: '2024-02', who: [{ name: 'Ann' }] },
    { month: '2024-02', who: [{ name: 'Bob' }] },
  ]);
  const stored = await Scores.findOne({ month: '2024-02', staff: ann }).lean();
  expect(stored).not.toHaveProperty('who');
});

test('an uncorrelated $lookup pipeline gives every document the same narrowed, sorted answer', async () => {
  const joined = await Scores.aggregate<{ points: number; best: { points: number }[] }>([
    { $match: { month: '2024-01' } },
    {
      $lookup: {
        from: 'scores',
        pipeline: [
          { $match: { month: '2024-02', points: { $gt: 50 } } },
          { $sort: { points: -1 } },
          { $limit: 1 },
          { $project: { _id: 0, points: 1 } },
        ],
        as: 'best',
      },
    },
    { $sort: { points: 1 } },
    { $project: { _id: 0, points: 1, best: 1 } },
  ]);
  expect(joined).toEqual([
    { points: 70, best: [{ points: 90 }] },
    { points: 80, best: [{ points: 90 }] },
  ]);
  const none = await Scores.aggregate([
    { $match: { month: '2024-01' } },
    { $limit: 1 },
    { $lookup: { from: 'absent', pipeline: [{ $match: { x: 1 } }], as: 'nothing' } },
    { $project: { _id: 0, nothing: 1 } },
  ]);
  expect(none).toEqual([{ nothing: [] }]);
  expect(await Scores.findOne({ month: '2024-01', staff: ann }).lean()).not.toHaveProperty('best');
});

test('what later stages write into an uncorrelated $lookup’s answer stays with its own document', async () => {
  const out = await Scores.aggregate([
    { $match: { month: '2024-01' } },
    { $sort: { points: 1 } },
    {
      $lookup: {
        from: 'scores',
        pipeline: [
          { $match: { month: '2024-02', points: 90 } },
          { $project: { _id: 0, points: 1 } },
        ],
        as: 'best',
      },
    },
    { $unwind: '$best' },
    { $addFields: { 'best.gap': { $subtract: ['$best.points', '$points'] } } },
    { $project: { _id: 0, points: 1, best: 1 } },
  ]);
  expect(out).toEqual([
    { points: 70, best: { points: 90, gap: 20 } },
    { points: 80, best: { points: 90, gap: 10 } },
  ]);
});

test('populate, $in on _id and large aggregate results use cursors', async () => {
  const populated = await Scores.find({ month: '2024-01' })
    .sort({ points: -1 })
    .populate('staff')
    .lean();
  expect(populated.map((s) => (s.staff as unknown as { name: string }).name)).toEqual([
    'Ann',
    'Bob',
  ]);

  const many = Array.from({ length: 150 }, (_, i) => ({ staff: bob, month: `m${i}`, points: i }));
  await Scores.insertMany(many);
  const all = await Scores.aggregate([{ $match: { staff: bob } }, { $sort: { points: 1 } }]);
  expect(all).toHaveLength(152);
  await Scores.deleteMany({ month: /^m/ });
  expect(await Scores.countDocuments({ staff: bob })).toBe(2);
});

test('$skip and $limit page a pipeline (run as a slice)', async () => {
  const page = await Scores.aggregate<{ points: number }>([
    { $sort: { points: -1 } },
    { $skip: 1 },
    { $limit: 2 },
    { $project: { _id: 0, points: 1 } },
  ]);
  expect(page).toEqual([{ points: 80 }, { points: 70 }]);
  const past = await Scores.aggregate([{ $skip: 10 }, { $limit: 1 }]);
  expect(past).toEqual([]);
  const all = await Scores.aggregate([{ $match: { month: '2024-01' } }, { $skip: 0 }]);
  expect(all).toHaveLength(2);
});

test('a $match after other stages matches as find does ($in with null takes a missing field)', async () => {
  const rows = db.connection.db!.collection('match_later');
  await rows.insertMany([
    { _id: 1 as never, who: { dept: 'a' } },
    { _id: 2 as never, who: { dept: 'b' } },
    { _id: 3 as never, who: {} },
    { _id: 4 as never, who: { dept: null } },
  ]);
  const later = await rows
    .aggregate([{ $sort: { _id: -1 } }, { $match: { 'who.dept': { $in: ['a', null] } } }])
    .toArray();
  const first = await rows
    .find({ 'who.dept': { $in: ['a', null] } })
    .sort({ _id: -1 })
    .toArray();
  expect(later.map((d) => d._id)).toEqual([4, 3, 1]);
  expect(later).toEqual(first);
});
