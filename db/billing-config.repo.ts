import type { Pool, PoolClient } from 'pg';
import {
  BillProfileInput,
  DEFAULT_RECONCILIATION_RULES,
  ReconciliationRulesInput,
  type BillProfile,
  type ReconciliationRules,
  type ReconciliationRulesView,
} from '../domain/billing/contracts';
import { DEFAULT_BILL_PROFILES } from '../domain/billing/default-profiles';

/**
 * The billing configuration admins edit: each carrier's bill profile and the reconciliation
 * rules. Append-only: every save is a new version, and a bill names the versions it was read
 * and checked with.
 */

type Db = Pick<Pool | PoolClient, 'query'>;

/** Who stands for the shipped defaults while nobody has saved a version (version 0). */
export const DEFAULTS_ACTOR = 'butler (default)';

interface ProfileRow {
  carrier: string;
  version: number;
  profile: BillProfileInput;
  saved_by: string;
  saved_at: Date;
}

const profileOf = (r: ProfileRow): BillProfile => ({
  ...BillProfileInput.parse(r.profile),
  carrier: r.carrier,
  version: r.version,
  updatedBy: r.saved_by,
  updatedAt: r.saved_at.toISOString(),
});

/**
 * The carrier's profile in force: its latest saved version (seedDefaults saves KT, SKB and LGU as
 * version 1), else a shipped default as version 0. Reading never writes: a refused upload changes nothing.
 */
export async function currentBillProfile(pool: Db, carrier: string): Promise<BillProfile | undefined> {
  const latest = await latestProfile(pool, carrier);
  if (latest) return latest;
  const shipped = DEFAULT_BILL_PROFILES[carrier];
  if (!shipped) return undefined;
  return { ...BillProfileInput.parse(shipped), carrier, version: 0, updatedBy: DEFAULTS_ACTOR, updatedAt: new Date(0).toISOString() };
}

async function latestProfile(pool: Db, carrier: string): Promise<BillProfile | undefined> {
  const { rows } = await pool.query<ProfileRow>(
    `SELECT carrier, version, profile, saved_by, saved_at FROM bill_profiles WHERE carrier = $1 ORDER BY version DESC LIMIT 1`,
    [carrier],
  );
  return rows[0] && profileOf(rows[0]);
}

/** Every carrier's profile in force: the saved ones and the shipped defaults not saved yet. */
export async function listBillProfiles(pool: Db): Promise<BillProfile[]> {
  const { rows } = await pool.query<{ carrier: string }>(`SELECT DISTINCT carrier FROM bill_profiles`);
  const carriers = [...new Set([...Object.keys(DEFAULT_BILL_PROFILES), ...rows.map((r) => r.carrier)])].sort();
  const profiles = await Promise.all(carriers.map((c) => currentBillProfile(pool, c)));
  return profiles.filter((p): p is BillProfile => p !== undefined);
}

/** Each carrier's name as its profile in force gives it (KT, SK브로드밴드, LG유플러스…), by carrier key. */
export async function carrierDisplayNames(pool: Db): Promise<Record<string, string>> {
  return Object.fromEntries((await listBillProfiles(pool)).map((p) => [p.carrier, p.displayName]));
}

/** Saves a new version; two admins saving at once both land, one after the other (the loser of the version race tries again). */
export async function saveBillProfile(pool: Pool, carrier: string, profile: BillProfileInput, savedBy: string): Promise<BillProfile> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { rows } = await pool.query<ProfileRow>(
        `INSERT INTO bill_profiles (carrier, version, profile, saved_by)
         SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM bill_profiles WHERE carrier = $1
         RETURNING carrier, version, profile, saved_by, saved_at`,
        [carrier, JSON.stringify(BillProfileInput.parse(profile)), savedBy],
      );
      return profileOf(rows[0]!);
    } catch (err) {
      if ((err as { code?: string }).code !== '23505' || attempt >= 5) throw err;
    }
  }
}

/** Every name a carrier goes by on contracts, for each carrier: its key, its display name and its aliases. */
export function carrierNames(profile: Pick<BillProfile, 'carrier' | 'displayName' | 'aliases'>): string[] {
  return [profile.carrier, profile.displayName, ...profile.aliases];
}

export async function currentReconciliationRules(pool: Db): Promise<ReconciliationRulesView> {
  const { rows } = await pool.query<{ version: number; rules: ReconciliationRules; saved_by: string; saved_at: Date }>(
    `SELECT version, rules, saved_by, saved_at FROM reconciliation_rule_sets ORDER BY version DESC LIMIT 1`,
  );
  const row = rows[0];
  if (!row) return { ...DEFAULT_RECONCILIATION_RULES, version: 0, updatedBy: DEFAULTS_ACTOR, updatedAt: new Date(0).toISOString() };
  // Parsed, so rules saved before a setting existed read with its default.
  return { ...ReconciliationRulesInput.parse(row.rules), version: row.version, updatedBy: row.saved_by, updatedAt: row.saved_at.toISOString() };
}

export async function saveReconciliationRules(pool: Pool, rules: ReconciliationRules, savedBy: string): Promise<ReconciliationRulesView> {
  const { rows } = await pool.query<{ version: number; rules: ReconciliationRules; saved_by: string; saved_at: Date }>(
    `INSERT INTO reconciliation_rule_sets (rules, saved_by) VALUES ($1, $2) RETURNING version, rules, saved_by, saved_at`,
    [JSON.stringify(rules), savedBy],
  );
  const row = rows[0]!;
  return { ...ReconciliationRulesInput.parse(row.rules), version: row.version, updatedBy: row.saved_by, updatedAt: row.saved_at.toISOString() };
}
