import { z } from 'zod';
import { dayOfIsoDate } from '../calendar/local-time';
import type { SavingsRules } from './contracts';
import { floorTo10Krw, formatKrw } from './money';

/**
 * Savings proposals (절감 제안): what the inventory, the bills and the PBX's call records say
 * could be paid less, each with the monthly amount it would save and the request that would
 * realise it (a termination, or a change request the carrier and customer approve).
 */

export const SavingKind = z.enum([
  /** A line in service with no call placed or received for 90 days: terminate it. */
  'idle-line',
  /** A trunk whose busiest moment of the quarter used under 30 % of its channels: fewer channels. */
  'oversized-trunk',
  /** A line whose contract costs more than a plan of its carrier that covers its usage: change plan. */
  'plan-dearer-than-use',
]);
export type SavingKind = z.infer<typeof SavingKind>;

export const SAVING_TITLES: Record<SavingKind, string> = {
  'idle-line': '미사용 회선 해지',
  'oversized-trunk': '트렁크 채널 축소',
  'plan-dearer-than-use': '요금제 변경',
};

/** What one click starts: the line's termination, or a change request. */
export const SavingAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('terminate-line'), lineId: z.string(), reason: z.string() }),
  z.object({ kind: z.literal('change'), type: z.enum(['trunk-channels', 'line-plan']), target: z.string(), params: z.record(z.unknown()), reason: z.string() }),
]);
export type SavingAction = z.infer<typeof SavingAction>;

export const SavingProposal = z.object({
  /** Stable while the situation lasts: `idle-line:LN-000012`, `oversized-trunk:223`, `plan-dearer-than-use:LN-000031`. */
  key: z.string(),
  kind: SavingKind,
  lineId: z.string().nullable(),
  trunk: z.string().nullable(),
  dn: z.string().nullable(),
  center: z.string().nullable(),
  carrier: z.string().nullable(),
  monthlySavingKrw: z.number().int(),
  /** One Korean sentence: what was seen and what is proposed. */
  detail: z.string(),
  action: SavingAction,
});
export type SavingProposal = z.infer<typeof SavingProposal>;

/** A line the savings look at: in service, with a contract. */
export interface SavingsLine {
  lineId: string;
  dn: string;
  center: string;
  lineType: 'extension' | 'pri' | 'did';
  /** The carrier key its contract names (resolved through the bill profiles' aliases), or null. */
  carrier: string | null;
  monthlyFee: number | null;
  /** The Seoul date it went into service. */
  inServiceFrom: string;
}

export interface SavingsInput {
  /** The window's days: [fromDate, toDate) in Seoul dates, `rules.idleDays` long. */
  fromDate: string;
  toDate: string;
  lines: readonly SavingsLine[];
  /** Calls (placed + received) and minutes per DN over the window, from the PBX's call records. */
  lineUsage: ReadonlyMap<string, { calls: number; minutes: number }>;
  /** Days of the window on which call records were collected at all: without them, no call is not idleness. */
  recordedDays: number;
  /** Each trunk with its channels, the PRI line it is (if any), and its busiest moment over the window. */
  trunks: ReadonlyArray<{ trunk: string; lineId: string | null; channels: number; peak: number | null; recordedDays: number }>;
  /** Each DN's average usage charges on its last bills (KRW a month), when billed. */
  usageCharges: ReadonlyMap<string, number>;
  rules: SavingsRules;
}

/**
 * The savings proposals as the rules see the window: idle lines (no call on any recorded day, usage
 * recorded on at least two thirds of the days), oversized trunks (a recorded peak at or under the
 * share), and lines whose contract plus usage costs more than the cheapest plan of their carrier for
 * their minutes. Ordered by saving, largest first.
 */
export function proposeSavings(input: SavingsInput): SavingProposal[] {
  const { rules } = input;
  const days = dayCount(input.fromDate, input.toDate);
  const enoughRecords = (recorded: number) => recorded * 3 >= days * 2;
  const byLine = new Map(input.lines.map((l) => [l.lineId, l]));
  const proposals: SavingProposal[] = [];

  // Without records on most days, a line's calls and minutes say nothing about it.
  const lines = enoughRecords(input.recordedDays) ? input.lines : [];
  for (const line of lines) {
    if (line.lineType === 'pri' || line.monthlyFee === null || line.inServiceFrom > input.fromDate) continue;
    const usage = input.lineUsage.get(line.dn) ?? { calls: 0, minutes: 0 };
    if (usage.calls === 0) {
      proposals.push(idleLine(line, line.monthlyFee, days, input.recordedDays));
      continue;
    }
    // Minutes a month over the days that were recorded: a day without records is not a day without calls.
    const plan = cheaperPlan(line, usage.minutes * (30 / input.recordedDays), input.usageCharges.get(line.dn) ?? 0, rules);
    if (plan) proposals.push(plan);
  }
  for (const trunk of input.trunks) {
    if (trunk.peak === null || !enoughRecords(trunk.recordedDays)) continue;
    if (trunk.peak * 100 > trunk.channels * rules.trunkPeakPercent) continue;
    const line = trunk.lineId ? byLine.get(trunk.lineId) : undefined;
    proposals.push(oversizedTrunk(trunk, line, rules));
  }
  return proposals.sort((a, b) => b.monthlySavingKrw - a.monthlySavingKrw || a.key.localeCompare(b.key));
}

