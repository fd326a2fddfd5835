import type { Platform } from '../../channels/types';
import { GroupCommit } from '../group-commit';
import type { Models } from '../models';
import type { CardDoc } from '../models/card';
import type { MonthDoc } from '../models/month';
import type { Person } from '../models/person';

/** What handling one event reads before any flow runs: who sent it, the open months, the tapped card. */
export interface EventReads {
  person: Person | null;
  /** The open months, oldest first, each with its form. */
  openMonths: MonthDoc[];
  /** The card a tap came from, or null (not a tap, or an unknown card). */
  card: CardDoc | null;
  /** Asked with a place in line: whether an earlier event of the person still waits in the inbox. */
  earlierWaiting: boolean;
}

/** One event's question: who (platform, userid), the tapped card, its place in line. */
interface ReadRequest {
  platform: Platform;
  userid: string;
  cardId?: string;
  before?: number;
}

/** The one row of a batch's aggregate: the people found, the open months, each request's card and earlier events. */
interface Row {
  people: Person[];
  openMonths: MonthDoc[];
  [answer: `card${number}` | `earlier${number}`]: unknown[] | undefined;
}

// The inbox statuses of an event not yet handled (waiting, or being handled).
const OPEN = ['pending', 'processing'];

/**
 * Reads what an event needs in one round trip: one aggregate on `people`
 * whose `$lookup`s bring the open months, the tapped card and, for an event
 * answered out of line (inside its callback), whether the person has earlier
 * events still in the inbox. Events read while an earlier read is on its
 * way share the next aggregate (see GroupCommit): their people are gathered
 * in one row (`$group`), and each event gets a card and an inbox lookup of its
 * own, so every answer is exactly what a read of its own would have given.
 * The lookups are uncorrelated pipelines (no `let`): MongoDB runs them since
 * 3.6 (the inbox one from its `{userid, status, order}` index), and the
 * embedded server answers them too. Results are plain objects, as `.lean()`
 * reads would give.
 */
export class EventReadRepository {
  // At most 100 events a read: two lookups each stays far below MongoDB's 1,000 stages a pipeline.
  private readonly reads = new GroupCommit<ReadRequest, EventReads>(
    (requests) => this.readAll(requests),
    100,
  );

  constructor(private readonly models: Pick<Models, 'people' | 'inbox'>) {}

  /**
   * The person with this identity (platform, userid), the open months and,
   * for a tap, the card `cardId`. A person missing from the roster reads as
   * null with nothing else: a stranger's event runs no flow. With `before`
   * (the event's own place in line), `earlierWaiting` says whether an event
   * of this userid placed before it is still pending or being handled.
   */
  read(platform: Platform, userid: string, cardId?: string, before?: number): Promise<EventReads> {
    return this.reads.add({ platform, userid, cardId, before });
  }

  private async readAll(requests: ReadRequest[]): Promise<EventReads[]> {
    const lookups: Record<string, unknown>[] = [
      {
        $lookup: {
          from: 'months',
          pipeline: [{ $match: { status: 'open' } }, { $sort: { key: 1 } }],
          as: 'openMonths',
        },
      },
    ];
    requests.forEach(({ userid, cardId, before }, i) => {
      if (cardId !== undefined)
        lookups.push({
          $lookup: {
            from: 'cards',
            pipeline: [{ $match: { cardId } }, { $limit: 1 }],
            as: `card${i}`,
          },
        });
      if (before !== undefined)
        lookups.push({
          $lookup: {
            from: this.models.inbox.collection.collectionName,
            pipeline: [
              { $match: earlierOpen(userid, before) },
              { $limit: 1 },
              { $project: { _id: 1 } },
            ],
            as: `earlier${i}`,
          },
        });
    });
    const distinct = (values: string[]) => [...new Set(values)];
    const match = {
      userid: { $in: distinct(requests.map((r) => r.userid)) },
      platform: { $in: distinct(requests.map((r) => r.platform)) },
    };
    // The native collection: a mongoose Aggregate adds its object and hooks (people has none)
    // to every read for nothing, since aggregation results are never cast or hydrated.
    const [row] = (await this.models.people.collection
      .aggregate([
        { $match: match },
        { $group: { _id: null, people: { $push: '$$ROOT' } } },
        ...lookups,
      ])
      .toArray()) as Row[];
    // Nobody on the roster: no row carries the inbox lookups, asked on their own (strangers are rare).
    if (!row) return Promise.all(requests.map((r) => this.strangerReads(r)));
    return requests.map((request, i) => {
      const person =
        row.people.find((p) => p.userid === request.userid && p.platform === request.platform) ??
        null;
      const earlierWaiting = (row[`earlier${i}`]?.length ?? 0) > 0;
      if (!person) return { person: null, openMonths: [], card: null, earlierWaiting };
      const card = (row[`card${i}`]?.[0] as CardDoc | undefined) ?? null;
      return { person, openMonths: row.openMonths, card, earlierWaiting };
    });
  }

  private async strangerReads({ userid, before }: ReadRequest): Promise<EventReads> {
    const earlierWaiting =
      before !== undefined &&
      (await this.models.inbox.exists(earlierOpen(userid, before))) !== null;
    return { person: null, openMonths: [], card: null, earlierWaiting };
  }
}

function earlierOpen(userid: string, before: number): Record<string, unknown> {
  return { userid, status: { $in: OPEN }, order: { $lt: before } };
}
