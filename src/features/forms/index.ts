import type { Feature } from '../feature';
import { combineNotes, evidenceNote, lineTwelveNote, selfScoreNote } from './criterion-notes';
import { registerFormCommands } from './form-commands';
import { FormFlow } from './form-flow';
import { registerSelfAssessment } from './self-assessment';
import { registerStatus } from './status';
import { registerSupervisorReview } from './supervisor-review';

/** Filling the forms: the self-assessment, the supervisor's review, /status and the form commands. */
export const formsFeature: Feature = {
  name: 'forms',
  register(bot, { services, conversations }) {
    const { assessment, records } = services;
    const flow = new FormFlow(
      assessment,
      conversations,
      combineNotes(selfScoreNote, evidenceNote(records)),
      lineTwelveNote(records),
    );
    registerSelfAssessment(bot, flow, assessment);
    registerSupervisorReview(bot, flow, assessment);
    registerStatus(bot, assessment);
    registerFormCommands(bot, flow, conversations, assessment);
  },
};