function idleLine(line: SavingsLine, fee: number, days: number, recorded: number): SavingProposal {
  return {
    key: `idle-line:${line.lineId}`,
    kind: 'idle-line',
    lineId: line.lineId,
    trunk: null,
    dn: line.dn,
    center: line.center,
    carrier: line.carrier,
    monthlySavingKrw: fee,
    detail: `${line.center} ${line.dn} 회선은 최근 ${days}일 중 통화 기록이 수집된 ${recorded}일 동안 발신·착신 통화가 한 건도 없어, 해지하면 월 ${formatKrw(fee)}이 절감됩니다.`,
    action: { kind: 'terminate-line', lineId: line.lineId, reason: `미사용 회선 해지 (최근 ${days}일 통화 없음, 절감 제안)` },
  };
}

function cheaperPlan(line: SavingsLine, monthlyMinutes: number, usageCharges: number, rules: SavingsRules): SavingProposal | null {
  const plans = rules.plans.filter((p) => p.carrier === line.carrier);
  if (plans.length === 0 || line.monthlyFee === null) return null;
  const costOf = (p: (typeof plans)[number]) => p.monthlyFee + Math.ceil(Math.max(0, monthlyMinutes - p.includedMinutes) * p.perMinuteKrw);
  const best = plans.reduce((a, b) => (costOf(b) < costOf(a) ? b : a));
  const current = line.monthlyFee + usageCharges;
  const saving = floorTo10Krw(current - costOf(best));
  if (saving < rules.planMarginKrw || best.monthlyFee === line.monthlyFee) return null;
  const minutes = Math.round(monthlyMinutes);
  return {
    key: `plan-dearer-than-use:${line.lineId}`,
    kind: 'plan-dearer-than-use',
    lineId: line.lineId,
    trunk: null,
    dn: line.dn,
    center: line.center,
    carrier: line.carrier,
    monthlySavingKrw: saving,
    detail:
      `${line.center} ${line.dn} 회선은 월 ${minutes.toLocaleString('en-US')}분 사용에 기본료 ${formatKrw(line.monthlyFee)}과 통화료 ${formatKrw(usageCharges)}을 내고 있어, ` +
      `'${best.name}' 요금제(월 ${formatKrw(costOf(best))} 예상)로 바꾸면 월 ${formatKrw(saving)}이 절감됩니다.`,
    action: {
      kind: 'change',
      type: 'line-plan',
      target: line.dn,
      params: { plan: best.name, monthlyFee: best.monthlyFee },
      reason: `요금제 변경 '${best.name}' (월 ${minutes}분 사용, 절감 제안)`,
    },
  };
}

function oversizedTrunk(trunk: SavingsInput['trunks'][number], line: SavingsLine | undefined, rules: SavingsRules): SavingProposal {
  const peak = trunk.peak!;
  const proposed = Math.min(trunk.channels, Math.max(1, Math.ceil((peak * 100) / rules.trunkTargetPercent)));
  const fee = line?.monthlyFee ?? null;
  const saving = fee === null ? 0 : floorTo10Krw((fee * (trunk.channels - proposed)) / trunk.channels);
  const where = line ? `${line.center} ${line.dn} PRI 트렁크(${trunk.trunk})` : `트렁크 ${trunk.trunk}`;
  return {
    key: `oversized-trunk:${trunk.trunk}`,
    kind: 'oversized-trunk',
    lineId: line?.lineId ?? null,
    trunk: trunk.trunk,
    dn: line?.dn ?? null,
    center: line?.center ?? null,
    carrier: line?.carrier ?? null,
    monthlySavingKrw: saving,
    detail:
      `${where}는 최대 동시통화 ${peak}채널로 ${trunk.channels}채널의 ${Math.round((peak * 100) / trunk.channels)}%만 사용해, ` +
      `${proposed}채널로 줄이면 ${fee === null ? '요금 정보가 없어 절감액은 계약 확인 후 산정됩니다' : `월 ${formatKrw(saving)}이 절감됩니다`}.`,
    action: {
      kind: 'change',
      type: 'trunk-channels',
      target: trunk.trunk,
      params: { channels: proposed },
      reason: `트렁크 채널 축소 ${trunk.channels} → ${proposed} (최대 동시통화 ${peak}, 절감 제안)`,
    },
  };
}

function dayCount(fromDate: string, toDate: string): number {
  return dayOfIsoDate(toDate) - dayOfIsoDate(fromDate);
}
