import { Schema, type Model } from 'mongoose';
import { startTestDatabase, type TestDatabase } from '../src/testing';

interface Person {
  name: string;
  age?: number;
  tags?: string[];
  visits?: number;
  createdBy?: string;
  scores?: { subject: string; value: number }[];
}

const personSchema = new Schema<Person>({
  name: { type: String, required: true },
  age: Number,
  tags: [String],
  visits: Number,
  createdBy: String,
  scores: [{ _id: false, subject: String, value: Number }],
});

let db: TestDatabase;
let People: Model<Person>;

beforeAll(async () => {
  db = await startTestDatabase();
  People = db.connection.model<Person>('Person', personSchema);
  await People.init();
});

afterAll(() => db.stop());

beforeEach(() => People.deleteMany({}));

test('creates, reads, updates and deletes documents', async () => {
  const created = await People.create({ name: 'Ann', age: 30, tags: ['a'] });
  const found = await People.findById(created._id).lean();
  expect(found).toMatchObject({ name: 'Ann', age: 30, tags: ['a'] });

  const result = await People.updateOne(
    { _id: created._id },
    { $set: { age: 31 }, $push: { tags: 'b' } },
  );
  expect(result).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
  expect(await People.findById(created._id).lean()).toMatchObject({ age: 31, tags: ['a', 'b'] });

  const unchanged = await People.updateOne({ _id: created._id }, { $set: { age: 31 } });
  expect(unchanged).toMatchObject({ matchedCount: 1, modifiedCount: 0 });

  const doc = await People.findById(created._id);
  doc!.name = 'Anne';
  await doc!.save();
  expect((await People.findById(created._id).lean())!.name).toBe('Anne');

  await People.deleteOne({ _id: created._id });
  expect(await People.findById(created._id)).toBeNull();
});

test('upserts with $setOnInsert, which applies only when inserting', async () => {
  const first = await People.updateOne(
    { name: 'Bo' },
    { $set: { age: 20 }, $setOnInsert: { createdBy: 'import' } },
    { upsert: true },
  );
  expect(first.upsertedCount).toBe(1);
  expect(first.upsertedId).toBeDefined();

  const second = await People.updateOne(
    { name: 'Bo' },
    { $set: { age: 21 }, $setOnInsert: { createdBy: 'other' } },
    { upsert: true },
  );
  expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
  const stored = await People.find({ name: 'Bo' }).lean();
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ name: 'Bo', age: 21, createdBy: 'import' });
  expect(String(stored[0]!._id)).toBe(String(first.upsertedId));
});

test('finds with sort, skip, limit and projection', async () => {
  await People.insertMany([5, 3, 9, 1, 7].map((age) => ({ name: `p${age}`, age })));
  const page = await People.find({ age: { $gte: 2 } }, { name: 1 })
    .sort({ age: -1 })
    .skip(1)
    .limit(2)
    .lean();
  expect(page.map((p) => p.name)).toEqual(['p7', 'p5']);
  expect(page[0]).not.toHaveProperty('age');
  expect(page[0]).toHaveProperty('_id');
});

test('iterates beyond the first batch with getMore', async () => {
  await People.insertMany(Array.from({ length: 250 }, (_, i) => ({ name: `n${i}`, age: i })));
  const all = await People.find().sort({ age: 1 }).lean();
  expect(all).toHaveLength(250);
  expect(all.map((p) => p.age)).toEqual(Array.from({ length: 250 }, (_, i) => i));

  let seen = 0;
  for await (const person of People.find().batchSize(7).cursor()) {
    expect(person.name).toBe(`n${seen}`);
    seen += 1;
  }
  expect(seen).toBe(250);
});

test('counts documents exactly and by estimate', async () => {
  await People.insertMany([
    { name: 'a', age: 1 },
    { name: 'b', age: 2 },
    { name: 'c', age: 3 },
  ]);
  expect(await People.countDocuments({ age: { $gt: 1 } })).toBe(2);
  expect(await People.countDocuments()).toBe(3);
  expect(await People.estimatedDocumentCount()).toBe(3);
});

