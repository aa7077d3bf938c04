import { useEffect, useState } from 'react';

/** Every instant is shown in Asia/Seoul, whatever the browser's zone. */
const ZONE = 'Asia/Seoul';

export function formatInstant(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { timeZone: ZONE, dateStyle: 'short', timeStyle: 'medium', hourCycle: 'h23' }).format(new Date(iso));
}

/** A countdown like 3:59:07, or -0:05:12 once past (breached time shows as negative). */
export function formatCountdown(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** The colour band of a countdown: more than an hour, under an hour, under 30 minutes, breached. */
export type Band = 'ok' | 'soon' | 'critical' | 'breached';
export function bandOf(ms: number): Band {
  if (ms < 0) return 'breached';
  if (ms < 30 * 60_000) return 'critical';
  if (ms < 60 * 60_000) return 'soon';
  return 'ok';
}

/** The current time, ticking every second: countdowns are computed in the browser from the absolute due instants. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}
