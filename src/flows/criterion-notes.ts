import type { CriterionNotes } from './form-flow';
import { scoresOf } from './form-messages';

/**
 * What a supervisor sees under a criterion besides its help: the employee's
 * own score, only when the month's policy shows self scores to supervisors.
 */
export const selfScoreNote: CriterionNotes = async (loaded, criterion) => {
  if (loaded.pos.role !== 'supervisor' || !loaded.form.policies.showSelfToSupervisor) return [];
  const self = loaded.doc.self;
  if (self.status !== 'submitted') return ['员工自评:尚未提交'];
  const score = scoresOf(self)[criterion.no];
  return [`员工自评:${score ?? '未评'} 分`];
};

/** Several note sources, in order. */
export function combineNotes(...sources: CriterionNotes[]): CriterionNotes {
  return async (loaded, criterion) =>
    (await Promise.all(sources.map((s) => s(loaded, criterion)))).flat();
}
