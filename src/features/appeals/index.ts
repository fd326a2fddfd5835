/**
 * Results people can read, confirm and appeal (结果确认与申诉): one feature
 * module. The composition root builds it before the cycle (the cycle's close
 * sends its card), registers its flow on the bot, and runs its jobs.
 */
import type { Bot } from '../../bot/bot';
import type { Feature } from '../feature';
import type { StateStore } from '../../state/state-store';
import { appealJobs, type AppealJobSettings } from './appeal-jobs';
import { AppealQueue } from './appeal-queue';
import { AppealService } from './appeal-service';
import type { AppealDeps } from './deps';
import { registerAppealFlow } from './appeal-flow';
import { resultCard, ResultsView } from './results-view';

export type { AppealDeps } from './deps';

/** The appeals feature: its service, the /result view, the card for the close, its jobs and its registration. */
export function createAppeals(deps: AppealDeps, settings: AppealJobSettings) {
  const service = new AppealService(deps);
  const view = new ResultsView(deps);
  return {
    service,
    view,
    resultCard: resultCard(deps.timeZone),
    jobs: appealJobs(deps, settings),
    /** Registers the commands, the card's taps and the reason after a tapped 申诉. */
    register(bot: Bot, state: StateStore): void {
      registerAppealFlow(bot, new AppealQueue(deps), service, view, state);
    },
  };
}

export type Appeals = ReturnType<typeof createAppeals>;

/** Results people can read, confirm and appeal; its service is built with the others (features/services.ts). */
export const appealsFeature: Feature = {
  name: 'appeals',
  register: (bot, { services, state }) => services.appeals.register(bot, state),
  jobs: ({ services }) => services.appeals.jobs,
};
