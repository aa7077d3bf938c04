import type { Pool } from 'pg';

/**
 * What Butler saw before a vendor create (table `vendor_create_intents`), per
 * operation key. The first look is kept: a retry reads what the first attempt
 * saw, so an object that appeared because of Butler's own lost create is told
 * apart from one that was there before Butler asked.
 */

/**
 * Records the look of one attempt and answers whether Butler ever asked the
 * vendor to create under this key. `found`: the object is there now (kept as
 * is: a first look that found it stays "not asked"); not found: Butler is about
 * to ask, which is recorded before the create is sent.
 */
export async function noteCreateLook(pool: Pool, opKey: string, naturalKey: string, found: boolean): Promise<{ createAsked: boolean }> {
  const { rows } = await pool.query<{ create_asked: boolean }>(
    found
      ? `INSERT INTO vendor_create_intents (op_key, natural_key, create_asked) VALUES ($1, $2, false)
         ON CONFLICT (op_key) DO UPDATE SET op_key = EXCLUDED.op_key RETURNING create_asked`
      : `INSERT INTO vendor_create_intents (op_key, natural_key, create_asked) VALUES ($1, $2, true)
         ON CONFLICT (op_key) DO UPDATE SET create_asked = true RETURNING create_asked`,
    [opKey, naturalKey],
  );
  return { createAsked: rows[0]!.create_asked };
}

/** The state a step replaces, as its first attempt saw it (later attempts get that first value back). */
export async function firstSeenBefore<T>(pool: Pool, opKey: string, naturalKey: string, before: T): Promise<T> {
  const { rows } = await pool.query<{ before: T }>(
    `INSERT INTO vendor_create_intents (op_key, natural_key, create_asked, before) VALUES ($1, $2, false, $3)
     ON CONFLICT (op_key) DO UPDATE SET op_key = EXCLUDED.op_key RETURNING before`,
    [opKey, naturalKey, JSON.stringify(before)],
  );
  return rows[0]!.before;
}
