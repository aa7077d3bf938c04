import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { ConflictError } from '../domain/errors';

/**
 * Idempotency-Key handling for creating POSTs: the first request with a key
 * allocates the resource id; a retry with the same key and body gets the same
 * id; the same key with another body is a conflict.
 */
export async function idForRequest(
  pool: Pool,
  scope: 'incident' | 'line' | 'change' | 'termination' | 'inspection' | 'qsr',
  body: unknown,
  key: string | undefined,
  allocate: () => Promise<string>,
): Promise<{ id: string; replay: boolean }> {
  if (!key) return { id: await allocate(), replay: false };
  const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const existing = await find(pool, scope, key);
  if (existing) return check(existing, requestHash);
  const candidate = await allocate();
  await pool.query(
    `INSERT INTO idempotency_keys (scope, key, resource_id, request_hash) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [scope, key, candidate, requestHash],
  );
  const stored = (await find(pool, scope, key))!;
  return { ...check(stored, requestHash), replay: stored.resource_id !== candidate };
}

async function find(pool: Pool, scope: string, key: string) {
  const { rows } = await pool.query<{ resource_id: string; request_hash: string }>(
    `SELECT resource_id, request_hash FROM idempotency_keys WHERE scope = $1 AND key = $2`,
    [scope, key],
  );
  return rows[0];
}

function check(row: { resource_id: string; request_hash: string }, requestHash: string): { id: string; replay: boolean } {
  if (row.request_hash !== requestHash) throw new ConflictError('this Idempotency-Key was used before with a different request body');
  return { id: row.resource_id, replay: true };
}