test('findOneAndUpdate returns the new document and upserts', async () => {
  await People.create({ name: 'Cy', visits: 1 });
  const updated = await People.findOneAndUpdate(
    { name: 'Cy' },
    { $inc: { visits: 1 } },
    { returnDocument: 'after' },
  ).lean();
  expect(updated!.visits).toBe(2);
  const before = await People.findOneAndUpdate({ name: 'Cy' }, { $inc: { visits: 1 } }).lean();
  expect(before!.visits).toBe(2);

  const missing = await People.findOneAndUpdate(
    { name: 'Di' },
    { $set: { age: 4 } },
    { returnDocument: 'after' },
  );
  expect(missing).toBeNull();
  const upserted = await People.findOneAndUpdate(
    { name: 'Di' },
    { $set: { age: 4 }, $setOnInsert: { visits: 0 } },
    { returnDocument: 'after', upsert: true, projection: { name: 1, visits: 1 } },
  ).lean();
  expect(upserted).toMatchObject({ name: 'Di', visits: 0 });
  expect(upserted).not.toHaveProperty('age');
  expect(await People.countDocuments({ name: 'Di', age: 4 })).toBe(1);

  const removed = await People.findOneAndDelete({ name: 'Cy' }).lean();
  expect(removed!.visits).toBe(3);
  expect(await People.countDocuments({ name: 'Cy' })).toBe(0);
});

test('findOneAndUpdate honours sort', async () => {
  await People.insertMany([
    { name: 'x', age: 1 },
    { name: 'x', age: 3 },
    { name: 'x', age: 2 },
  ]);
  const oldest = await People.findOneAndUpdate(
    { name: 'x' },
    { $set: { visits: 9 } },
    { sort: { age: -1 }, returnDocument: 'after' },
  );
  expect(oldest!.age).toBe(3);
});

test('deleteMany removes only the matching documents', async () => {
  await People.insertMany([
    { name: 'a', age: 1 },
    { name: 'b', age: 2 },
    { name: 'c', age: 3 },
  ]);
  const result = await People.deleteMany({ age: { $lt: 3 } });
  expect(result.deletedCount).toBe(2);
  expect((await People.find().lean()).map((p) => p.name)).toEqual(['c']);
});

test('distinct flattens arrays and skips missing fields', async () => {
  await People.insertMany([
    { name: 'a', tags: ['x', 'y'] },
    { name: 'b', tags: ['y', 'z'] },
    { name: 'c' },
  ]);
  expect((await People.distinct('tags')).sort()).toEqual(['x', 'y', 'z']);
  expect((await People.distinct('name', { tags: 'y' })).sort()).toEqual(['a', 'b']);
});

test('supports positional, arrayFilters, multi and pipeline updates', async () => {
  await People.create({
    name: 'e',
    scores: [
      { subject: 'math', value: 1 },
      { subject: 'art', value: 2 },
    ],
  });
  await People.updateOne({ name: 'e', 'scores.subject': 'art' }, { $set: { 'scores.$.value': 5 } });
  await People.updateOne(
    { name: 'e' },
    { $inc: { 'scores.$[s].value': 10 } },
    { arrayFilters: [{ 's.subject': 'math' }] },
  );
  const stored = await People.findOne({ name: 'e' }).lean();
  expect(stored!.scores).toEqual([
    { subject: 'math', value: 11 },
    { subject: 'art', value: 5 },
  ]);

  await People.insertMany([
    { name: 'f', age: 1 },
    { name: 'g', age: 2 },
  ]);
  const many = await People.updateMany({ age: { $exists: true } }, { $inc: { age: 1 } });
  expect(many.modifiedCount).toBe(2);
  await People.collection.updateOne({ name: 'g' }, [
    { $set: { visits: { $multiply: ['$age', 10] } } },
  ]);
  expect(await People.findOne({ name: 'g' }).lean()).toMatchObject({ age: 3, visits: 30 });
});

test('replaceOne keeps the _id and an ordered:false insertMany keeps the good documents', async () => {
  const created = await People.create({ name: 'h', age: 1 });
  await People.replaceOne({ _id: created._id }, { name: 'h2' });
  expect(await People.findById(created._id).lean()).toMatchObject({ name: 'h2' });
  expect(await People.findById(created._id).lean()).not.toHaveProperty('age');

  const duplicate = { _id: created._id, name: 'dup' };
  await expect(
    People.insertMany([{ name: 'i' }, duplicate, { name: 'j' }], { ordered: false }),
  ).rejects.toMatchObject({ code: 11000 });
  expect((await People.find().sort({ name: 1 }).lean()).map((p) => p.name)).toEqual([
    'h2',
    'i',
    'j',
  ]);
});
