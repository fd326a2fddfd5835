import { ObjectId, serialize, type Document } from 'bson';
import { update as mingoUpdate } from 'mingo';
import { cloneValue } from '../src/document-values';
import { applyUpdate, buildUpsert } from '../src/update-document';

const stored: Document = {
  _id: new ObjectId(),
  n: 1,
  x: { y: 2, z: 3 },
  arr: [{ v: 1 }, { v: 2 }],
  s: 'text',
};

test.each<[string, Document]>([
  ['$set top level', { $set: { n: 5, added: true } }],
  ['$set dotted, existing and new', { $set: { 'x.y': 9, 'x.w': 1, 'p.q.r': 'deep' } }],
  ['$unset existing and missing', { $unset: { 'x.z': '', missing: '', 'nowhere.at.all': '' } }],
  ['$inc existing and missing', { $inc: { n: 2, 'x.y': -1, fresh: 3 } }],
  ['$set through an array index', { $set: { 'arr.1.v': 7 } }],
  ['mixed operators', { $set: { s: 'new' }, $inc: { n: 1 }, $unset: { x: '' } }],
  ['$push with modifiers', { $push: { arr: { $each: [{ v: 3 }], $slice: -2 } } }],
])('%s gives the same document as mingo', (_name, modifier) => {
  const ours = applyUpdate(stored, modifier, {});
  const reference = cloneValue(stored);
  mingoUpdate(reference, modifier as never);
  expect(Buffer.from(serialize(ours)).equals(serialize(reference))).toBe(true);
});

test('the stored document is never modified', () => {
  const before = Buffer.from(serialize(stored));
  applyUpdate(stored, { $set: { 'x.y': 100 }, $push: { arr: { v: 9 } } }, {});
  applyUpdate(stored, [{ $set: { n: { $add: ['$n', 1] } } }], {});
  expect(Buffer.from(serialize(stored)).equals(before)).toBe(true);
});

test('refuses to change _id or to $inc a string', () => {
  expect(() => applyUpdate(stored, { $set: { _id: 1 } }, {})).toThrow(
    expect.objectContaining({ code: 66 }),
  );
  expect(() => applyUpdate(stored, { _id: 2, n: 1 }, {})).toThrow(
    expect.objectContaining({ code: 66 }),
  );
  expect(() => applyUpdate(stored, { $inc: { s: 1 } }, {})).toThrow(
    expect.objectContaining({ code: 14 }),
  );
  expect(() => applyUpdate(stored, { $frobnicate: { s: 1 } }, {})).toThrow(
    expect.objectContaining({ code: 9 }),
  );
});

test('$push with $slice onto a missing array applies the slice', () => {
  const result = applyUpdate({ _id: 1 }, { $push: { list: { $each: [1, 2, 3], $slice: -2 } } }, {});
  expect(result.list).toEqual([2, 3]);
});

test('upserts take the filter equalities, $setOnInsert, and a fresh _id first', () => {
  const built = buildUpsert(
    { team: 't', 'meta.month': '2024-01', $and: [{ kind: { $eq: 'k' } }], score: { $gt: 1 } },
    { $set: { score: 5 }, $setOnInsert: { created: 'now' } },
    {},
  );
  expect(Object.keys(built)[0]).toBe('_id');
  expect(built._id).toBeInstanceOf(ObjectId);
  expect(built).toMatchObject({
    team: 't',
    meta: { month: '2024-01' },
    kind: 'k',
    score: 5,
    created: 'now',
  });

  const replacement = buildUpsert({ _id: 7 }, { name: 'r' }, {});
  expect(replacement).toEqual({ _id: 7, name: 'r' });
});
