import type { Feature } from '../feature';
import { registerHelp } from './help';

/** /help: what the person can do, for their roles. */
export const helpFeature: Feature = {
  name: 'help',
  register: (bot) => registerHelp(bot),
};
