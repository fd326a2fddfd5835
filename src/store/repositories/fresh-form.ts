import type { AssessmentDoc } from '../models/assessment';

// A month's forms are inserted lean (a mongoose document for each of 10,000 forms was most of the
// open's garbage), so what the schema's defaults would store is written out here.

/** A blank form part as the schema's defaults store it (its maps empty). */
const blankPart = () => ({
  remark: null,
  status: 'draft' as const,
  authorUserid: null,
  submittedAt: null,
  updatedAt: null,
  scores: {},
  remarks: {},
});

/** A new assessment as mongoose would store it, every default written out. */
export function freshForm(
  month: string,
  userid: string,
  supervisorUserid: string | null,
  createdAt: Date,
) {
  return {
    month,
    userid,
    supervisorUserid,
    result: null,
    createdAt,
    self: blankPart(),
    supervisor: blankPart(),
  };
}

/** A stored blank form as the model's toObject gives it: its maps as Maps. */
export function asAssessment(doc: ReturnType<typeof freshForm>): AssessmentDoc {
  const part = (p: ReturnType<typeof blankPart>) => ({
    ...p,
    scores: new Map<string, number>(),
    remarks: new Map<string, string>(),
  });
  return { ...doc, self: part(doc.self), supervisor: part(doc.supervisor) };
}
