/**
 * Runs an aggregation pipeline the way a database plans one: a leading
 * `$match` reads its candidates through the collection's indexes, and an
 * equality `$lookup` reads the foreign documents through the foreign
 * collection's index (see equality-lookup.ts), an uncorrelated `$lookup`
 * (a `pipeline`, no `let`, no `localField`) runs once, the same way, and
 * each document gets a copy of its answer, `$sort` orders as find
 * does (BSON order, where mingo's own sort differs on arrays and mixed
 * types), a plain `$unwind`, `$limit` and `$skip`, a `$project` of plain
 * inclusions (inclusion-projection.ts) and a `$match` past the first (by the
 * same query as find's, not mingo's stage) run here too. Every other stage runs in
 * mingo, as before. Stored documents are never mutated: when a stage might
 * write into its input documents, mingo gets copies.
 */
import type { Document } from 'bson';
import type { Catalog } from './catalog';
import { cloneValue, isPlainObject } from './document-values';
import { equalityLookupOf, joinByEquality } from './equality-lookup';
import { inclusionOf, projectInclusion } from './inclusion-projection';
import { runAggregator } from './mingo-options';
import { asDocument, mingoQuery } from './query';
import { sortDocuments } from './sort-order';

/** The pipeline's results over `collection` of `database` (an unknown collection reads as empty). */
export function runPipeline(
  catalog: Catalog,
  database: string,
  collectionName: string | undefined,
  pipeline: Document[],
): Document[] {
  const collection =
    collectionName === undefined ? undefined : catalog.get(database, collectionName);
  let documents = collection?.all() ?? [];
  let stages = pipeline;
  const first = pipeline[0];
  if (first && '$match' in first) {
    // Filter before anything else, so countDocuments does not copy the whole collection.
    const filter = asDocument(first.$match);
    const match = mingoQuery(filter);
    const candidates = collection?.lookup(filter, true);
    documents = (candidates?.documents ?? []).filter((document) => match.test(document));
    stages = pipeline.slice(1);
  }
  // Results may share stored documents (as find's do) unless a stage could write into its input.
  const copies = !stages.every(leavesInputsAlone);
  if (copies) documents = documents.map(cloneValue);
  const collectionResolver = (name: string) =>
    (catalog.get(database, name)?.all() ?? []).map(cloneValue);
  let pending: Document[] = [];
  const runPending = () => {
    if (pending.length > 0) {
      // On options built once: mingo's aggregate() merged its operator tables twice a call.
      documents = runAggregator(pending, documents, collectionResolver);
    }
    pending = [];
  };
  for (const stage of stages) {
    const lookup = equalityLookupOf(stage);
    const sort = sortSpecOf(stage);
    const unwound = plainUnwindField(stage);
    const join = uncorrelatedLookup(stage);
    const page = pageOf(stage);
    const inclusion = inclusionOf(stage);
    const filter = matchFilterOf(stage);
    if (!lookup && !sort && unwound === undefined && !join && !page && !inclusion && !filter) {
      pending.push(stage);
      continue;
    }
    runPending();
    if (join) {
      // The same answer for every document, read once through the foreign collection's indexes.
      const joined = runPipeline(catalog, database, join.from, join.pipeline);
      // Copies for each document when a later stage could write into them, as `copies` says.
      documents = documents.map((d) => ({
        ...d,
        [join.as]: copies ? joined.map(cloneValue) : joined,
      }));
    } else if (page) documents = documents.slice(page.skip, page.skip + page.limit);
    else if (inclusion) documents = documents.map((d) => projectInclusion(d, inclusion));
    else if (filter) {
      const match = mingoQuery(filter);
      documents = documents.filter((document) => match.test(document));
    } else if (sort) documents = sortDocuments(documents, sort);
    else if (unwound !== undefined) documents = unwind(documents, unwound);
    else {
      const foreign = catalog.get(database, lookup!.from);
      documents = joinByEquality(documents, lookup!, foreign, copies);
    }
  }
  runPending();
  return documents;
}

/**
 * A `$limit` of a positive integer or a `$skip` of a non-negative one, as a
 * slice (no Aggregator to build for it); other values go to mingo, which
 * answers them as before.
 */
