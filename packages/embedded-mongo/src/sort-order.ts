/**
 * mongod's sort order. Values of different types compare by BSON type
 * order (MinKey, null, numbers, strings, objects, arrays, binary, ObjectId,
 * boolean, date, timestamp, regex, MaxKey); an array field sorts by its
 * smallest element ascending and its largest descending. mingo orders
 * ObjectIds after booleans and dates and ignores that array rule.
 */
import type { Document } from 'bson';
import { isPlainObject, valueAtPath, valuesAtPath } from './document-values';

/** An empty array field sorts before null and missing fields, as in mongod. */
const EMPTY_ARRAY = Symbol('empty array');

/** Sorts a copy of `documents` by a sort specification such as `{a: 1, b: -1}`. */
export function sortDocuments(documents: Document[], spec: Document): Document[] {
  const keys = Object.entries(spec).map(([path, direction]) => ({
    path,
    direction: Number(direction) < 0 ? -1 : 1,
  }));
  const decorated = documents.map((document) => ({
    document,
    values: keys.map(({ path, direction }) => sortValue(document, path, direction)),
  }));
  decorated.sort((a, b) => {
    for (const [i, { direction }] of keys.entries()) {
      const order = compareValues(a.values[i], b.values[i]);
      if (order !== 0) return order * direction;
    }
    return 0;
  });
  return decorated.map(({ document }) => document);
}

/** The value a document sorts by on one path: for arrays, the smallest or largest element. */
function sortValue(document: Document, path: string, direction: number): unknown {
  const whole = valueAtPath(document, path);
  if (Array.isArray(whole) && whole.length === 0) return EMPTY_ARRAY;
  return valuesAtPath(document, path).reduce((best, value) =>
    compareValues(value, best) * direction < 0 ? value : best,
  );
}

/** Compares two BSON values the way mongod orders them. */
export function compareValues(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA < rankB ? -1 : 1;
  return compareSameType(a, b, rankA);
}

function typeRank(value: unknown): number {
  if (value === EMPTY_ARRAY) return 1.5;
  if (value === undefined || value === null) return 2;
  if (typeof value === 'number' || typeof value === 'bigint') return 3;
  if (typeof value === 'string') return 4;
  if (typeof value === 'boolean') return 9;
  if (value instanceof Date) return 10;
  if (value instanceof RegExp) return 12;
  if (Array.isArray(value)) return 6;
  if (isPlainObject(value)) return 5;
  switch ((value as { _bsontype?: string })._bsontype) {
    case 'MinKey':
      return 1;
    case 'Int32':
    case 'Double':
    case 'Long':
    case 'Decimal128':
      return 3;
    case 'BSONSymbol':
      return 4;
    case 'Binary':
      return 7;
    case 'ObjectId':
      return 8;
    case 'Timestamp':
      return 11;
    case 'BSONRegExp':
      return 12;
    case 'MaxKey':
      return 13;
    default:
      return 5;
  }
}

function compareSameType(a: unknown, b: unknown, rank: number): number {
  switch (rank) {
    case 3:
      return compareScalars(Number(a), Number(b));
    case 4:
      return compareScalars(String(a), String(b));
    case 5:
      return compareDocuments(a as Document, b as Document);
    case 6:
      return compareArrays(a as unknown[], b as unknown[]);
    case 7:
      return Buffer.compare(binaryBytes(a), binaryBytes(b));
    case 8:
      return compareScalars(hex(a), hex(b));
    case 9:
      return compareScalars(Number(a), Number(b));
    case 10:
      return compareScalars((a as Date).getTime(), (b as Date).getTime());
    case 11:
      return compareScalars(BigInt(String(a)), BigInt(String(b)));
    case 12:
      return compareScalars(String(a), String(b));
    default:
      return 0;
  }
}

function compareScalars<T extends number | string | bigint>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Field by field, in stored order: the value's type, then the name, then the value. */
function compareDocuments(a: Document, b: Document): number {
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  for (let i = 0; i < Math.min(keysA.length, keysB.length); i += 1) {
    const valueA = a[keysA[i]!];
    const valueB = b[keysB[i]!];
    const order =
      compareScalars(typeRank(valueA), typeRank(valueB)) ||
      compareScalars(keysA[i]!, keysB[i]!) ||
      compareValues(valueA, valueB);
    if (order !== 0) return order;
  }
  return compareScalars(keysA.length, keysB.length);
}

function compareArrays(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const order = compareValues(a[i], b[i]);
    if (order !== 0) return order;
  }
  return compareScalars(a.length, b.length);
}

function binaryBytes(value: unknown): Buffer {
  const { buffer, sub_type: subType } = value as { buffer: Uint8Array; sub_type: number };
  // mongod orders binary data by length, then subtype, then bytes.
  const header = Buffer.alloc(5);
  header.writeUInt32BE(buffer.length, 0);
  header.writeUInt8(subType, 4);
  return Buffer.concat([header, Buffer.from(buffer)]);
}

function hex(value: unknown): string {
  return (value as { toHexString(): string }).toHexString();
}
