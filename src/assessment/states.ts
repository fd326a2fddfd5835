import { userError } from '../lib/errors';
import type { FormDefinition, FormRole } from './form';
import { isComplete, type Scores } from './scores';

/** A month is open (forms can be filled) or closed (results are final). */
export type MonthStatus = 'open' | 'closed';

/** A form is a draft until its author submits it; a submitted form can be reopened while the month is open. */
export type FormStatus = 'draft' | 'submitted';

/** Who is trying to change a form. */
export interface Editor {
  /** The form's author: the person for a self form, their supervisor for a supervisor form. */
  isAuthor: boolean;
  isManager: boolean;
}

/** How a change to a form may go ahead. */
export type EditRight =
  { allowed: true; reasonRequired: boolean } | { allowed: false; message: string };

/**
 * Whether `editor` may change a form of `role` in a month of `status`. While the
 * month is open only the author edits (a submitted form is reopened first);
 * once it is closed only the manager may, and must give a reason.
 */
export function editRight(status: MonthStatus, role: FormRole, editor: Editor): EditRight {
  if (status === 'open') {
    if (editor.isAuthor) return { allowed: true, reasonRequired: false };
    const whose = role === 'self' ? '本人' : '主管';
    return { allowed: false, message: `这张表只能由${whose}填写。` };
  }
  if (editor.isManager) return { allowed: true, reasonRequired: true };
  return { allowed: false, message: '本月考核已结束，如需修改请联系管理处经理。' };
}

/** Throws a user-facing error unless every criterion has a score. */
export function assertSubmittable(form: FormDefinition, scores: Scores): void {
  if (!isComplete(form, scores)) {
    const missing = form.criteria.filter((c) => scores[c.no] === undefined).map((c) => c.no);
    throw userError('invalid_input', `还有第 ${missing.join('、')} 项未评分，评完才能提交。`);
  }
}

/** The next status of a form after its author submits it. */
export function submit(form: FormDefinition, scores: Scores): FormStatus {
  assertSubmittable(form, scores);
  return 'submitted';
}
