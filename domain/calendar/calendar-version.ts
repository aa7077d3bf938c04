import { createHash } from 'node:crypto';
import { BusinessCalendar } from '../sla/model';
import { dayOfIsoDate } from './local-time';

/*
 * Activity/API side only (uses node:crypto): workflows receive the finished calendar,
 * version included, inside the SLA snapshot.
 */

/** The distinct dates, sorted, so that order and repeats do not change the version. */
function normalise(holidays: readonly string[]): string[] {
  for (const date of holidays) dayOfIsoDate(date);
  return [...new Set(holidays)].sort();
}

/** First 16 hex chars of sha256 over the sorted dates joined by "\n": names an auditable calendar. */
export function calendarVersion(holidays: readonly string[]): string {
  return createHash('sha256').update(normalise(holidays).join('\n')).digest('hex').slice(0, 16);
}

/** A Mon–Fri 09:00–18:00 Asia/Seoul calendar with these holidays; throws on impossible dates. */
export function makeCalendar(holidays: readonly string[]): BusinessCalendar {
  const dates = normalise(holidays);
  return BusinessCalendar.parse({ holidays: dates, version: calendarVersion(dates) });
}
