import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../../system/postgres';
import { VendorConflictError, VendorTransientError, VendorValidationError } from '../vendor-errors';
import type { IdempotencyKey } from './pbx-client';
import { KamailioRpcFault } from './kamailio-rpc';
import { checkIdempotencyKey } from './kamailio-validation';

/**
 * One change to Kamailio's tables, made at most once per idempotency key.
 *
 * `apply` runs in a transaction that also records the key, its operation and
 * the result in butler_pbx_request: either both happen or neither. `sync` then
 * tells the running Kamailio (a reload); it runs again when the key is
 * repeated, because a reload is harmless to repeat and the first one may not
 * have happened (Kamailio down after the commit).
 */
export interface Mutation<T> {
  /** What the key is for, e.g. `createTrunk:pri-1`; the same key for anything else is a conflict. */
  operation: string;
  apply(client: PoolClient): Promise<Applied<T>>;
  sync?(): Promise<void>;
}

export interface Applied<T> {
  result: T;
  /** Restores the rows as they were, should Kamailio refuse to load the change. */
  undo?(client: PoolClient): Promise<void>;
}

interface Recorded {
  operation: string;
  result: unknown;
}

export async function mutate<T>(pool: Pool, idem: IdempotencyKey, m: Mutation<T>): Promise<T> {
  checkIdempotencyKey(idem?.key);
  const outcome = await inTransaction(pool, async (client) => {
    // Two workers retrying the same key at once: the second waits, then replays.
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [idem.key]);
    const prior = await client.query<Recorded>('SELECT operation, result FROM butler_pbx_request WHERE idem_key = $1', [idem.key]);
    const recorded = prior.rows[0];
    if (recorded) {
      if (recorded.operation !== m.operation) {
        throw new VendorConflictError('pbx', `idempotency key "${idem.key}" was used for ${recorded.operation}, not ${m.operation}`);
      }
      return { replayed: true as const, result: recorded.result as T };
    }
    const applied = await m.apply(client);
    await client.query('INSERT INTO butler_pbx_request (idem_key, operation, result) VALUES ($1, $2, $3)', [
      idem.key,
      m.operation,
      JSON.stringify(applied.result ?? null),
    ]);
    return { replayed: false as const, ...applied };
  });
  if (!m.sync) return outcome.result;
  try {
    await m.sync();
  } catch (err) {
    if (!(err instanceof KamailioRpcFault) || outcome.replayed || !outcome.undo) throw err;
    await refuseChange(pool, idem, m, outcome.undo, err);
  }
  return outcome.result;
}

/**
 * Kamailio would not load the table with this change in it (a reload keeps the
 * old rules when one row fails). Leaving the row would make every later
 * reload fail too, so the change and its key are undone and the table
 * reloaded; if that reload works, the change itself was the problem.
 */
async function refuseChange<T>(
  pool: Pool,
  idem: IdempotencyKey,
  m: Mutation<T>,
  undo: (client: PoolClient) => Promise<void>,
  fault: KamailioRpcFault,
): Promise<never> {
  await inTransaction(pool, async (client) => {
    await undo(client);
    await client.query('DELETE FROM butler_pbx_request WHERE idem_key = $1', [idem.key]);
  });
  try {
    await m.sync!();
  } catch (again) {
    throw new VendorTransientError('pbx', `Kamailio refused ${m.operation} (${fault.reason}) and still fails without it; the change was undone`, {
      cause: again,
    });
  }
  throw new VendorValidationError('pbx', `Kamailio refused ${m.operation}: ${fault.reason} (the change was undone)`, { cause: fault });
}
