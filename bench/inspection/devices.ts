import type { Pool } from 'pg';
import { syntheticDevices } from '../../db/device-seed';
import { listCenters, upsertDevices } from '../../db/devices.repo';

/**
 * Makes the asset register exactly `n` synthetic devices over `centers`
 * centers: the previous size's devices go (nothing references a device row;
 * readings keep their own copy of the id), the new list is upserted in one
 * statement. Returns the centers the inspection will cover.
 */
export async function registerDevices(pool: Pool, n: number, centers: number): Promise<string[]> {
  await pool.query('DELETE FROM devices');
  await upsertDevices(pool, syntheticDevices(n, centers));
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM devices WHERE active');
  if (rows[0]!.n !== n) throw new Error(`the register has ${rows[0]!.n} active devices, expected ${n}`);
  return listCenters(pool);
}
