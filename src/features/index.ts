import { appealsFeature } from './appeals';
import { cycleFeature } from './cycle';
import type { Feature } from './feature';
import { formsFeature } from './forms';
import { helpFeature } from './help';
import { recordsFeature } from './records';
import { reportsFeature } from './reports';

/**
 * Every feature, in the order the bot tries their free-text answers (a form
 * being filled comes before a record's reason). Adding a command means adding
 * it to its feature; adding a feature means one folder and one line here.
 */
export const FEATURES: Feature[] = [
  helpFeature,
  formsFeature,
  cycleFeature,
  recordsFeature,
  reportsFeature,
  appealsFeature,
];
