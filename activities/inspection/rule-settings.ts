import type { Pool } from 'pg';
import { DEFAULT_RULES, parseRules, type Rule } from '../../domain/inspection/rules';

/** Where an operator overrides the inspection rules: the settings row `inspection.rules` (a JSON array of rules). */
export const RULES_SETTING = 'inspection.rules';

/** The rules in force: the stored ones if an operator set them (validated), else the defaults. */
export async function loadRules(pool: Pool): Promise<Rule[]> {
  const { rows } = await pool.query<{ value: unknown }>(`SELECT value FROM settings WHERE key = $1`, [RULES_SETTING]);
  return rows[0] ? parseRules(rows[0].value) : DEFAULT_RULES;
}
