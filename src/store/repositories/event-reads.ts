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
}

interface Row extends Person {
  openMonths: MonthDoc[];
  cards: CardDoc[];
}

/**
 * Reads what an event needs in one round trip: one aggregate on `people`
 * whose `$lookup`s bring the open months and the tapped card along. The
 * lookups are uncorrelated pipelines (no `let`): MongoDB runs them since 3.6,
 * and the embedded server answers them too. Results are plain objects, as
 * `.lean()` reads would give.
 */
export class EventReadRepository {
  constructor(private readonly models: Pick<Models, 'people'>) {}

  /**
   * The person with this identity (platform, userid), the open months and,
   * for a tap, the card `cardId`. A person missing from the roster reads as
   * null with nothing else: a stranger's event runs no flow.
   */
  async read(platform: Platform, userid: string, cardId?: string): Promise<EventReads> {
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
    const [row] = await this.models.people
      .aggregate<Row>([{ $match: { userid, platform } }, { $limit: 1 }, ...lookups] as never[])
      .exec();
    if (!row) return { person: null, openMonths: [], card: null };
    const { openMonths, cards, ...person } = row;
    return { person: person as Person, openMonths, card: cards?.[0] ?? null };
  }
}
