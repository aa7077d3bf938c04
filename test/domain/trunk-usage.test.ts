import fc from 'fast-check';
import { lineDailyUsage, trunkDailyUsage, type AnsweredCall } from '../../domain/line/trunk-usage';

/** Per-trunk daily usage from call records: calls, minutes and the peak carried at once (Asia/Seoul days). */

const call = (trunk: string, start: string, end: string): AnsweredCall => ({
  trunk,
  startedAt: start,
  endedAt: end,
  durationSeconds: (Date.parse(end) - Date.parse(start)) / 1000,
});

test('overlapping calls make the peak; back-to-back ones do not; days are Seoul days', () => {
  const usage = trunkDailyUsage([
    call('223', '2026-12-01T01:00:00Z', '2026-12-01T01:10:00Z'),
    call('223', '2026-12-01T01:05:00Z', '2026-12-01T01:20:00Z'),
    call('223', '2026-12-01T01:06:00Z', '2026-12-01T01:07:00Z'),
    // Ends exactly when the next starts: one channel, not two.
    call('223', '2026-12-01T02:00:00Z', '2026-12-01T02:30:00Z'),
    call('223', '2026-12-01T02:30:00Z', '2026-12-01T02:40:00Z'),
    // 23:30 UTC on the 1st is 08:30 on the 2nd in Seoul.
    call('223', '2026-12-01T23:30:00Z', '2026-12-01T23:31:00Z'),
    call('224', '2026-12-01T01:00:00Z', '2026-12-01T01:01:00Z'),
    // A call with no trunk (between extensions) is no trunk's.
    call('', '2026-12-01T01:00:00Z', '2026-12-01T01:01:00Z'),
  ]);
  expect(usage).toEqual([
    { trunk: '223', date: '2026-12-01', calls: 5, minutes: 66, peakConcurrent: 3 },
    { trunk: '223', date: '2026-12-02', calls: 1, minutes: 1, peakConcurrent: 1 },
    { trunk: '224', date: '2026-12-01', calls: 1, minutes: 1, peakConcurrent: 1 },
  ]);
});

test('a call across Seoul midnight is carried by both days (and counted on the day it was answered)', () => {
  // 14:50–15:20 UTC = 23:50–00:20 KST.
  const usage = trunkDailyUsage([call('9', '2026-12-03T14:50:00Z', '2026-12-03T15:20:00Z'), call('9', '2026-12-03T15:10:00Z', '2026-12-03T15:15:00Z')]);
  expect(usage).toEqual([
    { trunk: '9', date: '2026-12-03', calls: 1, minutes: 30, peakConcurrent: 1 },
    { trunk: '9', date: '2026-12-04', calls: 1, minutes: 5, peakConcurrent: 2 },
  ]);
});

test('the peak equals a brute-force count of calls up at each call start (generated records)', () => {
  const base = Date.parse('2026-12-05T00:00:00Z');
  const arb = fc.array(fc.record({ start: fc.integer({ min: 0, max: 600 }), length: fc.integer({ min: 1, max: 120 }) }), { minLength: 1, maxLength: 40 });
  fc.assert(
    fc.property(arb, (spans) => {
      const calls = spans.map((s) => call('7', new Date(base + s.start * 60_000).toISOString(), new Date(base + (s.start + s.length) * 60_000).toISOString()));
      const peak = Math.max(...spans.map((a) => spans.filter((b) => b.start <= a.start && a.start < b.start + b.length).length));
      // Base is 09:00 KST and spans end by 21:00 KST: one Seoul day.
      const [day] = trunkDailyUsage(calls);
      return day!.peakConcurrent === peak && day!.calls === spans.length;
    }),
  );
});

// ---- a line's peak: the same dailyPeaks, keyed by the line that placed or received each call ------------

const lineCall = (caller: string, callee: string, start: string, end: string): AnsweredCall => ({ ...call('9', start, end), caller, callee });

test("a line's peak counts the calls it placed and received that were up at once; a call up at midnight gives the next day a peak, not a call", () => {
  const usage = lineDailyUsage([
    // 0990 places two overlapping calls and receives a third during them: 3 at once for 0990.
    lineCall('0990', '0999', '2026-12-01T01:00:00Z', '2026-12-01T01:10:00Z'),
    lineCall('0990', '0998', '2026-12-01T01:05:00Z', '2026-12-01T01:20:00Z'),
    lineCall('0997', '0990', '2026-12-01T01:06:00Z', '2026-12-01T01:07:00Z'),
    // Back to back: one at a time.
    lineCall('0999', '0990', '2026-12-01T02:00:00Z', '2026-12-01T02:30:00Z'),
    lineCall('0999', '0990', '2026-12-01T02:30:00Z', '2026-12-01T02:40:00Z'),
    // 23:50–00:20 KST on the 1st–2nd.
    lineCall('0996', '0999', '2026-12-01T14:50:00Z', '2026-12-01T15:20:00Z'),
  ]);
  const of = (dn: string) =>
    usage.filter((d) => d.dn === dn).map(({ date, callsOut, callsIn, peakConcurrent }) => ({ date, callsOut, callsIn, peakConcurrent }));
  expect(of('0990')).toEqual([{ date: '2026-12-01', callsOut: 2, callsIn: 3, peakConcurrent: 3 }]);
  expect(of('0999')).toEqual([
    { date: '2026-12-01', callsOut: 2, callsIn: 2, peakConcurrent: 1 },
    { date: '2026-12-02', callsOut: 0, callsIn: 0, peakConcurrent: 1 },
  ]);
  expect(of('0996')).toEqual([
    { date: '2026-12-01', callsOut: 1, callsIn: 0, peakConcurrent: 1 },
    { date: '2026-12-02', callsOut: 0, callsIn: 0, peakConcurrent: 1 },
  ]);
});

test("one concept, one place: calls all placed by one line over one trunk give the line the trunk's peak on every day (generated records)", () => {
  const base = Date.parse('2026-12-05T10:00:00Z'); // 19:00 KST: spans cross Seoul midnight
  const arb = fc.array(fc.record({ start: fc.integer({ min: 0, max: 600 }), length: fc.integer({ min: 1, max: 240 }) }), { minLength: 1, maxLength: 40 });
  fc.assert(
    fc.property(arb, (spans) => {
      const calls = spans.map((s, i) =>
        lineCall('0990', `07${i}`, new Date(base + s.start * 60_000).toISOString(), new Date(base + (s.start + s.length) * 60_000).toISOString()),
      );
      const trunk = trunkDailyUsage(calls).map((d) => [d.date, d.peakConcurrent]);
      const line = lineDailyUsage(calls)
        .filter((d) => d.dn === '0990')
        .map((d) => [d.date, d.peakConcurrent]);
      return JSON.stringify(line) === JSON.stringify(trunk);
    }),
  );
});
