/**
 * `{$type: …}` with mongod's type names and numbers. mingo's own $type has
 * no `objectId` (nor binData, timestamp, minKey, maxKey), so such a filter
 * matched nothing. Filters are rewritten to a private operator that knows
 * BSON types; mingo lets a context add operators but not replace its own.
 */
import type { Document } from 'bson';
import { Context } from 'mingo';
import { bsonTypeOf } from './bson-types';
import { isPlainObject, valueAtPath, valuesAtPath } from './document-values';
import {
  IN_OBJECT_IDS_OPERATOR,
  IN_STRINGS_OPERATOR,
  inObjectIdsOperator,
  inStringsOperator,
} from './in-query';

const OPERATOR = '$embeddedBsonType';

const CODES: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  16: 'int',
  17: 'timestamp',
  18: 'long',
  19: 'decimal',
  [-1]: 'minKey',
  127: 'maxKey',
};
const NUMERIC = new Set(['double', 'int', 'long', 'decimal']);

/** The mingo context that adds the BSON-aware type operator (and the Set-backed $in, in-query.ts). */
export const typeQueryContext = Context.init({
  // mingo types its operator table as the intersection of all its own signatures.
  query: {
    [IN_STRINGS_OPERATOR]: inStringsOperator,
    [IN_OBJECT_IDS_OPERATOR]: inObjectIdsOperator,
    [OPERATOR]: (selector: string, value: unknown) => {
      const wanted = (Array.isArray(value) ? value : [value]).map(typeAlias);
      return (document: Document) => {
        const whole = valueAtPath(document, selector);
        const candidates = [...valuesAtPath(document, selector), whole];
        return candidates.some(
          (candidate) =>
            candidate !== undefined && wanted.some((alias) => matchesAlias(candidate, alias)),
        );
      };
    },
  } as unknown as NonNullable<Parameters<typeof Context.init>[0]>['query'],
});

/**
 * The filter with every `$type` turned into the BSON-aware operator; the
 * very same object when it has none, so callers can tell.
 */
export function rewriteTypeQueries(filter: unknown): unknown {
  if (Array.isArray(filter)) {
    const items = filter.map(rewriteTypeQueries);
    return items.every((item, i) => item === filter[i]) ? filter : items;
  }
  if (!isPlainObject(filter)) return filter;
  let changed = false;
  const rewritten: Document = {};
  for (const [key, value] of Object.entries(filter)) {
    const next = rewriteTypeQueries(value);
    changed ||= key === '$type' || next !== value;
    rewritten[key === '$type' ? OPERATOR : key] = next;
  }
  return changed ? rewritten : filter;
}

function typeAlias(value: unknown): string {
  return typeof value === 'number' ? (CODES[value] ?? String(value)) : String(value);
}

function matchesAlias(value: unknown, alias: string): boolean {
  const actual = bsonTypeOf(value);
  return alias === 'number' ? NUMERIC.has(actual) : actual === alias;
}
