import { callVolumeKey, type CtiState, type QueueRecord } from '../state';

/**
 * The calls a queue took on one local day (Asia/Seoul): pinned by a test, or
 * made up. Made-up volume depends only on the queue's name and the date, so
 * it survives a reset (ids are new each time) and two runs agree: a base
 * level per queue, a weekday pattern (weekends well below weekdays, Monday
 * the peak) and ±8 % day-to-day noise.
 */

export interface DayVolume {
  offered: number;
  answered: number;
  /** Time to answer, summed over answered calls, and its shortest and longest (ms): the tAnswered stats. */
  answerMsSum: number;
  answerMsMin: number;
  answerMsMax: number;
}

/** Sunday first, as Date#getUTCDay counts. */
const WEEKDAY_FACTOR = [0.3, 1.15, 1.0, 0.95, 0.95, 1.05, 0.4];

export function dayVolume(state: CtiState, queue: QueueRecord, date: string): DayVolume {
  const pin = state.callVolumePins.get(callVolumeKey(queue.id, date));
  if (pin) return withAnswerTimes(pin.offered, pin.answered, 15_000);
  const base = 200 + Math.floor(unit(queue.name) * 600);
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const noise = 0.92 + unit(`${queue.name}|${date}|offered`) * 0.16;
  const offered = Math.round(base * WEEKDAY_FACTOR[weekday] * noise);
  const answered = Math.round(offered * (0.88 + unit(`${queue.name}|${date}|answered`) * 0.09));
  const speedOfAnswerMs = 8_000 + Math.floor(unit(`${queue.name}|${date}|asa`) * 22_000);
  return withAnswerTimes(offered, answered, speedOfAnswerMs);
}

function withAnswerTimes(offered: number, answered: number, averageMs: number): DayVolume {
  if (answered === 0) return { offered, answered, answerMsSum: 0, answerMsMin: 0, answerMsMax: 0 };
  return { offered, answered, answerMsSum: answered * averageMs, answerMsMin: Math.round(averageMs / 10), answerMsMax: averageMs * 4 };
}

/** FNV-1a over the text, as a number in [0, 1): deterministic, and different enough for neighbouring dates. */
export function unit(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // One extra avalanche round: FNV's low bits alone vary too little between "…-01" and "…-02".
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b) >>> 0;
  hash = (hash ^ (hash >>> 13)) >>> 0;
  return hash / 2 ** 32;
}
