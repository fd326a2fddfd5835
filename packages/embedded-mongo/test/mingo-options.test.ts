/**
 * Queries share options built once (src/mingo-options.ts): the private
 * operator that took them must stay unknown to filters, and the rewritten
 * filters ($type, long $in) must still get their own operators.
 */
import { Schema, type Model } from 'mongoose';
import { startTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
interface Item {
  name: string;
  tags: string[];
  n: unknown;
}
let Items: Model<Item>;

beforeAll(async () => {
  db = await startTestDatabase();
  Items = db.connection.model<Item>(
    'Item',
    new Schema<Item>({ name: String, tags: [String], n: Schema.Types.Mixed }),
  );
  await Items.create([
    { name: 'a', tags: ['x'], n: 1 },
    { name: 'b', tags: ['y', 'x'], n: 'one' },
    { name: 'c', tags: [], n: null },
  ]);
});
afterAll(() => db.stop());

test('the operator that took the shared options answers as any unknown operator', async () => {
  for (const operator of ['$embeddedTakeOptions', '$noSuchOperator']) {
    const find = Items.collection.find({ name: { [operator]: 1 } }).toArray();
    await expect(find).rejects.toMatchObject({ code: 2, codeName: 'BadValue' });
  }
});

test('queries on the shared options match as before, one after another', async () => {
  const names = async (filter: Record<string, unknown>) =>
    (await Items.find(filter).sort({ name: 1 }).lean()).map((d) => d.name);
  expect(await names({ tags: 'x' })).toEqual(['a', 'b']);
  expect(await names({ n: { $type: 'string' } })).toEqual(['b']);
  expect(await names({ n: { $type: 'number' } })).toEqual(['a']);
  expect(await names({ n: null })).toEqual(['c']);
  const many = Array.from({ length: 20 }, (_, i) => `t${i}`);
  expect(await names({ tags: { $in: [...many, 'y'] } })).toEqual(['b']);
  expect(await names({ $expr: { $eq: ['$name', 'c'] } })).toEqual(['c']);
  expect(await names({ tags: 'x' })).toEqual(['a', 'b']);
});

test('an aggregation reads its own collections through $lookup, also inside another lookup', async () => {
  const other = db.connection.collection('others');
  await other.insertMany([
    { name: 'a', w: 1 },
    { name: 'b', w: 2 },
  ]);
  const rows = await Items.aggregate([
    { $match: { name: { $in: ['a', 'b'] } } },
    { $project: { _id: 0, name: 1 } },
    {
      $lookup: {
        from: 'items',
        pipeline: [
          { $match: { name: 'c' } },
          { $project: { _id: 0, name: 1 } },
          { $addFields: { k: 'a' } },
          // Correlated (let): mingo's own $lookup, reading through the collection resolver.
          {
            $lookup: {
              from: 'others',
              let: { k: '$k' },
              pipeline: [
                { $match: { $expr: { $eq: ['$name', '$$k'] } } },
                { $project: { _id: 0, w: 1 } },
              ],
              as: 'o',
            },
          },
        ],
        as: 'cs',
      },
    },
    {
      $lookup: {
        from: 'others',
        let: { n: '$name' },
        pipeline: [{ $match: { $expr: { $eq: ['$name', '$$n'] } } }],
        as: 'o',
      },
    },
    { $addFields: { w: { $first: '$o.w' } } },
    { $project: { o: 0 } },
    { $sort: { name: 1 } },
  ]);
  expect(rows).toEqual([
    { name: 'a', cs: [{ name: 'c', k: 'a', o: [{ w: 1 }] }], w: 1 },
    { name: 'b', cs: [{ name: 'c', k: 'a', o: [{ w: 1 }] }], w: 2 },
  ]);
});
