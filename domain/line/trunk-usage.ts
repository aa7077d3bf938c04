import { seoulDateOf, seoulMidnightOf } from '../calendar/seoul';

/**
 * Usage from the PBX's call records, per day (Asia/Seoul). A trunk's: calls and minutes counted on
 * the day a call was answered, and the most calls carried at once at any moment of the day (a
 * call that crosses midnight is carried by both days). The peak over the trunk's channels is the
 * utilization the monthly inspection and the QSR report (issue 15).
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

  const byTrunk = new Map<string, AnsweredCall[]>();
  for (const c of calls) {
    if (!c.trunk) continue;
    let list = byTrunk.get(c.trunk);
    if (!list) byTrunk.set(c.trunk, (list = []));
    list.push(c);
    const day = dayOf(c.trunk, seoulDateOf(Date.parse(c.startedAt)));
    day.calls += 1;
    day.minutes += c.durationSeconds / 60;
  }

  for (const [trunk, list] of byTrunk) {
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
        if (carried > 0) raise(dayOf(trunk, next), carried);
      }
      date = eventDate;
      carried += e.delta;
      if (e.delta > 0) raise(dayOf(trunk, eventDate), carried);
    }
  }
  return [...days.values()]
    .map((d) => ({ ...d, minutes: Math.round(d.minutes * 10) / 10 }))
    .sort((a, b) => a.trunk.localeCompare(b.trunk, 'en', { numeric: true }) || a.date.localeCompare(b.date));
}

function raise(day: TrunkDay, carried: number): void {
  if (carried > day.peakConcurrent) day.peakConcurrent = carried;
}

/** A line's (DN's) day: calls it placed, calls to it, and their minutes, on the day each was answered (Asia/Seoul). */
export interface LineDay {
  dn: string;
  date: string;
  callsOut: number;
  callsIn: number;
  minutes: number;
}

export function lineDailyUsage(calls: readonly AnsweredCall[]): LineDay[] {
  const days = new Map<string, LineDay>();
  const add = (dn: string | undefined, date: string, out: boolean, minutes: number) => {
    if (!dn) return;
    const key = `${dn}|${date}`;
    let day = days.get(key);
    if (!day) days.set(key, (day = { dn, date, callsOut: 0, callsIn: 0, minutes: 0 }));
    if (out) day.callsOut += 1;
    else day.callsIn += 1;
    day.minutes += minutes;
  };
  for (const c of calls) {
    const date = seoulDateOf(Date.parse(c.startedAt));
    add(c.caller, date, true, c.durationSeconds / 60);
    add(c.callee, date, false, c.durationSeconds / 60);
  }
  return [...days.values()]
    .map((d) => ({ ...d, minutes: Math.round(d.minutes * 10) / 10 }))
    .sort((a, b) => a.dn.localeCompare(b.dn) || a.date.localeCompare(b.date));
}
