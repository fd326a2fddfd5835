/**
 * Helpers over stored BSON values: cloning, path lookup, canonical keys for
 * hashing, and mongod-style formatting for error messages.
 *
 * Stored documents are never mutated in place: every write builds a new
 * document from a clone and swaps it in, so cursors and snapshots may hold
 * references to stored documents safely.
 */
import { ObjectId, serialize, type Document } from 'bson';

/** True for a plain `{}` object (not an array, Date, ObjectId or other BSON class). */
export function isPlainObject(value: unknown): value is Document {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Deep copy of plain objects, arrays and Dates; other BSON values are immutable and shared. */
export function cloneValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneValue) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (isPlainObject(value)) {
    const copy: Document = {};
    for (const key of Object.keys(value)) copy[key] = cloneValue(value[key]);
    return copy as T;
  }
  return value;
}

/** Every value found at a dotted path, descending through arrays the way a multikey index does. */
export function valuesAtPath(document: unknown, path: string): unknown[] {
  const found: unknown[] = [];
  collect(document, path.split('.'), 0, found);
  return found.length === 0 ? [undefined] : found;
}

function collect(value: unknown, parts: string[], depth: number, found: unknown[]): void {
  if (depth === parts.length) {
    if (Array.isArray(value)) found.push(...(value.length === 0 ? [undefined] : value));
    else found.push(value);
    return;
  }
  const part = parts[depth] as string;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(part)) collect(value[Number(part)], parts, depth + 1, found);
    else for (const element of value) collect(element, parts, depth, found);
    return;
  }
  if (isPlainObject(value)) collect(value[part], parts, depth + 1, found);
  else found.push(undefined);
}

/** The value at a dotted path without array expansion (undefined when absent). */
export function valueAtPath(document: unknown, path: string): unknown {
  let current: unknown = document;
  for (const part of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(part)) current = current[Number(part)];
    else if (isPlainObject(current)) current = current[part];
    else return undefined;
  }
  return current;
}

/** Sets a dotted path, creating intermediate objects (used to build upserted documents). */
export function setPath(document: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let target = document;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(target[part])) target[part] = {};
    target = target[part] as Document;
  }
  target[parts[parts.length - 1] as string] = value;
}

/**
 * A string equal for values mongod's index considers equal: numbers of any
 * width compare by value, missing equals null, objects keep field order.
 */
export function keyString(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return `n${Object.is(value, -0) ? 0 : value}`;
    case 'bigint':
      return `n${value}`;
    case 'string':
      return `s${JSON.stringify(value)}`;
    case 'boolean':
      return value ? 'true' : 'false';
  }
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value instanceof RegExp) return `r${String(value)}`;
  if (value instanceof ObjectId) return `o${value.toHexString()}`;
  if (Array.isArray(value)) return `[${value.map(keyString).join(',')}]`;
  if (isPlainObject(value)) {
    const fields = Object.keys(value).map(
      (key) => `${JSON.stringify(key)}:${keyString(value[key])}`,
    );
    return `{${fields.join(',')}}`;
  }
  return bsonClassKey(value as object);
}

function bsonClassKey(value: object): string {
  const type = (value as { _bsontype?: string })._bsontype ?? 'object';
  // Long/Int32/Double left un-promoted still equal the plain number of the same value.
  if (type === 'Long' || type === 'Int32' || type === 'Double') return `n${String(value)}`;
  return `${type}:${Buffer.from(serialize({ v: value })).toString('base64')}`;
}

/** mongod's rendering of a value inside a `dup key: { … }` message. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (Array.isArray(value)) return `[ ${value.map(formatValue).join(', ')} ]`;
  if (isPlainObject(value)) return formatKeyValue(value);
  return String(value);
}

/** `{ a: 1, b: "x" }`, the way mongod prints a key in E11000 messages. */
export function formatKeyValue(keyValue: Document): string {
  const fields = Object.keys(keyValue).map((key) => `${key}: ${formatValue(keyValue[key])}`);
  return fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
}

/** Byte equality of two documents, so an update that changes nothing is not counted or stored. */
export function sameDocument(a: Document, b: Document): boolean {
  return Buffer.from(serialize(a)).equals(serialize(b));
}
