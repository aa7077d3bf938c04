import Handlebars from 'handlebars';

/**
 * Template helpers for reports, registered on an isolated Handlebars instance.
 * Formatting goes through Intl formatters cached per locale + options; every
 * helper reads the report's locale and time zone from the render data
 * (`template(context, { data: { locale, timeZone } })`).
 */

export type ReportLocale = 'ko' | 'en';
export const DEFAULT_TIME_ZONE = 'Asia/Seoul';

const INTL_LOCALE: Record<ReportLocale, string> = { ko: 'ko-KR', en: 'en-US' };

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function numberFormat(locale: ReportLocale, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(INTL_LOCALE[locale], options)));
  return f;
}

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

export function formatNumber(value: number, locale: ReportLocale, fractionDigits = 0): string {
  return numberFormat(locale, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value);
}

/** `ratio` is a fraction: 0.934 → "93.4%". */
export function formatPercent(ratio: number, locale: ReportLocale, fractionDigits = 1): string {
  return numberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(ratio);
}

export function formatDate(value: unknown, locale: ReportLocale, timeZone = DEFAULT_TIME_ZONE): string {
  return dateFormat(locale, { ...DATE, timeZone }).format(toDate(value));
}

export function formatDateTime(value: unknown, locale: ReportLocale, timeZone = DEFAULT_TIME_ZONE): string {
  return dateFormat(locale, { ...DATETIME, timeZone }).format(toDate(value));
}

const DURATION_UNITS: Record<ReportLocale, { h: string; m: string; s: string; sep: string }> = {
  ko: { h: '시간', m: '분', s: '초', sep: '' },
  en: { h: 'h', m: 'min', s: 's', sep: ' ' },
};

/** Milliseconds → "3시간 20분" / "3 h 20 min"; under a minute → "45초" / "45 s". */
export function formatDuration(ms: number, locale: ReportLocale): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`not a duration: ${ms}`);
  const u = DURATION_UNITS[locale];
  const n = (v: number) => formatNumber(v, locale);
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 60) return `${n(totalSeconds)}${u.sep}${u.s}`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  const parts: string[] = [];
  if (h > 0) parts.push(`${n(h)}${u.sep}${u.h}`);
  if (m > 0 || h === 0) parts.push(`${n(m)}${u.sep}${u.m}`);
  return parts.join(' ');
}

/** Labels our templates use; a missing key is a template bug and fails the render. */
export const LABELS: Record<string, Record<ReportLocale, string>> = {
  page: { ko: '쪽', en: 'Page' },
  generatedAt: { ko: '작성 일시', en: 'Generated' },
  period: { ko: '기간', en: 'Period' },
  summary: { ko: '요약', en: 'Summary' },
  note: { ko: '비고', en: 'Note' },
  date: { ko: '날짜', en: 'Date' },
  agent: { ko: '상담사', en: 'Agent' },
  channel: { ko: '채널', en: 'Channel' },
  calls: { ko: '통화 수', en: 'Calls' },
  handleTime: { ko: '처리 시간', en: 'Handle time' },
  answerRate: { ko: '응대율', en: 'Answer rate' },
  totalCalls: { ko: '총 통화 수', en: 'Total calls' },
  totalHandleTime: { ko: '총 처리 시간', en: 'Total handle time' },
  callsByChannel: { ko: '채널별 통화 수', en: 'Calls by channel' },
  details: { ko: '상세 내역', en: 'Details' },
};

export function label(key: string, locale: ReportLocale): string {
  const entry = LABELS[key];
  if (!entry) throw new Error(`unknown report label: ${key}`);
  return entry[locale];
}

/** A CSS string literal safe inside a <style> element (for @page margin boxes). */
export function cssString(value: string): string {
  return `"${String(value).replace(/[^\p{L}\p{N} .,:\-_()/]/gu, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`;
}

type HelperOptions = Handlebars.HelperOptions;
interface RenderData {
  locale: ReportLocale;
  timeZone?: string;
}

function renderData(options: HelperOptions): RenderData {
  const data = options.data as RenderData | undefined;
  if (!data?.locale) throw new Error('report templates need { data: { locale } } at render time');
  return data;
}

/** Numeric hash argument or default, e.g. `{{number x digits=1}}`. */
const digits = (options: HelperOptions, fallback: number) =>
  typeof options.hash.digits === 'number' ? (options.hash.digits as number) : fallback;

/** A fresh Handlebars instance with the report helpers registered (and nothing global). */
export function createTemplateEngine(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('number', (v: number, o: HelperOptions) => formatNumber(v, renderData(o).locale, digits(o, 0)));
  hb.registerHelper('percent', (v: number, o: HelperOptions) => formatPercent(v, renderData(o).locale, digits(o, 1)));
  hb.registerHelper('date', (v: unknown, o: HelperOptions) => formatDate(v, renderData(o).locale, renderData(o).timeZone));
  hb.registerHelper('datetime', (v: unknown, o: HelperOptions) =>
    formatDateTime(v, renderData(o).locale, renderData(o).timeZone),
  );
  hb.registerHelper('duration', (v: number, o: HelperOptions) => formatDuration(v, renderData(o).locale));
  hb.registerHelper('t', (key: string, o: HelperOptions) => label(key, renderData(o).locale));
  // Returns a SafeString: cssString escapes everything that could end the string or the <style> element.
  hb.registerHelper('cssString', (v: string) => new hb.SafeString(cssString(v)));
  return hb;
}
