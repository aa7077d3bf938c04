import { INTL_LOCALE, type ReportLocale } from '../report/contracts';
import { SEOUL_TIME_ZONE } from './seoul';

/**
 * Dates and times as people read them, in the report's locale and (by default) Asia/Seoul.
 * Uses Intl, so it is for activities, reports and the API, not for workflow code.
 */

export const DEFAULT_TIME_ZONE = SEOUL_TIME_ZONE;

const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function dateFormat(locale: ReportLocale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(INTL_LOCALE[locale], options)));
  return f;
}

const DATE: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };
const DATETIME: Intl.DateTimeFormatOptions = { ...DATE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

function toDate(value: unknown): Date {
  const d = value instanceof Date ? value : new Date(value as string | number);
  if (Number.isNaN(d.getTime())) throw new TypeError(`not a date: ${String(value)}`);
  return d;
}

export function formatDate(value: unknown, locale: ReportLocale, timeZone = DEFAULT_TIME_ZONE): string {
  return dateFormat(locale, { ...DATE, timeZone }).format(toDate(value));
}

export function formatDateTime(value: unknown, locale: ReportLocale, timeZone = DEFAULT_TIME_ZONE): string {
  return dateFormat(locale, { ...DATETIME, timeZone }).format(toDate(value));
}
