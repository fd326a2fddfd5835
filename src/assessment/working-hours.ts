/** Local wall-clock parts of a moment in a time zone. */
interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function localParts(at: Date, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
  };
}

/** The moment when the clock in `timeZone` shows the given local time. */
function fromLocal(local: LocalTime, timeZone: string): Date {
  const guess = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // The zone's offset at the guess; applying it once is exact for zones without a jump near 09:00.
  const seen = localParts(new Date(guess), timeZone);
  const offset = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute) - guess;
  return new Date(guess - offset);
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The first moment at or after `at` that falls within working hours in
 * `timeZone` (default 09:00–18:00): scheduled reminders wait for it.
 */
export function nextWorkingTime(
  at: Date,
  timeZone: string,
  hours: { start: string; end: string },
): Date {
  const local = localParts(at, timeZone);
  const now = local.hour * 60 + local.minute;
  const [start, end] = [minutes(hours.start), minutes(hours.end)];
  if (now >= start && now < end) return at;
  const day = now < start ? local.day : local.day + 1;
  // Date.UTC normalises day overflow (31 + 1 → the 1st of next month).
  const date = new Date(Date.UTC(local.year, local.month - 1, day));
  return fromLocal(
    {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: Math.floor(start / 60),
      minute: start % 60,
    },
    timeZone,
  );
}

/** The local date `YYYY-MM-DD` of a moment in a time zone (a reminder round's key). */
export function localDate(at: Date, timeZone: string): string {
  const l = localParts(at, timeZone);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
}
