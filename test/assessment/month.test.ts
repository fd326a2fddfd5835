import { addMonths, isMonthKey, monthLabel, monthOf, parseMonth } from '../../src/assessment/month';
import { AppError } from '../../src/lib/errors';

describe('month', () => {
  it.each(['2024-05', '2024-12', '2024-01', '2099-09'])('accepts %s', (text) => {
    expect(parseMonth(text)).toBe(text);
  });

  it.each(['2024-13', '2024-00', '24-05', '2024-5', '2024/05', '202405', 'abc', '', '2024-05-01'])(
    'rejects %s with a Chinese hint',
    (text) => {
      expect(isMonthKey(text)).toBe(false);
      expect(() => parseMonth(text)).toThrow(AppError);
      expect(() => parseMonth(text)).toThrow(/例如 2024-05/);
    },
  );

  it('finds the month of a moment in the schedule’s time zone', () => {
    // 16:30 UTC on 31 May is already 1 June in Shanghai.
    const at = new Date('2024-05-31T16:30:00Z');
    expect(monthOf(at, 'Asia/Shanghai')).toBe('2024-06');
    expect(monthOf(at, 'UTC')).toBe('2024-05');
  });

  it('steps across years', () => {
    expect(addMonths(parseMonth('2024-12'), 1)).toBe('2025-01');
    expect(addMonths(parseMonth('2024-01'), -1)).toBe('2023-12');
    expect(addMonths(parseMonth('2024-05'), -6)).toBe('2023-11');
  });

  it('names a month in Chinese', () => {
    expect(monthLabel(parseMonth('2024-05'))).toBe('2024年5月');
  });
});
