/**
 * Time-zone arithmetic with Intl alone (no library, no system zone): what
 * schedule groups and the analytics buckets need. "Wall time" is a local
 * date-time written as if it were UTC milliseconds.
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall time in `zone` at `instant`. */
export function wallTime(instant: number, zone: string): number {
  const p = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(instant))
      .map((x) => [x.type, Number(x.value)]),
  );
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) + (((instant % 1000) + 1000) % 1000);
}

/** The instant at which `zone` shows wall time `wall` (the later one if a clock change makes it ambiguous). */
export function fromWallTime(wall: number, zone: string): number {
  const guess = wall - (wallTime(wall, zone) - wall);
  return wall - (wallTime(guess, zone) - guess);
}

/** The local date YYYY-MM-DD in `zone` at `instant`. */
export function localDate(instant: number, zone: string): string {
  return new Date(wallTime(instant, zone)).toISOString().slice(0, 10);
}

/** The same wall time `days` local days later: 24 h apart except across a clock change. */
export function addLocalDays(instant: number, days: number, zone: string): number {
  return fromWallTime(wallTime(instant, zone) + days * DAY_MS, zone);
}

/** YYYY-MM-DD plus `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
