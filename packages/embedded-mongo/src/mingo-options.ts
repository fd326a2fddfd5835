/**
 * mingo options built once. A mingo Query (and Aggregator) copies every
 * operator table, hundreds of entries, each time one is built, unless it is
 * handed a `ComputeOptions` instance, which it clones shallowly; that copy was
 * the largest part of the database's time on the bot's hot path (several
 * queries an aggregation). mingo does not export the class, so the instance
 * is taken from a query built once with the same options: a private operator
 * sees the options of the query that uses it. After that one use the operator
 * answers as an unknown operator does, so no filter can tell it is there.
 */
import type { Document } from 'bson';
import { Context, Query } from 'mingo';
import { Aggregator } from 'mingo/aggregator';
import type { Options } from 'mingo/types';
import { MingoError } from 'mingo/util';
import { typeQueryContext } from './type-query';

const TAKE = '$embeddedTakeOptions';

/** The options of a query built once with `context` added to mingo's own operators. */
function sharedOptions(context?: Context, more: Partial<Options> = {}): Options {
  let taken: Options | undefined;
  const take = (_selector: string, _value: unknown, options: Options) => {
    if (taken) throw new MingoError(`unknown query operator ${TAKE}`);
    taken = options;
    return () => true;
  };
  const ops = Context.init({ query: { [TAKE]: take } as never });
  new Query({ _: { [TAKE]: 1 } }, {
    ...more,
    context: context ? Context.from(context, ops) : ops,
  } as Partial<Options>);
  return taken!;
}

/** mingo's own operators. */
export const plainOptions = sharedOptions();
/** mingo's operators and the private ones rewritten filters use (type-query.ts, in-query.ts). */
export const typedOptions = sharedOptions(typeQueryContext);

// The collections a running aggregation's `$lookup` reads (runs are synchronous; see runAggregator).
let resolveCollection: (name: string) => Document[] = () => [];
const aggregatorOptions = sharedOptions(undefined, {
  collectionResolver: (name: string) => resolveCollection(name),
});

/**
 * mingo's Aggregator on options built once. Its `$lookup` reads other
 * collections through `collectionResolver`, which the shared options cannot
 * hold per call, so it answers for this run alone: `run` is synchronous and
 * the previous resolver comes back after it, nested runs included.
 */
export function runAggregator(
  pipeline: Document[],
  documents: Document[],
  collectionResolver: (name: string) => Document[],
): Document[] {
  const previous = resolveCollection;
  resolveCollection = collectionResolver;
  try {
    return new Aggregator(pipeline, aggregatorOptions).run(documents) as Document[];
  } finally {
    resolveCollection = previous;
  }
}
