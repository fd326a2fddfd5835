import type { Feature } from '../feature';
import { registerManagerCommands } from './manager-commands';
import { monthlyJobs } from './monthly-jobs';

/** The month's cycle: open, remind, ask supervisors, close; the manager's commands and the schedule. */
export const cycleFeature: Feature = {
  name: 'cycle',
  register: (bot, { services }) =>
    registerManagerCommands(bot, services.cycle, services.corrections),
  jobs: ({ services, config }) => monthlyJobs(services.cycle, config),
};