function pageOf(stage: Document): { skip: number; limit: number } | undefined {
  if (Object.keys(stage).length !== 1) return undefined;
  const { $limit: limit, $skip: skip } = stage as { $limit?: unknown; $skip?: unknown };
  if (typeof limit === 'number' && Number.isSafeInteger(limit) && limit > 0)
    return { skip: 0, limit };
  if (typeof skip === 'number' && Number.isSafeInteger(skip) && skip >= 0)
    return { skip, limit: Infinity };
  return undefined;
}

/** The filter of a `$match` stage, or undefined for any other stage. */
function matchFilterOf(stage: Document): Document | undefined {
  const filter: unknown = stage.$match;
  return Object.keys(stage).length === 1 && isPlainObject(filter) ? filter : undefined;
}

/** The top-level field of a `$unwind` with no options (`'$field'` or `{path: '$field'}`). */
function plainUnwindField(stage: Document): string | undefined {
  const spec: unknown = stage.$unwind;
  if (Object.keys(stage).length !== 1 || spec === undefined) return undefined;
  const options = typeof spec === 'string' ? { path: spec } : asDocument(spec);
  const path = options.path;
  if (Object.keys(options).length !== 1 || typeof path !== 'string') return undefined;
  const field = path.slice(1);
  const plain =
    path.startsWith('$') && field !== '' && !field.includes('.') && !field.startsWith('$');
  return plain ? field : undefined;
}

/**
 * mongod's `$unwind` of a top-level field: one document per element of an
 * array; a missing or null field or an empty array gives none; any other
 * value counts as a one-element array (mingo drops an empty document there).
 */
function unwind(documents: Document[], field: string): Document[] {
  const unwound: Document[] = [];
  for (const document of documents) {
    const value: unknown = document[field];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) unwound.push(document);
    else for (const element of value) unwound.push({ ...document, [field]: element });
  }
  return unwound;
}

/** A `$sort` spec of plain directions, sorted as find sorts (BSON order, arrays by their min or max). */
function sortSpecOf(stage: Document): Document | undefined {
  const spec: unknown = stage.$sort;
  if (Object.keys(stage).length !== 1 || !isPlainObject(spec)) return undefined;
  const directions = Object.values(spec);
  const plain = directions.length > 0 && directions.every((d) => d === 1 || d === -1);
  return plain ? spec : undefined;
}

/**
 * True for a stage that only reads its input documents and builds new ones
 * (checked against mingo's stages: its `$unwind` writes into its input to
 * drop an empty array or to add the index; the plain `$unwind` and the
 * equality `$lookup` here build a new top level, so only a dotted `as`
 * would write into a shared subdocument; so does an inclusion `$project`).
 */
function leavesInputsAlone(stage: Document): boolean {
  const name = Object.keys(stage)[0];
  switch (name) {
    case '$match':
    case '$sort':
    case '$limit':
    case '$skip':
    case '$count':
      return true;
    case '$unwind':
      return plainUnwindField(stage) !== undefined;
    case '$project':
      return inclusionOf(stage) !== undefined;
    case '$lookup': {
      const lookup = equalityLookupOf(stage);
      return (
        (lookup !== undefined && !lookup.as.includes('.')) || uncorrelatedLookup(stage) !== null
      );
    }
    default:
      return false;
  }
}

/** The parts of an uncorrelated `$lookup` (a `pipeline`, no `let`, no `localField`, a plain `as`), or null. */
function uncorrelatedLookup(
  stage: Document,
): { from: string; pipeline: Document[]; as: string } | null {
  const lookup = stage.$lookup as Document | undefined;
  if (!isPlainObject(lookup) || Object.keys(stage).length !== 1) return null;
  const { from, pipeline, as } = lookup;
  const uncorrelated =
    typeof from === 'string' &&
    Array.isArray(pipeline) &&
    typeof as === 'string' &&
    as !== '' &&
    !as.includes('.') &&
    !as.startsWith('$') &&
    Object.keys(lookup).every((field) => ['from', 'pipeline', 'as'].includes(field));
  return uncorrelated ? { from, pipeline: pipeline as Document[], as } : null;
}
