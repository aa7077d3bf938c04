import type { ClientBase, Pool } from 'pg';
import { z } from 'zod';
import { VendorConflictError, VendorNotFoundError } from '../vendor-errors';
import type { PbxClient, Trunk, TrunkState, TrunkStatus } from './pbx-client';
import type { KamailioContext } from './kamailio-context';
import { reloadTable } from './kamailio-reload';
import { mutate } from './kamailio-requests';
import { KamailioRpcFault } from './kamailio-rpc';
import { checkId, checkSipUri, checkSmallInt, checkText } from './kamailio-validation';

/**
 * A trunk is a row of the dispatcher table: a destination URI in a set, with
 * `duid=<trunk id>` in its attrs so Kamailio's own dispatcher.list names it.
 * Butler's id and full description are in butler_trunk (dispatcher's own
 * description column holds 64 characters). Trunks are not probed, so their
 * live state is active unless an operator disabled them.
 */
type TrunkApi = Pick<PbxClient, 'createTrunk' | 'getTrunk' | 'updateTrunk' | 'removeTrunk' | 'trunkStatus'>;

interface TrunkRow {
  dispatcher_id: number;
  trunk_id: string;
  setid: number;
  destination: string;
  description: string | null;
}

const SELECT = `SELECT t.dispatcher_id, t.trunk_id, d.setid, d.destination, t.description
  FROM butler_trunk t JOIN dispatcher d ON d.id = t.dispatcher_id`;

async function findBy(db: ClientBase | Pool, where: string, params: unknown[], lock = false): Promise<TrunkRow | undefined> {
  const rows = await db.query<TrunkRow>(`${SELECT} WHERE ${where}${lock ? ' FOR UPDATE OF t, d' : ''}`, params);
  return rows.rows[0];
}

function toTrunk(row: TrunkRow): Trunk {
  return { id: row.trunk_id, setId: row.setid, uri: row.destination, ...(row.description ? { description: row.description } : {}) };
}

async function writeRow(client: ClientBase, row: TrunkRow): Promise<void> {
  await client.query('UPDATE dispatcher SET destination = $1, description = $2 WHERE id = $3', [
    row.destination,
    (row.description ?? '').slice(0, 64),
    row.dispatcher_id,
  ]);
  await client.query('UPDATE butler_trunk SET description = $1 WHERE dispatcher_id = $2', [row.description, row.dispatcher_id]);
}

/** dispatcher.list: sets of destinations, each with flags (A active, I inactive, D disabled, T trying) and attrs. */
const DispatcherList = z.object({
  RECORDS: z.array(
    z.object({
      SET: z.object({
        ID: z.number(),
        TARGETS: z.array(
          z.object({ DEST: z.object({ URI: z.string(), FLAGS: z.string(), ATTRS: z.object({ DUID: z.string().nullish() }).passthrough().nullish() }) }),
        ),
      }),
    }),
  ),
});

const STATES: Record<string, TrunkState> = { A: 'active', I: 'inactive', D: 'disabled', T: 'probing' };

