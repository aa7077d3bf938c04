import { mergeLineUsage, type AgentLineSpan } from '../../domain/line/line-usage-merge';
import { ctiDuring, usageOriginOn, type UsageOrigin, type UsageSourcesVersion } from '../../domain/line/usage-sources';

const day = (dn: string, date: string, callsOut = 1, callsIn = 0, minutes = 2) => ({ dn, date, callsOut, callsIn, minutes, peakConcurrent: 1 });
const talk = (agentId: string, date: string, callsIn = 10, callsOut = 1, talkSeconds = 600) => ({ agentId, date, callsIn, callsOut, talkSeconds });

describe('usageOriginOn and ctiDuring: the version in force at a Seoul day end', () => {
  const versions: UsageSourcesVersion[] = [
    { centers: { B: 'cti' }, savedAt: '2026-11-10T03:00:00.000Z' }, // 12:00 Seoul on 11-10
    { centers: {}, savedAt: '2026-11-20T14:59:00.000Z' }, // 23:59 Seoul on 11-20
  ];
  test.each([
    ['2026-11-09', 'pbx'],
    ['2026-11-10', 'cti'],
    ['2026-11-19', 'cti'],
    ['2026-11-20', 'pbx'],
  ] as const)('B on %s: %s', (date, origin) => {
    expect(usageOriginOn(versions, 'B', date)).toBe(origin);
    expect(usageOriginOn(versions, 'A', date)).toBe('pbx');
  });
  test('the CTI is asked only for spans it had a day of', () => {
    expect(ctiDuring(versions, '2026-11-01', '2026-11-10')).toBe(false);
    expect(ctiDuring(versions, '2026-11-01', '2026-11-11')).toBe(true);
    expect(ctiDuring(versions, '2026-11-15', '2026-11-16')).toBe(true);
    expect(ctiDuring(versions, '2026-11-20', '2026-12-01')).toBe(false);
    expect(ctiDuring([], '2026-11-01', '2026-12-01')).toBe(false);
  });
});

describe('mergeLineUsage', () => {
  const spans: AgentLineSpan[] = [
    { agentId: 'a1', dn: '0702', center: 'B', installedOn: '2026-01-05', endsOn: null },
    // a2 served 0703 until its termination took effect on 11-15, then 0705 adopted it.
    { agentId: 'a2', dn: '0703', center: 'B', installedOn: '2026-01-05', endsOn: '2026-11-15' },
    { agentId: 'a2', dn: '0705', center: 'B', installedOn: '2026-11-15', endsOn: null },
    { agentId: 'a3', dn: '0801', center: 'A', installedOn: '2026-01-05', endsOn: null },
  ];
  const bIsCti = (center: string): UsageOrigin => (center === 'B' ? 'cti' : 'pbx');

  test("a CTI center's lines with an agent take the agent's talk, not the PBX's days; other lines keep the PBX's", () => {
    const merged = mergeLineUsage({
      pbxDays: [day('0701', '2026-11-02'), day('0702', '2026-11-02'), day('0704', '2026-11-02'), day('0801', '2026-11-02')],
      agentDays: [talk('a1', '2026-11-02'), talk('a1', '2026-11-03', 5, 0, 90), talk('a3', '2026-11-02'), talk('nobody', '2026-11-02')],
      agentLines: spans,
      originOn: bIsCti,
    });
    expect(merged).toEqual([
      { dn: '0701', date: '2026-11-02', callsOut: 1, callsIn: 0, minutes: 2, peakConcurrent: 1, origin: 'pbx' },
      // The CTI's daily sums have no call's start and end: no peak, rather than the PBX's or 0.
      { dn: '0702', date: '2026-11-02', callsOut: 1, callsIn: 10, minutes: 10, peakConcurrent: null, origin: 'cti' },
      { dn: '0702', date: '2026-11-03', callsOut: 0, callsIn: 5, minutes: 1.5, peakConcurrent: null, origin: 'cti' },
      // 0704 is in no agent's span: the CTI cannot speak for it.
      { dn: '0704', date: '2026-11-02', callsOut: 1, callsIn: 0, minutes: 2, peakConcurrent: 1, origin: 'pbx' },
      // a3's center is the PBX's: its talk is not used, its line's PBX day is.
      { dn: '0801', date: '2026-11-02', callsOut: 1, callsIn: 0, minutes: 2, peakConcurrent: 1, origin: 'pbx' },
    ]);
  });

  test("an agent moved to another line: each day's talk goes to the line it served that day, never to both", () => {
    const merged = mergeLineUsage({
      pbxDays: [],
      agentDays: [talk('a2', '2026-11-14'), talk('a2', '2026-11-15'), talk('a2', '2026-01-04')],
      agentLines: spans,
      originOn: bIsCti,
    });
    expect(merged.map((d) => [d.dn, d.date])).toEqual([
      ['0703', '2026-11-14'],
      ['0705', '2026-11-15'],
    ]);
  });

  test("on the days its center was the PBX's, a line keeps its PBX days and its agent's talk is not used", () => {
    const originOn = (center: string, date: string): UsageOrigin => (center === 'B' && date >= '2026-11-10' ? 'cti' : 'pbx');
    const merged = mergeLineUsage({
      pbxDays: [day('0702', '2026-11-09'), day('0702', '2026-11-10')],
      agentDays: [talk('a1', '2026-11-09'), talk('a1', '2026-11-10')],
      agentLines: spans,
      originOn,
    });
    expect(merged.map((d) => [d.date, d.origin, d.callsIn])).toEqual([
      ['2026-11-09', 'pbx', 0],
      ['2026-11-10', 'cti', 10],
    ]);
  });
});
