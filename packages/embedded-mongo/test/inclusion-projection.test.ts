/**
 * `$project` of plain inclusions, which the embedded server runs itself (not
 * through mingo): the answers mongod gives, and the stored documents left as
 * they were.
 */
import type { Collection, Document } from 'mongodb';
import { startTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let items: Collection<Document>;

beforeAll(async () => {
  db = await startTestDatabase();
  items = db.connection.db!.collection('items');
  await items.insertMany([
    { _id: 1 as never, b: 2, a: { y: 1, x: 2, z: 3 }, c: 'c' },
    { x: 0, _id: 2 as never, a: [1, { x: 5, y: 6 }, { y: 7 }, [{ x: 8 }, 9]], b: 3 },
    { _id: 3 as never, a: 'scalar' },
    { _id: 4 as never, b: null },
  ]);
});
afterAll(() => db.stop());

const projected = (spec: Document) =>
  items.aggregate([{ $sort: { _id: 1 } }, { $project: spec }]).toArray();

test('fields come in the document’s order with _id first; missing ones are left out', async () => {
  const found = await projected({ c: 1, b: true });
  expect(found).toEqual([
    { _id: 1, b: 2, c: 'c' },
    { _id: 2, b: 3 },
    { _id: 3 },
    { _id: 4, b: null },
  ]);
  expect(found.map((d) => Object.keys(d))).toEqual([
    ['_id', 'b', 'c'],
    ['_id', 'b'],
    ['_id'],
    ['_id', 'b'],
  ]);
  expect(await projected({ b: 1, _id: 0 })).toEqual([{ b: 2 }, { b: 3 }, {}, { b: null }]);
});

test('a dotted path picks inside documents and every document of an array', async () => {
  const found = await projected({ 'a.x': 1, 'a.z': 1, _id: 0 });
  expect(found).toEqual([
    // In the embedded document's own order.
    { a: { x: 2, z: 3 } },
    // Scalars of the array are left out, a document without the field stays as {}, nested arrays are entered.
    { a: [{ x: 5 }, {}, [{ x: 8 }]] },
    // Through a scalar or a missing field: nothing.
    {},
    {},
  ]);
  expect(Object.keys(found[0]!.a as Document)).toEqual(['x', 'z']);
});

test('later stages writing into projected documents leave the stored ones as they were', async () => {
  const changed = await items
    .aggregate([
      { $match: { _id: 1 } },
      { $project: { a: 1 } },
      { $set: { 'a.x': 'changed' } },
      { $unset: 'a.y' },
    ])
    .toArray();
  expect(changed).toEqual([{ _id: 1, a: { x: 'changed', z: 3 } }]);
  expect(await items.findOne({ _id: 1 as never })).toEqual({
    _id: 1,
    b: 2,
    a: { y: 1, x: 2, z: 3 },
    c: 'c',
  });
});

test('a projection after a $lookup and $unwind keeps only the joined fields named', async () => {
  const people = db.connection.db!.collection('people');
  await people.insertMany([
    { _id: 'p1' as never, userid: 'u1', name: '张伟', roles: ['staff'] },
    { _id: 'p2' as never, userid: 'u2', name: '李娜', roles: ['staff'] },
  ]);
  const forms = db.connection.db!.collection('forms');
  await forms.insertMany([
    { _id: 'f2' as never, userid: 'u2', self: { status: 'draft', scores: { 1: 3 } } },
    { _id: 'f1' as never, userid: 'u1', self: { status: 'submitted', scores: { 1: 5 } } },
  ]);
  const rows = await forms
    .aggregate([
      { $sort: { userid: 1 } },
      { $lookup: { from: 'people', localField: 'userid', foreignField: 'userid', as: 'person' } },
      { $unwind: '$person' },
      { $project: { _id: 0, userid: 1, 'self.status': 1, 'person.name': 1 } },
    ])
    .toArray();
  expect(rows).toEqual([
    { userid: 'u1', self: { status: 'submitted' }, person: { name: '张伟' } },
    { userid: 'u2', self: { status: 'draft' }, person: { name: '李娜' } },
  ]);
});

test('specs other than plain inclusions still answer as before', async () => {
  // An exclusion, an expression and a nested spec go through the general projection.
  expect(await projected({ a: 0, c: 0, x: 0 })).toEqual([
    { _id: 1, b: 2 },
    { _id: 2, b: 3 },
    { _id: 3 },
    { _id: 4, b: null },
  ]);
  expect(await projected({ _id: 0, twice: { $multiply: ['$b', 2] } })).toEqual([
    { twice: 4 },
    { twice: 6 },
    { twice: null },
    { twice: null },
  ]);
  expect((await projected({ _id: 0, a: { x: 1 } }))[0]).toEqual({ a: { x: 2 } });
});
