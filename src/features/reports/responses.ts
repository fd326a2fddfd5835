import type { MonthSummaryDoc } from '../../store/models/month-summary';
import type { MonthSummaryRepository } from '../../store/repositories/month-summaries';

/** How people answered a closed month's results (status names by userid) and the appeals still open, as lines. */
export interface Responses {
  status: Map<string, string>;
  open: string[];
}

/** How many people's answers come to each status name, and the appeals still open, as lines. */
export interface ResponseCounts {
  counts: Map<string, number>;
  open: string[];
  /** When these counts change with no one answering: the window's end, when silence confirms. */
  changesAt?: Date;
}

// Counted answers are kept at most this long, whatever happens (a count is 20 ms at 10,000).
const RESPONSES_MAX_AGE_MS = 10 * 60 * 1000;

/** The counts of `responses` by status name. */
export function countResponses(responses: Responses): ResponseCounts {
  const counts = new Map<string, number>();
  for (const name of responses.status.values()) counts.set(name, (counts.get(name) ?? 0) + 1);
  return { counts, open: responses.open };
}

/** The answers kept beside a closed month's summary, while nobody has answered since; else null. */
export function keptResponses(stored: MonthSummaryDoc, now: Date): ResponseCounts | null {
  const kept = stored.responses;
  if (!kept || kept.stamp !== stored.responsesStamp || now >= new Date(kept.validUntil))
    return null;
  return { counts: new Map(kept.counts), open: kept.open };
}

/** Keeps a closed month's counted answers beside its summary, for the reads until they change. */
export async function keepResponses(
  summaries: Pick<MonthSummaryRepository, 'keepResponses' | 'responsesChanged'>,
  stored: MonthSummaryDoc,
  responses: ResponseCounts,
  now: Date,
): Promise<void> {
  const { month, department, responsesStamp: stamp } = stored;
  // A summary stored before answers were kept has no stamp: it gets one, and the next read keeps them.
  if (!stamp) return summaries.responsesChanged(month);
  const oldest = now.getTime() + RESPONSES_MAX_AGE_MS;
  const until = Math.min(oldest, responses.changesAt?.getTime() ?? oldest);
  await summaries.keepResponses(month, department, {
    stamp,
    validUntil: new Date(until),
    counts: [...responses.counts],
    open: responses.open,
  });
}
