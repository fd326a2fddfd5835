import type { Feature } from '../feature';
import { registerRecords } from './record-commands';
import { recordJobs } from './record-jobs';
import { registerRecordWizard } from './record-wizard';

/** Line-12 records (其他奖惩分): /log, the guided card, voiding, and the daily digest. */
export const recordsFeature: Feature = {
  name: 'records',
  register(bot, { services, state }) {
    registerRecords(bot, services.records);
    registerRecordWizard(bot, services.records, state);
  },
  jobs: ({ services, config }) => recordJobs(services.records, config),
};
