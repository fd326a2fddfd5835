import { localDate, nextWorkingTime } from '../../src/assessment/working-hours';

const hours = { start: '09:00', end: '18:00' };
const tz = 'Asia/Shanghai';

describe('working hours (Asia/Shanghai, 09:00–18:00)', () => {
  it('keeps a moment inside working hours', () => {
    const at = new Date('2024-05-28T02:30:00Z'); // 10:30 local
    expect(nextWorkingTime(at, tz, hours)).toEqual(at);
  });

  it('moves an early moment to 09:00 the same day', () => {
    expect(nextWorkingTime(new Date('2024-05-27T22:00:00Z'), tz, hours)).toEqual(
      new Date('2024-05-28T01:00:00Z'),
    );
  });

  it('moves a late moment to 09:00 the next day, across a month end', () => {
    // 31 May 20:00 local → 1 June 09:00 local.
    expect(nextWorkingTime(new Date('2024-05-31T12:00:00Z'), tz, hours)).toEqual(
      new Date('2024-06-01T01:00:00Z'),
    );
  });

  it('treats 18:00 as outside', () => {
    expect(nextWorkingTime(new Date('2024-05-28T10:00:00Z'), tz, hours)).toEqual(
      new Date('2024-05-29T01:00:00Z'),
    );
  });

  it('works in a zone with daylight saving', () => {
    // 2024-03-10 is the spring-forward day in New York (UTC−4 from 03:00).
    expect(nextWorkingTime(new Date('2024-03-10T04:00:00Z'), 'America/New_York', hours)).toEqual(
      new Date('2024-03-10T13:00:00Z'),
    );
  });

  it('names the local date', () => {
    expect(localDate(new Date('2024-05-31T16:30:00Z'), tz)).toBe('2024-06-01');
  });
});
