/**
 * Runs an aggregation pipeline over one collection with mingo, offering it
 * only the documents an index can narrow the first `$match` to. An
 * uncorrelated `$lookup` (a `pipeline`, no `let`, no `localField`) gives every
 * input document the same array, so it is run once, the same way, and a copy
 * of its answer joined to each document: the foreign collection is narrowed by its own
 * index instead of being copied whole for mingo (the bot's one read of an
 * event looks up the open months and its own inbox line like this).
 */
import type { Document } from 'bson';
import { Aggregator } from 'mingo';
import type { Catalog } from './catalog';
import { cloneValue } from './document-values';
import { asDocument, mingoQuery } from './query';

/** The pipeline's results over `name` in `database` (an absent collection is empty). */
export function runPipeline(
  catalog: Catalog,
  database: string,
  name: string | undefined,
  pipeline: Document[],
): Document[] {
  const collection = name === undefined ? undefined : catalog.get(database, name);
  let source = collection?.all() ?? [];
  let stages = pipeline;
  const first = pipeline[0];
  if (first && '$match' in first) {
    // Filter before copying, so countDocuments does not clone the whole collection.
    const match = mingoQuery(asDocument(first.$match));
    const candidates = collection?.lookup(asDocument(first.$match), true);
    source = (candidates?.documents ?? []).filter((document) => match.test(document));
    stages = pipeline.slice(1);
  }
  // mingo may change its input documents in place (e.g. $lookup), so it only ever sees copies.
  let documents = source.map(cloneValue);
  let segment: Document[] = [];
  for (const stage of stages) {
    const join = uncorrelatedLookup(stage);
    if (!join) {
      segment.push(stage);
      continue;
    }
    documents = runStages(catalog, database, documents, segment);
    segment = [];
    const joined = runPipeline(catalog, database, join.from, join.pipeline);
    // Each document gets its own copy, as a per-document $lookup would give it.
    for (const document of documents) document[join.as] = joined.map(cloneValue);
  }
  return runStages(catalog, database, documents, segment);
}

function runStages(
  catalog: Catalog,
  database: string,
  documents: Document[],
  stages: Document[],
): Document[] {
  if (stages.length === 0) return documents;
  // An Aggregator, not mingo's aggregate(): that one merges its operator tables twice on every call.
  const aggregator = new Aggregator(stages, {
    collectionResolver: (foreign: string) =>
      (catalog.get(database, foreign)?.all() ?? []).map(cloneValue),
  });
  return aggregator.run(documents) as Document[];
}

/** The parts of an uncorrelated `$lookup` stage (a `pipeline`, no `let`, no `localField`), or null. */
function uncorrelatedLookup(
  stage: Document,
): { from: string; pipeline: Document[]; as: string } | null {
  const lookup = stage.$lookup as Document | undefined;
  if (!lookup || Object.keys(stage).length !== 1) return null;
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
