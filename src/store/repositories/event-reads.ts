import type { Platform } from '../../channels/types';
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

interface Row extends Person {
  openMonths: MonthDoc[];
  cards?: CardDoc[];
  earlier?: unknown[];
}

// The inbox statuses of an event not yet handled (waiting, or being handled).
const OPEN = ['pending', 'processing'];

/**
 * Reads what an event needs in one round trip: one aggregate on `people`
 * whose `$lookup`s bring the open months, the tapped card and, for an event
 * answered out of line (inside its callback), whether the person has earlier
 * events still in the inbox. The lookups are uncorrelated pipelines (no
 * `let`): MongoDB runs them since 3.6 (the inbox one from its
 * `{userid, status, order}` index), and the embedded server answers them
 * too. Results are plain objects, as `.lean()` reads would give.
 */
export class EventReadRepository {
  constructor(private readonly models: Pick<Models, 'people' | 'inbox'>) {}

  /**
   * The person with this identity (platform, userid), the open months and,
   * for a tap, the card `cardId`. A person missing from the roster reads as
   * null with nothing else: a stranger's event runs no flow. With `before`
   * (the event's own place in line), `earlierWaiting` says whether an event
   * of this userid placed before it is still pending or being handled.
   */
  async read(
    platform: Platform,
    userid: string,
    cardId?: string,
    before?: number,
  ): Promise<EventReads> {
    const lookups: Record<string, unknown>[] = [
      {
        $lookup: {
          from: 'months',
          pipeline: [{ $match: { status: 'open' } }, { $sort: { key: 1 } }],
          as: 'openMonths',
        },
      },
    ];
    if (cardId !== undefined)
      lookups.push({
        $lookup: { from: 'cards', pipeline: [{ $match: { cardId } }, { $limit: 1 }], as: 'cards' },
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
          as: 'earlier',
        },
      });
    // The native collection: a mongoose Aggregate adds its object and hooks (people has none)
    // to every event for nothing, since aggregation results are never cast or hydrated.
    const [row] = (await this.models.people.collection
      .aggregate([{ $match: { userid, platform } }, { $limit: 1 }, ...lookups])
      .toArray()) as Row[];
    if (!row) {
      // A stranger has no row to carry the inbox lookup: asked on its own (strangers are rare).
      const earlierWaiting =
        before !== undefined &&
        (await this.models.inbox.exists(earlierOpen(userid, before))) !== null;
      return { person: null, openMonths: [], card: null, earlierWaiting };
    }
    const { openMonths, cards, earlier, ...person } = row;
    return {
      person: person as Person,
      openMonths,
      card: cards?.[0] ?? null,
      earlierWaiting: (earlier?.length ?? 0) > 0,
    };
  }
}

function earlierOpen(userid: string, before: number): Record<string, unknown> {
  return { userid, status: { $in: OPEN }, order: { $lt: before } };
}
