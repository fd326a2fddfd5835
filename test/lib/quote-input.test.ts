import { loadConfig } from '../../config';
import { parseMonth } from '../../src/assessment/month';
import { parseRecordInput } from '../../src/assessment/record-input';
import { parseScore } from '../../src/assessment/scores';
import { clipInput, quoteInput } from '../../src/lib/quote-input';

const criterion = loadConfig({}).assessment.criteria[0]!;
const HUGE = `1.${'1'.repeat(30_000)}`;

/** The message a parser throws for `run`. */
function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('quoting what a person typed', () => {
  it('keeps short input whole and cuts long input to 8 characters and an ellipsis', () => {
    expect(quoteInput(' abc ')).toBe('“abc”');
    expect(clipInput('12345678')).toBe('12345678');
    expect(clipInput('123456789')).toBe('12345678…');
    // Code points, not UTF-16 units: an emoji is never cut in half.
    expect(clipInput('😀'.repeat(9))).toBe(`${'😀'.repeat(8)}…`);
  });

  it.each([
    ['parseScore', () => parseScore(criterion, HUGE), '“1.111111…”不是有效分数'],
    [
      'parseScore (out of range)',
      () => parseScore(criterion, '9'.repeat(30_000)),
      '99999999… 分超出范围',
    ],
    ['parseMonth', () => parseMonth(`2024-${'5'.repeat(30_000)}`), '月份格式不对：“2024-555…”'],
    [
      'parseRecordInput',
      () => parseRecordInput(`K001 ${HUGE} 理由`, { min: -10, max: 10 }),
      '“1.111111…”不是有效分值',
    ],
  ])('%s answers a 30,000-character input in a few words', (_name, run, start) => {
    const message = messageOf(run);
    expect(message.startsWith(start)).toBe(true);
    expect(message.length).toBeLessThan(120);
  });

  it('still names a plain out-of-range score as typed', () => {
    expect(messageOf(() => parseScore(criterion, '011'))).toMatch(/^11 分超出范围/);
  });
});
