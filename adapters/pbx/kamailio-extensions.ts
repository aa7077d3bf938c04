import type { ClientBase, Pool } from 'pg';
import { VendorConflictError, VendorNotFoundError, VendorValidationError } from '../vendor-errors';
import type { Extension, PbxClient } from './pbx-client';
import type { KamailioContext } from './kamailio-context';
import { reloadTable } from './kamailio-reload';
import { mutate } from './kamailio-requests';
import { checkDn, checkPassword, checkText } from './kamailio-validation';

/**
 * Extensions are rows of Kamailio's `subscriber` table (username = DN, with a
 * plaintext password that auth_db checks on every REGISTER and INVITE, so no
 * reload is needed); the display name is in butler_extension.
 */
type ExtensionApi = Pick<PbxClient, 'createExtension' | 'getExtension' | 'listExtensions' | 'updateExtension' | 'removeExtension' | 'getSipCredentials'>;

interface SubscriberRow {
  id: number;
  username: string;
  domain: string;
  password: string;
  display_name: string | null;
}

const SELECT = `SELECT s.id, s.username, s.domain, s.password, e.display_name
  FROM subscriber s LEFT JOIN butler_extension e ON e.subscriber_id = s.id`;

async function find(db: ClientBase | Pool, domain: string, dn: string, lock = false): Promise<SubscriberRow | undefined> {
  const rows = await db.query<SubscriberRow>(`${SELECT} WHERE s.username = $1 AND s.domain = $2${lock ? ' FOR UPDATE OF s' : ''}`, [dn, domain]);
  return rows.rows[0];
}

function toExtension(row: SubscriberRow): Extension {
  return { dn: row.username, displayName: row.display_name ?? '', domain: row.domain };
}

async function setDisplayName(client: ClientBase, subscriberId: number, displayName: string): Promise<void> {
  await client.query(
    `INSERT INTO butler_extension (subscriber_id, display_name) VALUES ($1, $2)
     ON CONFLICT (subscriber_id) DO UPDATE SET display_name = EXCLUDED.display_name`,
    [subscriberId, displayName],
  );
}

export function kamailioExtensions(ctx: KamailioContext): ExtensionApi {
  const { domain } = ctx;
  /** A DN that changes hands must stop ringing where it was registered. */
  const forgetRegistration = async (dn: string) => {
    await ctx.rpc.call('ul.rm', 'location', dn);
  };

  return {
    createExtension: (ext, idem) =>
      ctx.run((pool) => {
        checkDn(ext.dn);
        checkPassword(ext.password);
        checkText(ext.displayName, 'displayName', 128, true);
        if (ext.domain !== domain) throw new VendorValidationError('pbx', `this PBX serves domain ${domain}, not ${ext.domain}`);
        const wanted: Extension = { dn: ext.dn, displayName: ext.displayName, domain };
        return mutate(pool, idem, {
          operation: `createExtension:${ext.dn}`,
          apply: async (client) => {
            const existing = await find(client, domain, ext.dn, true);
            if (existing) {
              if (existing.password === ext.password && existing.display_name === ext.displayName) return { result: wanted };
              throw new VendorConflictError('pbx', `extension ${ext.dn} already exists with other settings`);
            }
            const inserted = await client.query<{ id: number }>('INSERT INTO subscriber (username, domain, password) VALUES ($1, $2, $3) RETURNING id', [
              ext.dn,
              domain,
              ext.password,
            ]);
            await setDisplayName(client, inserted.rows[0]!.id, ext.displayName);
            return { result: wanted };
          },
        });
      }),

    getExtension: (dn) =>
      ctx.run(async (pool) => {
        checkDn(dn);
        const row = await find(pool, domain, dn);
        return row && toExtension(row);
      }),

    listExtensions: () =>
      ctx.run(async (pool) => {
        const rows = await pool.query<SubscriberRow>(`${SELECT} WHERE s.domain = $1 ORDER BY s.username`, [domain]);
        return rows.rows.map(toExtension);
      }),

    updateExtension: (dn, patch, idem) =>
      ctx.run((pool) => {
        checkDn(dn);
        if (patch.newDn !== undefined) checkDn(patch.newDn, 'newDn');
        checkText(patch.displayName, 'displayName', 128, patch.displayName !== undefined);
        const moving = patch.newDn !== undefined && patch.newDn !== dn;
        return mutate(pool, idem, {
          operation: `updateExtension:${dn}`,
          apply: async (client) => {
            const row = await find(client, domain, dn, true);
            if (!row) throw new VendorNotFoundError('pbx', `no extension ${dn}`);
            if (moving) {
              if (await find(client, domain, patch.newDn!)) throw new VendorConflictError('pbx', `extension ${patch.newDn} already exists`);
              await client.query('UPDATE subscriber SET username = $1 WHERE id = $2', [patch.newDn, row.id]);
              // The desk phone follows its DN.
              await client.query(`UPDATE address SET tag = $1 WHERE id IN (SELECT address_id FROM butler_phone WHERE dn = $2)`, [patch.newDn, dn]);
              await client.query('UPDATE butler_phone SET dn = $1 WHERE dn = $2', [patch.newDn, dn]);
            }
            if (patch.displayName !== undefined) await setDisplayName(client, row.id, patch.displayName);
            const updated = await find(client, domain, patch.newDn ?? dn);
            return { result: toExtension(updated!) };
          },
          sync: moving
            ? async () => {
                await forgetRegistration(dn);
                await reloadTable(ctx, 'permissions.addressReload');
              }
            : undefined,
        });
      }),

    removeExtension: (dn, idem) =>
      ctx.run(async (pool) => {
        checkDn(dn);
        await mutate(pool, idem, {
          operation: `removeExtension:${dn}`,
          apply: async (client) => {
            const row = await find(client, domain, dn, true);
            if (!row) throw new VendorNotFoundError('pbx', `no extension ${dn}`);
            await client.query('DELETE FROM subscriber WHERE id = $1', [row.id]);
            return { result: null };
          },
          sync: () => forgetRegistration(dn),
        });
      }),

    getSipCredentials: (dn) =>
      ctx.run(async (pool) => {
        checkDn(dn);
        const row = await find(pool, domain, dn);
        if (!row) throw new VendorNotFoundError('pbx', `no extension ${dn}`);
        return { username: row.username, domain: row.domain, password: row.password };
      }),
  };
}
