import { adjustmentTotal } from '../../assessment/final-score';
import { signed } from '../../lib/signed';
import type { RecordService } from '../records/record-service';
import type { CriterionNotes, SummaryNotes } from './form-flow';
import { scoresOf } from './texts';

/**
 * What a supervisor sees under a criterion besides its help: the employee's
 * own score, only when the month's policy shows self scores to supervisors.
 */
export const selfScoreNote: CriterionNotes = async (loaded, criterion) => {
  if (loaded.pos.role !== 'supervisor' || !loaded.form.policies.showSelfToSupervisor) return [];
  const self = loaded.doc.self;
  if (self.status !== 'submitted') return ['员工自评：尚未提交'];
  const score = scoresOf(self)[criterion.no];
  return [`员工自评：${score ?? '未评'} 分`];
};

/** Several note sources, in order. */
export function combineNotes(...sources: CriterionNotes[]): CriterionNotes {
  return async (loaded, criterion) =>
    (await Promise.all(sources.map((s) => s(loaded, criterion)))).flat();
}

/**
 * The month's records linked to a criterion, for the supervisor scoring it:
 * grouped by reason, e.g. "迟到 2 次(-4)".
 */
export function evidenceNote(records: Pick<RecordService, 'counting'>): CriterionNotes {
  return async (loaded, criterion) => {
    if (loaded.pos.role !== 'supervisor') return [];
    const linked = (await records.counting(loaded.pos.month, loaded.pos.target)).filter(
      (r) => r.criterionNo === criterion.no,
    );
    if (linked.length === 0) return [];
    const groups = new Map<string, { count: number; points: number }>();
    for (const r of linked) {
      const group = groups.get(r.reason) ?? { count: 0, points: 0 };
      groups.set(r.reason, { count: group.count + 1, points: group.points + r.points });
    }
    const parts = [...groups].map(
      ([reason, g]) => `${reason} ${g.count} 次（${signed(g.points)}）`,
    );
    return [`本月记录：${parts.join('；')}`];
  };
}

/** Line 12 as it stands, on the supervisor's summary before submitting. */
export function lineTwelveNote(records: Pick<RecordService, 'counting'>): SummaryNotes {
  return async (loaded) => {
    if (loaded.pos.role !== 'supervisor') return [];
    const counting = await records.counting(loaded.pos.month, loaded.pos.target);
    const total = adjustmentTotal(
      counting.map((r) => r.points),
      loaded.form.policies,
    );
    return [
      `${loaded.form.adjustmentsTitle}：${signed(total)}（${counting.length} 条记录，发送 /records ${loaded.target.employeeNo} 查看）`,
    ];
  };
}
