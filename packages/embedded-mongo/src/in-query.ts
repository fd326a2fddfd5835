/**
 * `{field: {$in: [many strings]}}` answered from a Set built once per query.
 * mingo's own $in hashes its whole list again for every document it tests,
 * so a filter on 1,000 userids over 1,000 documents cost a million hash
 * operations (most of the database's time in a fan-out's claims and rate
 * counts). Only lists of plain strings, or of ObjectIds (an outbox claim's
 * `_id`s), are rewritten: for them, matching is equality with the value or an
 * element of an array value (an ObjectId equals an ObjectId of the same 12
 * bytes only), and no other BSON type comparison is involved. Other lists
 * keep mingo's operator.
 */
import { ObjectId, type Document } from 'bson';
import { isPlainObject, valuesAtPath } from './document-values';

export const IN_STRINGS_OPERATOR = '$embeddedInStrings';
export const IN_OBJECT_IDS_OPERATOR = '$embeddedInObjectIds';

// Below this a list is cheap to hash and the rewrite buys nothing.
const MIN_LENGTH = 16;

/** The private operator's definition, for the query context. */
export function inStringsOperator(selector: string, value: unknown) {
  const wanted = new Set(value as string[]);
  return (document: Document) =>
    valuesAtPath(document, selector).some((v) => typeof v === 'string' && wanted.has(v));
}

/** The private ObjectId operator's definition: the listed ids by their hex, once a query. */
export function inObjectIdsOperator(selector: string, value: unknown) {
  const wanted = new Set((value as ObjectId[]).map((id) => id.toHexString()));
  return (document: Document) =>
    valuesAtPath(document, selector).some(
      (v) => v instanceof ObjectId && wanted.has(v.toHexString()),
    );
}

/**
 * The filter with each long `$in` of strings or of ObjectIds on a field (at
 * the top level, or in `$and`/`$or`/`$nor`) turned into its private operator; the very same
 * object when there is none, so callers can tell.
 */
export function rewriteInQueries(filter: Document): Document {
  let changed = false;
  const rewritten: Document = {};
  for (const [key, value] of Object.entries(filter)) {
    let next = value;
    if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) {
      const items = value.map((item) => (isPlainObject(item) ? rewriteInQueries(item) : item));
      if (items.some((item, i) => item !== value[i])) next = items;
    } else if (!key.startsWith('$') && isPlainObject(value)) {
      const operator = isLongList(value.$in, isString)
        ? IN_STRINGS_OPERATOR
        : isLongList(value.$in, isObjectId)
          ? IN_OBJECT_IDS_OPERATOR
          : null;
      if (operator) {
        const { $in, ...rest } = value;
        next = { ...rest, [operator]: $in };
      }
    }
    changed ||= next !== value;
    rewritten[key] = next;
  }
  return changed ? rewritten : filter;
}

function isLongList(list: unknown, isItem: (value: unknown) => boolean): list is unknown[] {
  return Array.isArray(list) && list.length >= MIN_LENGTH && list.every(isItem);
}

const isString = (value: unknown) => typeof value === 'string';
const isObjectId = (value: unknown) => value instanceof ObjectId;
