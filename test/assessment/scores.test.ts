import { loadConfig } from '../../config';
import { isComplete, parseScore, total, unanswered } from '../../src/assessment/scores';
import { assertSubmittable, editRight, submit } from '../../src/assessment/states';
import { maxTotal } from '../../src/assessment/form';

const form = loadConfig({}).assessment;
const c1 = form.criteria[0]!; // max 10
const c6 = form.criteria[5]!; // max 5

describe('scores', () => {
  it('the default form is 11 criteria worth 100 points', () => {
    expect(form.criteria).toHaveLength(11);
    expect(maxTotal(form)).toBe(100);
    expect(c6.max).toBe(5);
  });

  it.each([
    ['8', 8],
    [' 10 ', 10],
    ['0', 0],
    ['９', 9],
    ['7分', 7],
  ])('reads %j as %d', (input, expected) => {
    expect(parseScore(c1, input)).toBe(expected);
  });

  it.each(['11', '-1', 'abc', '7.5', '', '1e1'])(
    'refuses %j with a reply that says what is expected',
    (input) => {
      expect(() => parseScore(c1, input)).toThrow(/0 到 10 之间的整数/);
    },
  );

  it('uses each criterion’s own max', () => {
    expect(() => parseScore(c6, '6')).toThrow(/满分 5 分/);
    expect(parseScore(c6, '5')).toBe(5);
  });

  it('totals, completeness and what is left', () => {
    const scores: Record<number, number> = {};
    form.criteria.forEach((c) => (scores[c.no] = c.max));
    expect(isComplete(form, scores)).toBe(true);
    expect(total(form, scores)).toBe(100);
    delete scores[3];
    delete scores[9];
    expect(isComplete(form, scores)).toBe(false);
    expect(unanswered(form, scores).map((c) => c.no)).toEqual([3, 9]);
    expect(() => assertSubmittable(form, scores)).toThrow('还有第 3、9 项未评分');
    scores[3] = 7;
    scores[9] = 4;
    expect(submit(form, scores)).toBe('submitted');
    expect(total(form, scores)).toBe(96);
  });
});

describe('who may change a form', () => {
  it('while open: only the author', () => {
    expect(editRight('open', 'self', { isAuthor: true, isManager: false })).toEqual({
      allowed: true,
      reasonRequired: false,
    });
    expect(editRight('open', 'supervisor', { isAuthor: false, isManager: true })).toMatchObject({
      allowed: false,
    });
  });

  it('once closed: only the manager, with a reason', () => {
    expect(editRight('closed', 'self', { isAuthor: true, isManager: false })).toMatchObject({
      allowed: false,
      message: expect.stringContaining('已结束'),
    });
    expect(editRight('closed', 'supervisor', { isAuthor: false, isManager: true })).toEqual({
      allowed: true,
      reasonRequired: true,
    });
  });
});