export function kamailioTrunks(ctx: KamailioContext): TrunkApi {
  const sync = () => reloadTable(ctx, 'dispatcher.reload');

  return {
    createTrunk: (trunk, idem) =>
      ctx.run((pool) => {
        if (trunk.id !== undefined) checkId(trunk.id, 'trunk');
        checkSmallInt(trunk.setId, 'setId');
        checkSipUri(trunk.uri);
        checkText(trunk.description, 'description', 200);
        return mutate(pool, idem, {
          operation: `createTrunk:${trunk.id ?? `${trunk.setId}:${trunk.uri}`}`,
          apply: async (client) => {
            const same = (row: TrunkRow) => row.setid === trunk.setId && row.destination === trunk.uri && (row.description ?? undefined) === trunk.description;
            const byId = trunk.id === undefined ? undefined : await findBy(client, 't.trunk_id = $1', [trunk.id], true);
            const byTarget = await findBy(client, 'd.setid = $1 AND d.destination = $2', [trunk.setId, trunk.uri], true);
            if (byId) {
              if (same(byId)) return { result: toTrunk(byId) };
              throw new VendorConflictError('pbx', `trunk ${trunk.id} already exists with other settings`);
            }
            if (byTarget) {
              if (trunk.id === undefined && same(byTarget)) return { result: toTrunk(byTarget) };
              throw new VendorConflictError('pbx', `set ${trunk.setId} already routes to ${trunk.uri} (trunk ${byTarget.trunk_id})`);
            }
            const inserted = await client.query<{ id: number }>(
              `INSERT INTO dispatcher (setid, destination, flags, priority, attrs, description)
               VALUES ($1, $2, 0, 0, '', $3) RETURNING id`,
              [trunk.setId, trunk.uri, (trunk.description ?? '').slice(0, 64)],
            );
            const dispatcherId = inserted.rows[0]!.id;
            const id = trunk.id ?? `ds-${dispatcherId}`;
            await client.query('UPDATE dispatcher SET attrs = $1 WHERE id = $2', [`duid=${id}`, dispatcherId]);
            await client.query('INSERT INTO butler_trunk (dispatcher_id, trunk_id, description) VALUES ($1, $2, $3)', [
              dispatcherId,
              id,
              trunk.description ?? null,
            ]);
            return {
              result: { id, setId: trunk.setId, uri: trunk.uri, ...(trunk.description ? { description: trunk.description } : {}) },
              undo: async (c) => void (await c.query('DELETE FROM dispatcher WHERE id = $1', [dispatcherId])),
            };
          },
          sync,
        });
      }),

    getTrunk: (id) =>
      ctx.run(async (pool) => {
        checkId(id, 'trunk');
        const row = await findBy(pool, 't.trunk_id = $1', [id]);
        return row && toTrunk(row);
      }),

    updateTrunk: (id, patch, idem) =>
      ctx.run((pool) => {
        checkId(id, 'trunk');
        if (patch.uri !== undefined) checkSipUri(patch.uri);
        checkText(patch.description, 'description', 200);
        return mutate(pool, idem, {
          operation: `updateTrunk:${id}`,
          apply: async (client) => {
            const before = await findBy(client, 't.trunk_id = $1', [id], true);
            if (!before) throw new VendorNotFoundError('pbx', `no trunk ${id}`);
            const after: TrunkRow = { ...before, destination: patch.uri ?? before.destination, description: patch.description ?? before.description };
            await writeRow(client, after);
            return { result: toTrunk(after), undo: (c) => writeRow(c, before) };
          },
          sync,
        });
      }),

    removeTrunk: (id, idem) =>
      ctx.run(async (pool) => {
        checkId(id, 'trunk');
        await mutate(pool, idem, {
          operation: `removeTrunk:${id}`,
          apply: async (client) => {
            const row = await findBy(client, 't.trunk_id = $1', [id], true);
            if (!row) throw new VendorNotFoundError('pbx', `no trunk ${id}`);
            await client.query('DELETE FROM dispatcher WHERE id = $1', [row.dispatcher_id]);
            return { result: null };
          },
          sync,
        });
      }),

    trunkStatus: () =>
      ctx.run(async (pool) => {
        const live = await dispatcherList(ctx);
        const ids = live.map((t) => t.id);
        const described = await pool.query<{ trunk_id: string; description: string | null }>(
          'SELECT trunk_id, description FROM butler_trunk WHERE trunk_id = ANY($1)',
          [ids],
        );
        const descriptions = new Map(described.rows.map((r) => [r.trunk_id, r.description]));
        return live.map((t) => {
          const description = descriptions.get(t.id);
          return description ? { ...t, description } : t;
        });
      }),
  };
}

/** What Kamailio has loaded, not what the table says. */
export async function dispatcherList(ctx: KamailioContext): Promise<TrunkStatus[]> {
  let reply: unknown;
  try {
    reply = await ctx.rpc.call('dispatcher.list');
  } catch (err) {
    if (err instanceof KamailioRpcFault && /no destination sets/i.test(err.reason)) return [];
    throw err;
  }
  return DispatcherList.parse(reply).RECORDS.flatMap(({ SET }) =>
    SET.TARGETS.map(({ DEST }) => ({
      // A destination Butler did not create has no duid; it is named by where it points.
      id: DEST.ATTRS?.DUID || `set${SET.ID}:${DEST.URI}`,
      setId: SET.ID,
      uri: DEST.URI,
      state: STATES[DEST.FLAGS.charAt(0)] ?? 'unknown',
    })),
  );
}
