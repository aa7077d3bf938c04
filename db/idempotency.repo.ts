import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { ConflictError } from '../domain/errors';
import { IDEMPOTENT_UPDATE_PREFIX } from '../domain/update-ids';

/**
 * Idempotency-Key handling for creating POSTs: the first request with a key
 * allocates the resource id; a retry with the same key and body gets the same
 * id; the same key with another body is a conflict.
 */
export async function idForRequest(
  pool: Pool,
  scope: 'incident' | 'line' | 'line-batch' | 'change' | 'termination' | 'inspection' | 'qsr' | 'billing-report',
  body: unknown,
  key: string | undefined,
  allocate: () => Promise<string>,
): Promise<{ id: string; replay: boolean }> {
  if (!key) return { id: await allocate(), replay: false };
  const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const existing = await find(pool, scope, key);
  if (existing) return check(existing, requestHash);
  const candidate = await allocate();
  await pool.query(`INSERT INTO idempotency_keys (scope, key, resource_id, request_hash) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
    scope,
    key,
    candidate,
    requestHash,
  ]);
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

/** One Update request on an existing resource, as its Idempotency-Key stands for it. */
export interface UpdateRequest {
  /** What the resource is ("incident", "line", "change", "inspection", "QSR"). */
  kind: string;
  resourceId: string;
  /** The Update the request sends ("escalate", "approve", …). */
  action: string;
  /** Who sends it (the token's subject): one caller's key never answers for another's request. */
  caller: string;
  body: unknown;
  key: string;
}

export interface UpdateKeyClaim {
  /** The Temporal Update id the key stands for: the same on every retry, different per resource and action. */
  updateId: string;
  /** The first answer, when a request with this key already had one. */
  response: unknown;
  release(): Promise<void>;
  record(response: unknown): Promise<unknown>;
}

/**
 * Idempotency-Key handling for Updates: a key is scoped to its caller and resource, where it
 * stands for one request (action and body). The first request with it stores the key; a retry
 * with the same request gets the first answer (or, while there is none yet, the same Update id);
 * the same key with another action or body is a conflict. The Update id also names the request
 * and the claim (the row's creation): once a refused request has released the key, the next
 * request with it is a new Update, not the refused one's answer.
 */
export async function claimUpdateKey(pool: Pool, request: UpdateRequest): Promise<UpdateKeyClaim> {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const rowKey = sha256(`${request.kind}|${request.resourceId}|${request.caller}|${request.key}`);
  const requestHash = sha256(`${request.action}|${JSON.stringify(request.body)}`);
  await pool.query(`INSERT INTO idempotency_keys (scope, key, resource_id, request_hash) VALUES ('update', $1, $2, $3) ON CONFLICT DO NOTHING`, [
    rowKey,
    request.resourceId,
    requestHash,
  ]);
  const { rows } = await pool.query<{ request_hash: string; response: unknown; claimed: string }>(
    `SELECT request_hash, response, created_at::text AS claimed FROM idempotency_keys WHERE scope = 'update' AND key = $1`,
    [rowKey],
  );
  const row = rows[0];
  // Released by a refused request in between: claim it again.
  if (!row) return claimUpdateKey(pool, request);
  if (row.request_hash !== requestHash) {
    throw new ConflictError(`this Idempotency-Key was used before on ${request.resourceId} with a different action or request body`);
  }
  return {
    updateId: `${IDEMPOTENT_UPDATE_PREFIX}${sha256(`${rowKey}|${requestHash}|${row.claimed}`)}`,
    response: row.response,
    // Only a key without an answer: once answered, the key stays.
    release: async () => {
      await pool.query(`DELETE FROM idempotency_keys WHERE scope = 'update' AND key = $1 AND response IS NULL`, [rowKey]);
    },
    // The first answer stays; a concurrent retry that answers later gets it too.
    record: async (response) => {
      const { rows: stored } = await pool.query<{ response: unknown }>(
        `UPDATE idempotency_keys SET response = COALESCE(response, $2::json) WHERE scope = 'update' AND key = $1 RETURNING response`,
        [rowKey, JSON.stringify(response)],
      );
      return stored[0]?.response ?? response;
    },
  };
}
