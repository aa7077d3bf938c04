import type { Pool } from 'pg';
import { dayOfIsoDate, isoDateOfDay } from '../domain/calendar/local-time';
import { seoulDateOf } from '../domain/calendar/seoul';
import { proposeSavings, type SavingProposal, type SavingsLine } from '../domain/billing/savings';
import { monthsEndingWith } from '../domain/report/periods';
import type { SavingsRules } from '../domain/billing/contracts';
import { simulatedUsageBetween } from './bill-costs.repo';
import { carrierNames, currentReconciliationRules, listBillProfiles } from './billing-config.repo';
import { listTrunkCapacities } from './trunks.repo';

/**
 * The savings proposals as of a Seoul date (its day included), over the `idleDays` before it: from
 * the inventory, the trunks' capacities, the PBX's call records (line_usage_daily,
 * trunk_usage_daily) and the usage charges of the last three months' bills.
 */
export async function savingsProposals(pool: Pool, asOf: string): Promise<SavingProposal[]> {
  return (await savingsAsOf(pool, asOf)).proposals;
}

/** The proposals as a report shows them: with the day they are as of, and whether the call records behind them came from the PBX simulator. */
export async function savingsAsOf(pool: Pool, asOf: string): Promise<{ asOf: string; proposals: SavingProposal[]; simulatedUsage: boolean }> {
  const rules = (await currentReconciliationRules(pool)).savings;
  const toDate = isoDateOfDay(dayOfIsoDate(asOf) + 1);
  const fromDate = isoDateOfDay(dayOfIsoDate(toDate) - rules.idleDays);
  const [proposals, simulatedUsage] = await Promise.all([proposalsBetween(pool, rules, fromDate, toDate), simulatedUsageBetween(pool, fromDate, toDate)]);
  return { asOf, proposals, simulatedUsage };
}

async function proposalsBetween(pool: Pool, rules: SavingsRules, fromDate: string, toDate: string): Promise<SavingProposal[]> {
  const [lines, lineUsage, recordedDays, trunks, peaks, usageCharges] = await Promise.all([
    linesInService(pool),
    usageByDn(pool, fromDate, toDate),
    daysWithRecords(pool, fromDate, toDate),
    listTrunkCapacities(pool),
    trunkPeaks(pool, fromDate, toDate),
    // The last day of the window is the day asked about: its month and the two before.
    recentUsageCharges(pool, isoDateOfDay(dayOfIsoDate(toDate) - 1).slice(0, 7)),
  ]);
  return proposeSavings({
    fromDate,
    toDate,
    lines,
    lineUsage,
    recordedDays,
    // A trunk without a call on a day has no row that day: its days of records are the PBX's.
    trunks: trunks.map((t) => ({ trunk: t.trunk, lineId: t.lineId, channels: t.channels, peak: peaks.get(t.trunk) ?? 0, recordedDays })),
    usageCharges,
    rules,
  });
}

/** Lines in service with a contract, their carrier named by its bill profile's key where one knows it. */
async function linesInService(pool: Pool): Promise<SavingsLine[]> {
  const profiles = await listBillProfiles(pool);
  const carrierByName = new Map(profiles.flatMap((p) => carrierNames(p).map((n) => [n.trim().toLowerCase(), p.carrier] as const)));
  const { rows } = await pool.query<{
    id: string;
    dn: string;
    center: string;
    line_type: SavingsLine['lineType'];
    carrier: string | null;
    fee: string | null;
    activated: string | null;
  }>(
    `SELECT id, dn, center, line_type, state->'contract'->>'carrier' AS carrier, state->'contract'->>'monthlyFee' AS fee,
            (SELECT min(e->>'at') FROM jsonb_array_elements(state->'history') e WHERE e->>'type' = 'status:ACTIVE') AS activated
       FROM lines WHERE status = 'ACTIVE'`,
  );
  return rows
    .filter((r) => r.activated !== null)
    .map((r) => ({
      lineId: r.id,
      dn: r.dn,
      center: r.center,
      lineType: r.line_type,
      carrier: r.carrier === null ? null : (carrierByName.get(r.carrier.trim().toLowerCase()) ?? r.carrier),
      monthlyFee: r.fee === null ? null : Number(r.fee),
      inServiceFrom: seoulDateOf(Date.parse(r.activated!)),
    }));
}

async function usageByDn(pool: Pool, fromDate: string, toDate: string): Promise<Map<string, { calls: number; minutes: number }>> {
  const { rows } = await pool.query<{ dn: string; calls: number; minutes: string }>(
    `SELECT dn, sum(calls_out + calls_in)::int AS calls, sum(minutes) AS minutes FROM line_usage_daily WHERE date >= $1 AND date < $2 GROUP BY dn`,
    [fromDate, toDate],
  );
  return new Map(rows.map((r) => [r.dn, { calls: r.calls, minutes: Number(r.minutes) }]));
}

async function daysWithRecords(pool: Pool, fromDate: string, toDate: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT date FROM line_usage_daily WHERE date >= $1 AND date < $2
                                      UNION SELECT date FROM trunk_usage_daily WHERE date >= $1 AND date < $2) d`,
    [fromDate, toDate],
  );
  return rows[0]!.n;
}

async function trunkPeaks(pool: Pool, fromDate: string, toDate: string): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ trunk: string; peak: number }>(
    `SELECT trunk, max(peak_concurrent)::int AS peak FROM trunk_usage_daily WHERE date >= $1 AND date < $2 GROUP BY trunk`,
    [fromDate, toDate],
  );
  return new Map(rows.map((r) => [r.trunk, r.peak]));
}

/** Each number's average usage charges over the live bills of the three months up to `month`. */
async function recentUsageCharges(pool: Pool, month: string): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ number: string; fee: string }>(
    `SELECT l.number, avg(l.usage_fee) AS fee FROM bill_lines l JOIN bills b ON b.id = l.bill_id
      WHERE b.month = ANY($1) AND b.status NOT IN ('WITHDRAWN','FAILED') GROUP BY l.number`,
    [monthsEndingWith(month, 3)],
  );
  return new Map(rows.map((r) => [r.number, Math.round(Number(r.fee))]));
}
