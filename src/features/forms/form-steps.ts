import type { Criterion } from '../../assessment/form';
import type { MonthKey } from '../../assessment/month';
import type { AssessmentDoc } from '../../store/models/assessment';
import type { MonthDoc } from '../../store/models/month';
import type { Person } from '../../store/models/person';
import type { Loaded } from './form-flow';
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

/**
 * The next criterion to ask after `after`: the first unanswered one going round
 * the form, skipped ones last (they were left "for later"); with
 * `skippedToo: false`, skipped ones are not asked again.
 */
export function nextCriterion(
  loaded: Loaded,
  after: number | null,
  skippedToo = true,
): Criterion | undefined {
  const { form, doc, pos } = loaded;
  const scores = scoresOf(doc[pos.role]);
  const open = form.criteria.filter((c) => scores[c.no] === undefined);
  const fresh = open.filter((c) => !pos.skipped.includes(c.no));
  const index = after === null ? -1 : form.criteria.findIndex((c) => c.no === after);
  return (
    fresh.find((c) => form.criteria.indexOf(c) > index) ??
    fresh[0] ??
    (skippedToo ? open[0] : undefined)
  );
}
