import { dayOfIsoDate, isoDateOfDay } from '../calendar/local-time';
import { SEOUL_OFFSET_MS } from '../calendar/seoul';

/**
 * Report periods in Asia/Seoul (a fixed +09:00 since 1988): a scheduled run
 * reviews the period before the instant it was scheduled for.
 */

function seoulYearMonth(instant: string | Date): { year: number; month: number } {
  const local = new Date(new Date(instant).getTime() + SEOUL_OFFSET_MS);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1 };
}

/** The month before the one `instant` falls in (Seoul time), as YYYY-MM. */
export function previousMonth(instant: string | Date): string {
  const { year, month } = seoulYearMonth(instant);
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** The quarter before the one `instant` falls in (Seoul time), as YYYY-Qn. */
export function previousQuarter(instant: string | Date): string {
  const { year, month } = seoulYearMonth(instant);
  const q = Math.ceil(month / 3);
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
}

/** YYYY-MM → its [from, to) instants (Seoul midnights). */
export function monthBounds(period: string): { from: string; to: string } {
  const [year, month] = [Number(period.slice(0, 4)), Number(period.slice(5, 7))];
  const at = (y: number, m: number) => new Date(Date.UTC(y, m - 1, 1) - SEOUL_OFFSET_MS).toISOString();
  return { from: at(year, month), to: at(year, month + 1) };
}

/** The `n` months ending with `period`, oldest first. */
export function monthsEndingWith(period: string, n: number): string[] {
  const [year, month] = [Number(period.slice(0, 4)), Number(period.slice(5, 7))];
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(year, month - 1 - (n - 1 - i), 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

/** YYYY-Qn → its [from, to) instants (Seoul midnights) and its three months. */
export function quarterBounds(quarter: string): { from: string; to: string; months: string[] } {
  const [year, q] = [Number(quarter.slice(0, 4)), Number(quarter.slice(6))];
  const first = (q - 1) * 3;
  const months = [0, 1, 2].map((i) => `${year}-${String(first + i + 1).padStart(2, '0')}`);
  return { from: monthBounds(months[0]!).from, to: monthBounds(months[2]!).to, months };
}

/** The month's calendar dates (Asia/Seoul) as [fromDate, toDate), YYYY-MM-DD. */
export function monthDates(period: string): { fromDate: string; toDate: string } {
  const [year, month] = [Number(period.slice(0, 4)), Number(period.slice(5, 7))];
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  return { fromDate: `${period}-01`, toDate: next };
}

/** The month's last calendar date (Asia/Seoul), YYYY-MM-DD. */
export function lastDayOfMonth(period: string): string {
  return isoDateOfDay(dayOfIsoDate(monthDates(period).toDate) - 1);
}

/** The quarter's calendar dates (Asia/Seoul) as [fromDate, toDate), YYYY-MM-DD. */
export function quarterDates(quarter: string): { fromDate: string; toDate: string } {
  const { months } = quarterBounds(quarter);
  return { fromDate: monthDates(months[0]!).fromDate, toDate: monthDates(months[2]!).toDate };
}
