/**
 * `$lookup` on localField/foreignField equality, run the way mongod runs it:
 * each input document's local values (every element of an array; nothing at
 * all reads as null) become an equality match on the foreign field, answered
 * through the foreign collection's index on that field when there is one.
 * Only the documents joined are copied (and only when a later stage could
 * write into them), never the whole foreign collection.
 */
import type { Document } from 'bson';
import { isHashableScalar, type Collection } from './collection';
import { cloneValue, isPlainObject, keyString, setPath, valuesAtPath } from './document-values';
import { mingoQuery } from './query';

/** A `$lookup` stage's spec when it is plain equality (no `let`, no `pipeline`). */
export interface EqualityLookup {
  from: string;
  localField: string;
  foreignField: string;
  as: string;
}

const EQUALITY_FIELDS = ['as', 'foreignField', 'from', 'localField'];

/** The spec of a plain equality `$lookup`; undefined for any other stage (mingo runs those). */
export function equalityLookupOf(stage: Document): EqualityLookup | undefined {
  const spec: unknown = stage.$lookup;
  if (Object.keys(stage).length !== 1 || !isPlainObject(spec)) return undefined;
  if (Object.keys(spec).sort().join() !== EQUALITY_FIELDS.join()) return undefined;
  // Malformed names keep the answer they had (mingo's), rather than a second opinion here.
  const named = EQUALITY_FIELDS.every((field) => {
    const value: unknown = spec[field];
    return typeof value === 'string' && value !== '' && !value.startsWith('$');
  });
  return named ? (spec as EqualityLookup) : undefined;
}

/**
 * Each document with `as` set to the foreign documents it joins, in input
 * order; copies of them when `copy` (a later stage could write into them).
 */
export function joinByEquality(
  documents: Document[],
  spec: EqualityLookup,
  foreign: Collection | undefined,
  copy: boolean,
): Document[] {
  return equalityJoiner(spec, foreign, copy)(documents);
}

/**
 * The same join as a step a cursor runs on each batch it hands out: the
 * foreign collection is read as each batch is joined (its hash, when its
 * field has no index, is built at the first batch).
 */
export function equalityJoiner(
  spec: EqualityLookup,
  foreign: Collection | undefined,
  copy: boolean,
): (documents: Document[]) => Document[] {
  const matcher = new ForeignMatcher(foreign, spec.foreignField);
  const nested = spec.as.includes('.');
  return (documents) =>
    documents.map((document) => {
      const found = matcher.matching(localValues(document, spec.localField));
      const joined = { ...document };
      if (nested) setPath(joined, spec.as, found.map(cloneValue));
      else joined[spec.as] = copy ? found.map(cloneValue) : found;
      return joined;
    });
}

/** Every value at the local path; a missing field (or an empty array) joins as null, as in mongod. */
function localValues(document: Document, path: string): unknown[] {
  if (path.includes('.')) return valuesAtPath(document, path).map((value) => value ?? null);
  const value: unknown = document[path];
  if (!Array.isArray(value)) return [value ?? null];
  return value.length === 0 ? [null] : value.map((element: unknown) => element ?? null);
}

/** Answers "which foreign documents have foreignField equal to this value" for one aggregation. */
class ForeignMatcher {
  // Values no index can answer (null, documents, arrays, other BSON types): one scan each, remembered.
  private readonly scanned = new Map<string, Document[]>();
  // Plain values when the foreign field has no index: a hash built once, as mongod would build its own.
  private hash?: Map<string, Document[]>;

  constructor(
    private readonly foreign: Collection | undefined,
    private readonly field: string,
  ) {}

  /** Foreign documents equal on any of `values`, each once, in natural order. */
  matching(values: unknown[]): Document[] {
    if (!this.foreign) return [];
    if (values.length === 1) return this.equalTo(this.foreign, values[0]);
    const found = new Set(values.flatMap((value) => this.equalTo(this.foreign!, value)));
    return this.foreign.naturalOrder(found);
  }

  private equalTo(foreign: Collection, value: unknown): Document[] {
    if (isHashableScalar(value)) {
      return foreign.equalTo(this.field, value) ?? this.hashed(foreign).get(keyString(value)) ?? [];
    }
    const key = keyString(value);
    let found = this.scanned.get(key);
    if (!found) {
      const query = mingoQuery({ [this.field]: { $eq: value } });
      found = foreign.all().filter((document) => query.test(document));
      this.scanned.set(key, found);
    }
    return found;
  }

  private hashed(foreign: Collection): Map<string, Document[]> {
    if (this.hash) return this.hash;
    this.hash = new Map();
    for (const document of foreign.all()) {
      // Each element of an array field is a value it is equal on, once per document.
      const keys = new Set(valuesAtPath(document, this.field).map((value) => keyString(value)));
      for (const key of keys) {
        const holders = this.hash.get(key);
        if (holders) holders.push(document);
        else this.hash.set(key, [document]);
      }
    }
    return this.hash;
  }
}
