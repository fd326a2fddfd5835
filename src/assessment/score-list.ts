import { userError } from '../lib/errors';
import type { FormDefinition } from './form';
import { isValidScore, type Scores } from './scores';

// Whole numbers, half- or full-width, apart by spaces, commas or 、.
const SEPARATORS = /[\s,，、]+/;
const LIST = /^[0-9０-９]+(?:[\s,，、]+[0-9０-９]+)+$/;

/** Whether `text` is a list of whole numbers (two or more), as typed to fill a form at once. */
export function isScoreList(text: string): boolean {
  return LIST.test(text.trim());
}

/**
 * Reads one score per criterion, in form order, from a typed list. The count
 * must match and every score be in range; otherwise a user-facing error names
 * what is expected (and which item), and nothing is to be stored.
 */
export function parseScoreList(form: FormDefinition, text: string): Scores {
  const numbers = text
    .trim()
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .split(SEPARATORS)
    .filter(Boolean);
  const count = form.criteria.length;
  if (numbers.length !== count || numbers.some((n) => !/^\d+$/.test(n))) {
    throw userError(
      'invalid_input',
      `需要 ${count} 个分数（按第 1 至 ${count} 项的顺序），收到 ${numbers.length} 个。未保存，请重新发送。`,
    );
  }
  const scores: Scores = {};
  form.criteria.forEach((criterion, index) => {
    const score = Number(numbers[index]);
    if (!isValidScore(criterion, score)) {
      throw userError(
        'invalid_input',
        `第 ${criterion.no} 项满分 ${criterion.max} 分，收到 ${score}。未保存，请重新发送。`,
      );
    }
    scores[criterion.no] = score;
  });
  return scores;
}
