/**
 * What a WeCom template card lets a person do, read from the card as sent:
 * the keys its buttons report, and the options each question offers.
 */
type Card = Record<string, unknown>;
type Option = { id?: unknown };

/** The event keys a tap on this card may carry (submit button, buttons). */
export function cardKeys(card: Card): string[] {
  const submit = (card.submit_button as { key?: unknown } | undefined)?.key;
  const buttons = ((card.button_list as { key?: unknown }[] | undefined) ?? []).map((b) => b.key);
  return [submit, ...buttons].filter((key): key is string => typeof key === 'string');
}

/** Option ids per question key: the vote card's checkbox and the select lists. */
export function cardOptions(card: Card): Map<string, Set<string>> {
  const questions = new Map<string, Set<string>>();
  const add = (question: { question_key?: unknown; option_list?: Option[] } | undefined) => {
    if (typeof question?.question_key !== 'string') return;
    const ids = (question.option_list ?? [])
      .map((o) => o.id)
      .filter((id) => typeof id === 'string');
    questions.set(question.question_key, new Set(ids as string[]));
  };
  add(card.checkbox as Parameters<typeof add>[0]);
  for (const select of (card.select_list as Parameters<typeof add>[0][] | undefined) ?? [])
    add(select);
  return questions;
}
