/**
 * Query semantics (filter, sort, skip, limit, projection) delegated to mingo,
 * over the candidate documents a collection offers for the filter.
 */
import type { Document } from 'bson';
import { Query } from 'mingo';
import type { Options } from 'mingo/types';
import type { Collection } from './collection';
import { isPlainObject } from './document-values';

export interface FindSpec {
  filter?: unknown;
  sort?: unknown;
  skip?: unknown;
  limit?: unknown;
  projection?: unknown;
  collation?: unknown;
}

/** The matching documents, sorted, paged and projected. */
export function findDocuments(collection: Collection | undefined, spec: FindSpec): Document[] {
  const filter = asDocument(spec.filter);
  const options = queryOptions(spec);
  const { documents, exact } = collection?.lookup(filter, !options.collation) ?? {
    documents: [],
    exact: true,
  };
  const projection = asDocument(spec.projection);
  const hasProjection = Object.keys(projection).length > 0;
  const skip = Number(spec.skip ?? 0);
  const limit = Math.abs(Number(spec.limit ?? 0));
  // A lookup by _id or a unique key (every save and findById) needs no query engine.
  if (exact && documents.length <= 1 && !hasProjection) return skip > 0 ? [] : documents;
  let cursor = new Query(filter, options).find(documents, hasProjection ? projection : undefined);
  const sort = asDocument(spec.sort);
  if (Object.keys(sort).length > 0) cursor = cursor.sort(sort as Record<string, 1 | -1>);
  if (skip > 0) cursor = cursor.skip(skip);
  if (limit > 0) cursor = cursor.limit(limit);
  return cursor.all() as Document[];
}

/** Applies a projection to one document (findAndModify's `fields`). */
export function projectDocument(document: Document, projection: unknown): Document {
  const fields = asDocument(projection);
  if (Object.keys(fields).length === 0) return document;
  return new Query({}).find([document], fields).all()[0] as Document;
}

/** mingo options for a command: its collation, when it names one. */
export function queryOptions(spec: { collation?: unknown }): Partial<Options> {
  const collation = spec.collation;
  if (!isPlainObject(collation) || typeof collation.locale !== 'string') return {};
  if (collation.locale === 'simple') return {};
  return { collation: collation as unknown as Options['collation'] };
}

/** The argument as a document, {} when absent. */
export function asDocument(value: unknown): Document {
  return isPlainObject(value) ? value : {};
}
