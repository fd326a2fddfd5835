import type { AppConfig } from '../../config';
import type { Bot } from '../bot/bot';
import type { ConversationStore } from '../bot/conversation';
import type { Job } from '../jobs/job';
import type { StateStore } from '../state/state-store';
import type { Services } from './services';

/** What a feature is registered with: the services every feature shares, and the state. */
export interface FeatureDeps {
  config: Pick<AppConfig, 'timeZone' | 'assessment' | 'departments'>;
  services: Services;
  state: StateStore;
  conversations: ConversationStore;
}

/**
 * One thing the bot does (forms, the cycle, records, reports, appeals): its
 * commands and card taps, registered on the bot, and its scheduled jobs. The
 * composition root loops over the list of features (features/index.ts).
 */
export interface Feature {
  readonly name: string;
  /** Registers its commands, card actions and free-text answers. */
  register(bot: Bot, deps: FeatureDeps): void;
  /** Its scheduled jobs, which call the same services its commands call. */
  jobs?(deps: FeatureDeps): Job[];
}
