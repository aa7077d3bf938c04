/**
 * Calendar days and local times in Asia/Seoul, the console's one zone (change windows, the audit log's
 * days, the KPIs' quarters, a form's "today"). Seoul keeps +09:00 all year (no daylight saving since
 * 1988), so a local time typed in a form is that instant with +09:00.
 */
export const ZONE = 'Asia/Seoul';
export const SEOUL_OFFSET = '+09:00';

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const localFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The Seoul calendar day of an instant, as YYYY-MM-DD. */
export function seoulDay(instant: number | string): string {
  return dayFormat.format(new Date(instant));
}

/** Today in Seoul as YYYY-MM-DD (a date field's default: contracts are signed and lines end on Seoul days). */
export function seoulToday(): string {
  return seoulDay(Date.now());
}

/** The Seoul month of an instant, as YYYY-MM. */
export function seoulMonth(instant: number | string): string {
  return seoulDay(instant).slice(0, 7);
}

/** An instant as a datetime-local value in Seoul (YYYY-MM-DDTHH:mm:ss). */
export function seoulLocal(instant: number): string {
  const parts = Object.fromEntries(localFormat.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

/** A datetime-local value typed in Seoul, as an instant with its offset (what the API takes); '' stays ''. */
export function fromSeoulLocal(value: string): string {
  if (!value) return '';
  return `${value.length === 16 ? `${value}:00` : value}${SEOUL_OFFSET}`;
}

/** The instant a Seoul day (YYYY-MM-DD) begins. */
export function startOfSeoulDay(day: string): string {
  return `${day}T00:00:00${SEOUL_OFFSET}`;
}

/** The quarter an instant falls in, in Seoul: [its first day, the next quarter's first day), as YYYY-MM-DD. */
export function seoulQuarter(instant: number | string): { from: string; to: string } {
  const [y, m] = seoulMonth(instant).split('-').map(Number) as [number, number];
  const first = `${y}-${String(m - ((m - 1) % 3)).padStart(2, '0')}`;
  return { from: `${first}-01`, to: `${addMonths(first, 3)}-01` };
}

/** A month (YYYY-MM) moved by `by` months. */
export function addMonths(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

/** A day (YYYY-MM-DD) moved by `by` days. */
export function addDays(day: string, by: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + by);
  return d.toISOString().slice(0, 10);
}

/** The Seoul days a window touches, first to last (an end at midnight does not touch the next day). */
export function daysOf(window: { start: string; end: string }): string[] {
  const first = seoulDay(window.start);
  const last = seoulDay(Date.parse(window.end) - 1);
  const days: string[] = [];
  for (let d = first; d <= last && days.length < 400; d = addDays(d, 1)) days.push(d);
  return days;
}

/** Whether a string is a month the calendar can show (YYYY-MM). */
export function isMonth(value: string | null): value is string {
  return value !== null && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}
