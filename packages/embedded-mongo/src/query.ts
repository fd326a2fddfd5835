/**
 * Query semantics (filter, sort, skip, limit, projection) delegated to mingo,
 * over the candidate documents a collection offers for the filter.
 */
import type { Document } from 'bson';
import { Query } from 'mingo/query';
import type { Collection } from './collection';
import { isPlainObject } from './document-values';
import { sortDocuments } from './sort-order';
import { rewriteInQueries } from './in-query';
import { rewriteTypeQueries } from './type-query';
import { plainOptions, typedOptions } from './mingo-options';

export interface FindSpec {
  filter?: unknown;
  sort?: unknown;
  skip?: unknown;
  limit?: unknown;
  projection?: unknown;
}

/** The matching documents, sorted, paged and projected. */
export function findDocuments(collection: Collection | undefined, spec: FindSpec): Document[] {
  const filter = asDocument(spec.filter);
  const { documents, exact } = collection?.lookup(filter, true) ?? {
    documents: [],
    exact: true,
  };
  const projection = asDocument(spec.projection);
  const hasProjection = Object.keys(projection).length > 0;
  const skip = Number(spec.skip ?? 0);
  const limit = Math.abs(Number(spec.limit ?? 0));
  // A lookup by _id or a unique key (every save and findById) needs no query engine.
  if (exact && documents.length <= 1 && !hasProjection) return skip > 0 ? [] : documents;
  let matches = mingoQuery(filter).find(documents).all() as Document[];
  const sort = asDocument(spec.sort);
  if (Object.keys(sort).length > 0) matches = sortDocuments(matches, sort);
  if (skip > 0 || limit > 0) matches = matches.slice(skip, limit > 0 ? skip + limit : undefined);
  return hasProjection ? project(matches, projection) : matches;
}

/** Applies a projection to one document (findAndModify's `fields`). */
export function projectDocument(document: Document, projection: unknown): Document {
  const fields = asDocument(projection);
  if (Object.keys(fields).length === 0) return document;
  return project([document], fields)[0] as Document;
}

/** mingo's projection, with `_id` moved first where mongod returns it. */
function project(documents: Document[], projection: Document): Document[] {
  const projected = new Query({}, plainOptions).find(documents, projection).all() as Document[];
  return projected.map((document) => {
    if (!('_id' in document)) return document;
    const { _id, ...rest } = document;
    return { _id, ...rest };
  });
}

/**
 * A filter mingo can run, with its options: a filter using `$type` (or a
 * long `$in` of strings) is rewritten to the private operator and gets the
 * context that defines it. Both get options built once (mingo-options.ts):
 * building them for each query copied every operator table. Collations other
 * than `simple` never get here (see refusals.ts).
 */
export function mingoQuery(filter: Document): Query {
  const rewritten = rewriteInQueries(rewriteTypeQueries(filter) as Document);
  if (rewritten === filter) return new Query(filter, plainOptions);
  return new Query(rewritten, typedOptions);
}

/** The argument as a document, {} when absent. */
export function asDocument(value: unknown): Document {
  return isPlainObject(value) ? value : {};
}
