import { seoulDateOf, seoulMidnightOf } from '../calendar/seoul';

/**
 * Usage from the PBX's call records, per day (Asia/Seoul). A trunk's: calls and minutes counted on
 * the day a call was answered, and the most calls carried at once at any moment of the day (a
 * call that crosses midnight is carried by both days). The peak over the trunk's channels is the
 * utilization the monthly inspection and the QSR report (issue 15). A line's the same way, as the
 * line that placed or received the calls (its peak computed by the same dailyPeaks).
 */

export interface AnsweredCall {
  trunk: string;
  /** The calling extension and the number dialled (for line usage). */
  caller?: string;
  callee?: string;
  startedAt: string;
  endedAt: string;
  durationSeconds: number;
}

export interface TrunkDay {
  trunk: string;
  /** YYYY-MM-DD in Asia/Seoul. */
  date: string;
  calls: number;
  minutes: number;
  peakConcurrent: number;
}

const DAY_MS = 86_400_000;

export function trunkDailyUsage(calls: readonly AnsweredCall[]): TrunkDay[] {
  const days = new Map<string, TrunkDay>();
  const dayOf = (trunk: string, date: string): TrunkDay => {
    const key = `${trunk}|${date}`;
    let day = days.get(key);
    if (!day) days.set(key, (day = { trunk, date, calls: 0, minutes: 0, peakConcurrent: 0 }));
    return day;
  };
  for (const c of calls) {
    if (!c.trunk) continue;
    const day = dayOf(c.trunk, seoulDateOf(Date.parse(c.startedAt)));
    day.calls += 1;
    day.minutes += c.durationSeconds / 60;
  }
  for (const p of dailyPeaks(calls, (c) => [c.trunk])) dayOf(p.key, p.date).peakConcurrent = p.peak;
  return [...days.values()]
    .map((d) => ({ ...d, minutes: Math.round(d.minutes * 10) / 10 }))
    .sort((a, b) => a.trunk.localeCompare(b.trunk, 'en', { numeric: true }) || a.date.localeCompare(b.date));
}

/**
 * The most calls up at once on each Seoul day, per key (a trunk; a line's DN, placing or receiving):
 * a call up at midnight is carried by each day it crosses (so a day may have a peak and no call
 * answered on it); a call that ends as another starts is not carried with it. The one place both
 * the trunks' and the lines' peaks are computed.
 */
export function dailyPeaks(
  calls: readonly AnsweredCall[],
  keysOf: (call: AnsweredCall) => ReadonlyArray<string | undefined>,
): Array<{ key: string; date: string; peak: number }> {
  const byKey = new Map<string, AnsweredCall[]>();
  for (const c of calls) {
    for (const key of new Set(keysOf(c))) {
      if (!key) continue;
      let list = byKey.get(key);
      if (!list) byKey.set(key, (list = []));
      list.push(c);
    }
  }
  const peaks = new Map<string, { key: string; date: string; peak: number }>();
  const raise = (key: string, date: string, carried: number) => {
    const at = `${key}|${date}`;
    const day = peaks.get(at);
    if (!day) peaks.set(at, { key, date, peak: carried });
    else if (carried > day.peak) day.peak = carried;
  };
  for (const [key, list] of byKey) {
    // An end before a start at the same instant: back-to-back calls are not carried at once.
    const events = list
      .flatMap((c) => [
        { at: Date.parse(c.startedAt), delta: 1 },
        { at: Date.parse(c.endedAt), delta: -1 },
      ])
      .sort((a, b) => a.at - b.at || a.delta - b.delta);
    let carried = 0;
    let date = events.length ? seoulDateOf(events[0]!.at) : '';
    for (const e of events) {
      const eventDate = seoulDateOf(e.at);
      // Calls still up at midnight are carried by each day they cross.
      for (let d = date; d < eventDate; d = seoulDateOf(seoulMidnightOf(d) + DAY_MS)) {
        const next = seoulDateOf(seoulMidnightOf(d) + DAY_MS);
        if (carried > 0) raise(key, next, carried);
      }
      date = eventDate;
      carried += e.delta;
      if (e.delta > 0) raise(key, eventDate, carried);
    }
  }
  return [...peaks.values()];
}

/**
 * A line's (DN's) day: calls it placed, calls to it, and their minutes, on the day each was answered
 * (Asia/Seoul); and the most of its calls up at once that day (dailyPeaks, as a trunk's). Null where
 * the source cannot tell: the CTI's call statistics are daily sums, with no call's start and end.
 */
export interface LineDay {
  dn: string;
  date: string;
  callsOut: number;
  callsIn: number;
  minutes: number;
  peakConcurrent: number | null;
}

export function lineDailyUsage(calls: readonly AnsweredCall[]): LineDay[] {
  const days = new Map<string, LineDay>();
  const dayOf = (dn: string, date: string): LineDay => {
    const key = `${dn}|${date}`;
    let day = days.get(key);
    if (!day) days.set(key, (day = { dn, date, callsOut: 0, callsIn: 0, minutes: 0, peakConcurrent: 0 }));
    return day;
  };
  for (const c of calls) {
    const date = seoulDateOf(Date.parse(c.startedAt));
    if (c.caller) {
      const day = dayOf(c.caller, date);
      day.callsOut += 1;
      day.minutes += c.durationSeconds / 60;
    }
    if (c.callee) {
      const day = dayOf(c.callee, date);
      day.callsIn += 1;
      day.minutes += c.durationSeconds / 60;
    }
  }
  for (const p of dailyPeaks(calls, (c) => [c.caller, c.callee])) dayOf(p.key, p.date).peakConcurrent = p.peak;
  return [...days.values()]
    .map((d) => ({ ...d, minutes: Math.round(d.minutes * 10) / 10 }))
    .sort((a, b) => a.dn.localeCompare(b.dn) || a.date.localeCompare(b.date));
}
