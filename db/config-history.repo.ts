import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../system/postgres';

/**
 * The configuration history (config_history, migration 24): written by the database's own
 * triggers in the transaction of each change, read here. `asActor` names who makes a change the
 * row itself cannot name (a removal, a contact).
 */

export const CONFIG_KINDS = ['sla-policy', 'auto-close', 'holiday', 'contact', 'alert-rules', 'inspection-rules'] as const;
export type ConfigKind = (typeof CONFIG_KINDS)[number];

export interface ConfigChange {
  id: number;
  kind: ConfigKind;
  key: string;
  validFrom: string;
  actor: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Runs `work` in one transaction whose configuration changes the history attributes to `actor`. */
export async function asActor<T>(pool: Pool, actor: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    await client.query(`SELECT set_config('butler.actor', $1, true)`, [actor]);
    return work(client);
  });
}

type Row = {
  id: string;
  kind: ConfigKind;
  key: string;
  valid_from: Date;
  actor: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

const toChange = (r: Row): ConfigChange => ({
  id: Number(r.id),
  kind: r.kind,
  key: r.key,
  validFrom: r.valid_from.toISOString(),
  actor: r.actor,
  before: r.before,
  after: r.after,
});

/** What was in force at `at`: each key's last change up to then, keys removed by then left out. */
export async function configInForce(pool: Pool, kind: ConfigKind, at: string): Promise<ConfigChange[]> {
  const { rows } = await pool.query<Row>(
    `SELECT * FROM (SELECT DISTINCT ON (key) * FROM config_history WHERE kind = $1 AND valid_from <= $2 ORDER BY key, valid_from DESC, id DESC) latest
      WHERE after IS NOT NULL ORDER BY key`,
    [kind, at],
  );
  return rows.map(toChange);
}

/** The changes of a kind (every kind if none), newest first. */
export async function configChanges(
  pool: Pool,
  f: { kind?: ConfigKind; key?: string; limit: number; offset: number },
): Promise<{ items: ConfigChange[]; total: number }> {
  const [page, count] = await Promise.all([
    pool.query<Row>(
      `SELECT * FROM config_history WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR key = $2)
        ORDER BY valid_from DESC, id DESC LIMIT $3 OFFSET $4`,
      [f.kind ?? null, f.key ?? null, f.limit, f.offset],
    ),
    pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM config_history WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR key = $2)`, [
      f.kind ?? null,
      f.key ?? null,
    ]),
  ]);
  return { items: page.rows.map(toChange), total: count.rows[0]!.n };
}
