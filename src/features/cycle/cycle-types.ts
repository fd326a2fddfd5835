/** The shapes the month's cycle works with: the cards it sends, when, and what a run did. */
import type { ButtonCard, ChoiceCard } from '../../channels/types';

/** A card to send with the flow that handles its taps and that flow's data. */
export interface OpeningCard {
  card: Omit<ChoiceCard, 'type' | 'cardId'>;
  flow: string;
  data: Record<string, unknown>;
}

/** The 确认 / 申诉 card that follows a result notice, with the flow that takes its taps. */
export type ResultCard = Omit<OpeningCard, 'card'> & { card: Omit<ButtonCard, 'type' | 'cardId'> };

/** When messages of a run may go out: now (a manager's command) or at the next working hour (the schedule). */
export type Timing = (now: Date) => Date;
export const immediately: Timing = (now) => now;

/** What a run did, for the manager's reply and the logs. */
export interface RunReport {
  month: string;
  notified: number;
  staff?: number;
  supervisors?: number;
  created?: boolean;
}
