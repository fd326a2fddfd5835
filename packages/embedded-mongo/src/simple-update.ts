/**
 * A fast path for the update mongoose sends on nearly every save:
 * `$set` / `$unset` / `$inc` on plain (possibly dotted) paths through
 * sub-documents. mingo's updater rebuilds its operator tables on every call
 * (about 0.2 ms), which made updates ten times slower than inserts. Anything
 * else (arrays on the path, positional operators, overlapping paths) returns
 * false and goes to mingo, which has the full semantics. Operands of $inc
 * were already checked to be numbers.
 */
import type { Document } from 'bson';
import { cloneValue, isPlainObject } from './document-values';

const SIMPLE_OPERATORS = new Set(['$set', '$unset', '$inc']);

/** Applies the modifier to `copy` in place and returns true, or returns false untouched. */
export function applySimpleUpdate(copy: Document, modifier: Document): boolean {
  const operations: [string, string, unknown][] = [];
  for (const [operator, fields] of Object.entries(modifier)) {
    if (!SIMPLE_OPERATORS.has(operator) || !isPlainObject(fields)) return false;
    for (const [path, operand] of Object.entries(fields))
      operations.push([operator, path, operand]);
  }
  const paths = operations.map(([, path]) => path);
  if (!paths.every((path) => isPlainPath(copy, path)) || overlap(paths)) return false;
  for (const [operator, path, operand] of operations) {
    const parts = path.split('.');
    const field = parts.pop() as string;
    const parent = operator === '$unset' ? existingParent(copy, parts) : createParent(copy, parts);
    if (!parent) continue;
    if (operator === '$set') parent[field] = cloneValue(operand);
    else if (operator === '$unset') delete parent[field];
    else parent[field] = ((parent[field] as number | undefined) ?? 0) + (operand as number);
  }
  return true;
}

/** No `$`, no empty segment, and only sub-documents (or nothing yet) along the way. */
function isPlainPath(document: Document, path: string): boolean {
  const parts = path.split('.');
  if (parts.some((part) => part === '' || part.startsWith('$'))) return false;
  let current: unknown = document;
  for (const part of parts.slice(0, -1)) {
    current = (current as Document)[part];
    if (current === undefined) return true;
    if (!isPlainObject(current)) return false;
  }
  return true;
}

/** mongod refuses `a` together with `a.b` (or the same path twice); leave that to mingo. */
function overlap(paths: string[]): boolean {
  const seen = new Set(paths);
  if (seen.size !== paths.length) return true;
  return paths.some((path) => {
    const parts = path.split('.');
    return parts.some((_, i) => i > 0 && seen.has(parts.slice(0, i).join('.')));
  });
}

function existingParent(document: Document, parts: string[]): Document | undefined {
  let current: Document | undefined = document;
  for (const part of parts) current = current?.[part] as Document | undefined;
  return current;
}

function createParent(document: Document, parts: string[]): Document {
  let current = document;
  for (const part of parts) {
    if (current[part] === undefined) current[part] = {};
    current = current[part] as Document;
  }
  return current;
}
