import { userError } from '../lib/errors';
import { quoteInput } from '../lib/quote-input';
import type { RecordKind as Kind } from './record-kinds';

const KIND_WORDS: Record<string, Kind> = {
  日常: 'daily',
  日常检查: 'daily',
  表扬: 'praise',
  投诉: 'complaint',
  抽查: 'spot',
  其他: 'other',
};

/** What `/log 工号 ±分 [类别] [#项号] 理由` says. */
export interface RecordInput {
  employeeNo: string;
  points: number;
  kind: Kind | null;
  criterionNo: number | null;
  reason: string;
}

const USAGE =
  '格式：/log 工号 ±分 [表扬|投诉|日常|抽查|其他] [#项号] 理由，例如 /log K001 -2 日常 #8 上班迟到';

/**
 * Reads a record command's arguments; anything missing or malformed is a
 * user-facing error that shows the expected form.
 */
export function parseRecordInput(args: string, bounds: { min: number; max: number }): RecordInput {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const [employeeNo, pointsText, ...rest] = words;
  if (!employeeNo || !pointsText) throw userError('invalid_input', USAGE);
  const normalized = pointsText.replace(/[＋]/g, '+').replace(/[－—]/g, '-').replace(/分$/, '');
  if (!/^[+-]?\d+$/.test(normalized))
    throw userError('invalid_input', `${quoteInput(pointsText)}不是有效分值。${USAGE}`);
  const points = Number(normalized);
  if (points === 0 || points < bounds.min || points > bounds.max) {
    throw userError(
      'invalid_input',
      `每条记录的分值须在 ${bounds.min} 到 ${bounds.max} 之间，且不能为 0。`,
    );
  }
  let kind: Kind | null = null;
  let criterionNo: number | null = null;
  const reasonWords: string[] = [];
  for (const word of rest) {
    const criterion = /^(?:#|＃|第)(\d{1,2})项?$/.exec(word);
    if (!kind && reasonWords.length === 0 && KIND_WORDS[word]) kind = KIND_WORDS[word]!;
    else if (criterion && criterionNo === null) criterionNo = Number(criterion[1]);
    else reasonWords.push(word);
  }
  const reason = reasonWords.join(' ');
  if (!reason) throw userError('invalid_input', `请写明理由。${USAGE}`);
  if (reason.length > 200) throw userError('invalid_input', '理由太长了，请控制在 200 字以内。');
  return { employeeNo, points, kind, criterionNo, reason };
}
