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
import { equalityJoiner, equalityLookupOf } from './equality-lookup';
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
  const { documents, tail } = openPipeline(catalog, database, collectionName, pipeline);
  return tail ? tail(documents) : documents;
}

/** A pipeline run up to its trailing per-document stages, which `tail` runs on a batch at a time. */
export interface OpenedPipeline {
  documents: Document[];
  tail: Step | null;
}

/** A stage that takes each document on its own: it can run on any slice of its input. */
type Step = (documents: Document[]) => Document[];

/**
 * Runs the pipeline but for its trailing stages that take a document at a
 * time (an equality `$lookup`, a plain `$unwind`, a `$match` past the first,
 * a `$project` of inclusions), which the cursor runs on each batch as it hands
 * it out, as mongod's cursors do: the first batch of a month's joined rows
 * comes once its own rows are joined, not all of them. Those stages are
 * compiled here, so a bad one is refused by the aggregate command itself.
 */
export function openPipeline(
  catalog: Catalog,
  database: string,
  collectionName: string | undefined,
  pipeline: Document[],
): OpenedPipeline {
  const collection =
    collectionName === undefined ? undefined : catalog.get(database, collectionName);
  let documents: Document[];
  let stages = pipeline;
  const first = pipeline[0];
  if (first && '$match' in first) {
    // Filter before anything else, through the indexes: neither countDocuments nor a
    // `$lookup`'s pipeline (run once a joined document) reads the whole collection.
    const filter = asDocument(first.$match);
    const match = mingoQuery(filter);
    const candidates = collection?.lookup(filter, true);
    documents = (candidates?.documents ?? []).filter((document) => match.test(document));
    stages = pipeline.slice(1);
  } else documents = collection?.all() ?? [];
  // Results may share stored documents (as find's do) unless a stage could write into its input.
  const copies = !stages.every(leavesInputsAlone);
  if (copies) documents = documents.map(cloneValue);
  const tail: Step[] = [];
  let split = stages.length;
  for (let step; split > 0; split -= 1) {
    step = stepOf(stages[split - 1]!, catalog, database, copies);
    if (!step) break;
    tail.unshift(step);
  }
  documents = runStages(catalog, database, stages.slice(0, split), documents, copies);
  return {
    documents,
    tail: tail.length === 0 ? null : (batch) => tail.reduce((docs, step) => step(docs), batch),
  };
}

function runStages(
  catalog: Catalog,
  database: string,
  stages: Document[],
  input: Document[],
  copies: boolean,
): Document[] {
  let documents = input;
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
    const step = stepOf(stage, catalog, database, copies);
    const sort = sortSpecOf(stage);
    const join = uncorrelatedLookup(stage);
    const page = pageOf(stage);
    if (!step && !sort && !join && !page) {
      pending.push(stage);
      continue;
    }
    runPending();
    if (step) documents = step(documents);
    else if (join) {
      // The same answer for every document, read once through the foreign collection's indexes.
      const joined = runPipeline(catalog, database, join.from, join.pipeline);
      // Copies for each document when a later stage could write into them, as `copies` says.
      documents = documents.map((d) => ({
        ...d,
        [join.as]: copies ? joined.map(cloneValue) : joined,
      }));
    } else if (page) documents = documents.slice(page.skip, page.skip + page.limit);
    else documents = sortDocuments(documents, sort!);
  }
  runPending();
  return documents;
}

/** The stages run here that take each document on its own, compiled; undefined for any other. */
function stepOf(
  stage: Document,
  catalog: Catalog,
  database: string,
  copies: boolean,
): Step | undefined {
  const lookup = equalityLookupOf(stage);
  if (lookup) return equalityJoiner(lookup, catalog.get(database, lookup.from), copies);
  const unwound = plainUnwindField(stage);
  if (unwound !== undefined) return (documents) => unwind(documents, unwound);
  const inclusion = inclusionOf(stage);
  if (inclusion) return (documents) => documents.map((d) => projectInclusion(d, inclusion));
  const filter = matchFilterOf(stage);
  if (filter) {
    const match = mingoQuery(filter);
    return (documents) => documents.filter((document) => match.test(document));
  }
  return undefined;
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
    case '$group':
      return isCountingGroup(stage.$group);
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

/**
 * A `$group` that only counts: a constant `_id` and `{$sum: <number>}`
 * accumulators, the shape countDocuments sends. It reads nothing of its
 * input documents, so they need no copies (10,000 of them, for one count).
 */
function isCountingGroup(group: unknown): boolean {
  if (!isPlainObject(group)) return false;
  const { _id: id, ...accumulators } = group as Document;
  const constant =
    id === null || typeof id === 'number' || (typeof id === 'string' && !id.startsWith('$'));
  return (
    constant &&
    Object.values(accumulators).every((a) => {
      if (!isPlainObject(a)) return false;
      const keys = Object.keys(a);
      return keys.length === 1 && keys[0] === '$sum' && typeof a.$sum === 'number';
    })
  );
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
