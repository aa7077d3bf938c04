/**
 * The service's time zone, written once: Asia/Seoul, a fixed UTC+09:00 since 1988 (no
 * daylight saving), so plain offset arithmetic is exact. Safe inside the workflow sandbox.
 */
export const SEOUL_TIME_ZONE = 'Asia/Seoul';
export const SEOUL_OFFSET_MINUTES = 9 * 60;
export const SEOUL_OFFSET_MS = SEOUL_OFFSET_MINUTES * 60_000;
/** The offset as ISO-8601 writes it, e.g. `2026-04-01T00:00:00+09:00`. */
export const SEOUL_OFFSET = '+09:00';

/** The instant a Seoul day (YYYY-MM-DD) begins: its 00:00 Asia/Seoul, as UTC milliseconds. */
export function seoulMidnightOf(date: string): number {
  return Date.parse(`${date}T00:00:00${SEOUL_OFFSET}`);
}

/** The Seoul date (YYYY-MM-DD) an instant falls on. */
export function seoulDateOf(utcMs: number): string {
  return new Date(utcMs + SEOUL_OFFSET_MS).toISOString().slice(0, 10);
}
