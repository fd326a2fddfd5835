/**
 * $push and $addToSet, where mingo differs from mongod: mingo silently
 * ignores a target that is not an array (mongod answers error 2), and its
 * $addToSet drops duplicates already stored and compares sub-documents
 * ignoring field order. $addToSet on plain paths is applied here; $push
 * stays with mingo once its target is known to be an array or missing.
 */
import type { Document } from 'bson';
import { bsonTypeOf } from './bson-types';
import { CommandError } from './command-error';
import { cloneValue, formatValue, isPlainObject, keyString, setPath } from './document-values';

const ARRAY_OPERATORS = ['$push', '$addToSet'];

/** Refuses $push/$addToSet onto an existing value that is not an array, as mongod does (code 2). */
export function checkArrayTargets(copy: Document, modifier: Document): void {
  for (const operator of ARRAY_OPERATORS) {
    const fields = modifier[operator];
    if (!isPlainObject(fields)) continue;
    for (const path of Object.keys(fields)) {
      const value = plainPathValue(copy, path);
      if (value === undefined || value.found === undefined || Array.isArray(value.found)) continue;
      throw new CommandError(
        'BadValue',
        `The field '${path}' must be an array but is of type ${bsonTypeOf(value.found)} ` +
          `in document {_id: ${formatValue(copy._id)}}`,
      );
    }
  }
}

/**
 * Applies $addToSet on plain paths to `copy` and returns the modifier left
 * for mingo. Values already in the array stay as they are (duplicates too);
 * each new value is added once; equality keeps sub-document field order.
 */
export function applyAddToSet(copy: Document, modifier: Document): Document {
  const fields = modifier.$addToSet;
  if (!isPlainObject(fields)) return modifier;
  const rest: Document = {};
  for (const [path, spec] of Object.entries(fields)) {
    const value = plainPathValue(copy, path);
    if (value === undefined) {
      rest[path] = spec;
      continue;
    }
    const additions: unknown[] =
      isPlainObject(spec) && Array.isArray(spec.$each) ? spec.$each : [spec];
    const target = (value.found as unknown[] | undefined) ?? [];
    const present = new Set(target.map(keyString));
    for (const addition of additions) {
      const key = keyString(addition);
      if (present.has(key)) continue;
      present.add(key);
      target.push(cloneValue(addition));
    }
    if (value.found === undefined) setPath(copy, path, target);
  }
  const others = { ...modifier };
  delete others.$addToSet;
  return Object.keys(rest).length > 0 ? { ...others, $addToSet: rest } : others;
}

/**
 * The value at a path through sub-documents only, or undefined when the path
 * is positional, numeric or crosses an array (those stay with mingo).
 */
function plainPathValue(document: Document, path: string): { found: unknown } | undefined {
  const parts = path.split('.');
  if (parts.some((part) => part === '' || part.includes('$') || /^\d+$/.test(part))) {
    return undefined;
  }
  let current: unknown = document;
  for (const part of parts) {
    if (current === undefined) return { found: undefined };
    if (!isPlainObject(current)) return undefined;
    current = current[part];
  }
  return { found: current };
}
