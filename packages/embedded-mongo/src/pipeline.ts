/**
 * Runs an aggregation pipeline over one collection with mingo, offering it
 * only the documents an index can narrow the first `$match` to. An
 * uncorrelated `$lookup` (a `pipeline`, no `let`, no `localField`) gives every
 * input document the same array, so it is run once, the same way, and its
 * answer joined as a literal: the foreign collection is narrowed by its own
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
  stages = stages.map((stage) => joinUncorrelated(catalog, database, stage));
  // An Aggregator, not mingo's aggregate(): that one merges its operator tables twice on every call.
  const aggregator = new Aggregator(stages, {
    collectionResolver: (foreign: string) =>
      (catalog.get(database, foreign)?.all() ?? []).map(cloneValue),
  });
  // mingo may change its input documents in place (e.g. $lookup), so it only ever sees copies.
  return aggregator.run(source.map(cloneValue)) as Document[];
}

/** An uncorrelated `$lookup` stage as `$addFields` of its one answer; any other stage as it is. */
function joinUncorrelated(catalog: Catalog, database: string, stage: Document): Document {
  const lookup = stage.$lookup as Document | undefined;
  if (!lookup || Object.keys(stage).length !== 1) return stage;
  const { from, pipeline, as } = lookup;
  const uncorrelated =
    typeof from === 'string' &&
    Array.isArray(pipeline) &&
    typeof as === 'string' &&
    as !== '' &&
    !as.includes('.') &&
    !as.startsWith('$') &&
    Object.keys(lookup).every((field) => ['from', 'pipeline', 'as'].includes(field));
  if (!uncorrelated) return stage;
  const joined = runPipeline(catalog, database, from, pipeline as Document[]);
  return { $addFields: { [as]: { $literal: joined } } };
}
