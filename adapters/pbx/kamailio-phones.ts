import type { ClientBase, Pool } from 'pg';
import { VendorConflictError, VendorNotFoundError } from '../vendor-errors';
import type { PbxClient, Phone } from './pbx-client';
import type { KamailioContext } from './kamailio-context';
import { reloadTable } from './kamailio-reload';
import { mutate } from './kamailio-requests';
import { checkDn, checkIp, checkMac, checkText } from './kamailio-validation';

/**
 * A phone is a row of the permissions module's `address` table (group 1, its
 * IP as a host address, tag = DN), reloaded with permissions.addressReload;
 * which DN it serves, its MAC and model are in butler_phone (one phone per DN).
 */
type PhoneApi = Pick<PbxClient, 'createPhone' | 'getPhone' | 'findPhoneByIp' | 'updatePhone' | 'removePhone'>;

export const PHONE_ADDRESS_GROUP = 1;

interface PhoneRow {
  address_id: number;
  ip_addr: string;
  mask: number;
  dn: string;
  mac: string | null;
  model: string | null;
}

async function find(db: ClientBase | Pool, dn: string, lock = false): Promise<PhoneRow | undefined> {
  const rows = await db.query<PhoneRow>(
    `SELECT p.address_id, a.ip_addr, a.mask, p.dn, p.mac, p.model
       FROM butler_phone p JOIN address a ON a.id = p.address_id
      WHERE p.dn = $1${lock ? ' FOR UPDATE OF p, a' : ''}`,
    [dn],
  );
  return rows.rows[0];
}

function toPhone(row: PhoneRow): Phone {
  return { dn: row.dn, ip: row.ip_addr, ...(row.mac ? { mac: row.mac } : {}), ...(row.model ? { model: row.model } : {}) };
}

async function writeRow(client: ClientBase, row: PhoneRow): Promise<void> {
  await client.query('UPDATE address SET ip_addr = $1, mask = $2 WHERE id = $3', [row.ip_addr, row.mask, row.address_id]);
  await client.query('UPDATE butler_phone SET mac = $1, model = $2 WHERE address_id = $3', [row.mac, row.model, row.address_id]);
}

export function kamailioPhones(ctx: KamailioContext): PhoneApi {
  const sync = () => reloadTable(ctx, 'permissions.addressReload');

  return {
    createPhone: (phone, idem) =>
      ctx.run((pool) => {
        checkDn(phone.dn);
        const mask = checkIp(phone.ip);
        checkMac(phone.mac);
        checkText(phone.model, 'model', 100);
        return mutate(pool, idem, {
          operation: `createPhone:${phone.dn}`,
          apply: async (client) => {
            const existing = await find(client, phone.dn, true);
            if (existing) {
              const same = existing.ip_addr === phone.ip && (existing.mac ?? undefined) === phone.mac && (existing.model ?? undefined) === phone.model;
              if (same) return { result: toPhone(existing) };
              throw new VendorConflictError('pbx', `DN ${phone.dn} already has a phone with other settings`);
            }
            const address = await client.query<{ id: number }>('INSERT INTO address (grp, ip_addr, mask, port, tag) VALUES ($1, $2, $3, 0, $4) RETURNING id', [
              PHONE_ADDRESS_GROUP,
              phone.ip,
              mask,
              phone.dn,
            ]);
            const id = address.rows[0]!.id;
            await client.query('INSERT INTO butler_phone (address_id, dn, mac, model) VALUES ($1, $2, $3, $4)', [
              id,
              phone.dn,
              phone.mac ?? null,
              phone.model ?? null,
            ]);
            return {
              result: toPhone({ address_id: id, ip_addr: phone.ip, mask, dn: phone.dn, mac: phone.mac ?? null, model: phone.model ?? null }),
              undo: async (c) => void (await c.query('DELETE FROM address WHERE id = $1', [id])),
            };
          },
          sync,
        });
      }),

    getPhone: (dn) =>
      ctx.run(async (pool) => {
        checkDn(dn);
        const row = await find(pool, dn);
        return row && toPhone(row);
      }),

    findPhoneByIp: (ip) =>
      ctx.run(async (pool) => {
        checkIp(ip);
        const rows = await pool.query<PhoneRow>(
          `SELECT p.address_id, a.ip_addr, a.mask, p.dn, p.mac, p.model
             FROM butler_phone p JOIN address a ON a.id = p.address_id
            WHERE a.ip_addr = $1 ORDER BY p.dn LIMIT 1`,
          [ip],
        );
        return rows.rows[0] && toPhone(rows.rows[0]);
      }),

    updatePhone: (dn, patch, idem) =>
      ctx.run((pool) => {
        checkDn(dn);
        const mask = patch.ip === undefined ? undefined : checkIp(patch.ip);
        checkMac(patch.mac);
        checkText(patch.model, 'model', 100);
        return mutate(pool, idem, {
          operation: `updatePhone:${dn}`,
          apply: async (client) => {
            const before = await find(client, dn, true);
            if (!before) throw new VendorNotFoundError('pbx', `DN ${dn} has no phone`);
            const after: PhoneRow = {
              ...before,
              ip_addr: patch.ip ?? before.ip_addr,
              mask: mask ?? before.mask,
              mac: patch.mac ?? before.mac,
              model: patch.model ?? before.model,
            };
            await writeRow(client, after);
            return { result: toPhone(after), undo: (c) => writeRow(c, before) };
          },
          sync,
        });
      }),

    removePhone: (dn, idem) =>
      ctx.run(async (pool) => {
        checkDn(dn);
        await mutate(pool, idem, {
          operation: `removePhone:${dn}`,
          apply: async (client) => {
            const row = await find(client, dn, true);
            if (!row) throw new VendorNotFoundError('pbx', `DN ${dn} has no phone`);
            await client.query('DELETE FROM address WHERE id = $1', [row.address_id]);
            return { result: null };
          },
          sync,
        });
      }),
  };
}
