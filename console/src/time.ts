import { useSyncExternalStore } from 'react';
import { ZONE } from './seoul';

/**
 * Every instant is shown in Asia/Seoul, whatever the browser's zone. Fields rather than
 * `timeStyle`, whose Korean form drops the hour's leading zero (1:15:07), so times in a
 * column line up and read like the audit tools' 01:15:07.
 */
const INSTANT: Intl.DateTimeFormatOptions = {
  timeZone: ZONE,
  year: '2-digit',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
};
export function formatInstant(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, INSTANT).format(new Date(iso));
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

/**
 * The current time, ticking every second: countdowns are computed in the browser from the absolute
 * due instants. One timer for the whole page however many countdowns read it, all in step.
 */
export function useNow(): number {
  return useSyncExternalStore(clock.subscribe, clock.now);
}

const clock = (() => {
  const listeners = new Set<() => void>();
  let now = Date.now();
  let timer: number | undefined;
  return {
    now: () => now,
    subscribe(listener: () => void) {
      listeners.add(listener);
      if (timer === undefined) {
        now = Date.now();
        timer = window.setInterval(() => {
          now = Date.now();
          for (const l of listeners) l();
        }, 1000);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          window.clearInterval(timer);
          timer = undefined;
        }
      };
    },
  };
})();
