import type { Criterion } from '../../assessment/form';
import type { Loaded } from './form-flow';
import { scoresOf } from './texts';

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
