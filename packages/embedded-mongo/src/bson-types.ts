/** The BSON type names mongod uses in `$type` and in its error messages. */
import { isPlainObject } from './document-values';

const CLASS_TYPES: Record<string, string> = {
  ObjectId: 'objectId',
  Binary: 'binData',
  Int32: 'int',
  Double: 'double',
  Long: 'long',
  Decimal128: 'decimal',
  Timestamp: 'timestamp',
  BSONRegExp: 'regex',
  MinKey: 'minKey',
  MaxKey: 'maxKey',
  BSONSymbol: 'symbol',
  Code: 'javascript',
};

/** The BSON type a value is stored as (a whole JS number in int32 range is stored as int). */
export function bsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 'int' : 'double';
  }
  if (typeof value === 'bigint') return 'long';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if (Array.isArray(value)) return 'array';
  if (isPlainObject(value)) return 'object';
  return CLASS_TYPES[(value as { _bsontype?: string })._bsontype ?? ''] ?? 'object';
}
