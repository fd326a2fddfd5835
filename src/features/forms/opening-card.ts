import type { MonthKey } from '../../assessment/month';
import type { AssessmentDoc } from '../../store/models/assessment';
import type { MonthDoc } from '../../store/models/month';
import type { Person } from '../../store/models/person';
import { criterionCard, FORM_FLOW, scoresOf } from './texts';

/** The card that opens a person's self-assessment for a month: its first criterion, with `intro` on top. */
export function openingCard(month: MonthDoc, person: Person, doc: AssessmentDoc, intro: string) {
  const first = month.form.criteria[0]!;
  const card = criterionCard({
    form: month.form,
    criterion: first,
    role: 'self',
    target: person,
    month: month.key as MonthKey,
    current: scoresOf(doc.self)[first.no],
    intro,
  });
  const data = { month: month.key, role: 'self', target: person.userid, criterionNo: first.no };
  return { card, flow: FORM_FLOW, data };
}
