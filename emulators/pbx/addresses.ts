import net from 'node:net';
import type { Pool } from 'pg';

/**
 * The permissions module's address table as the PBX SIMULATOR plays it:
 * loaded at start and by permissions.addressReload. Like Kamailio, a row whose
 * ip_addr is not an IP is skipped (the reload still succeeds), and
 * permissions.addressDump lists host entries only (full mask); subnets live
 * in Kamailio's subnet table, which nothing in Butler reads.
 */

export interface AddressRow {
  id: number;
  grp: number;
  ip_addr: string;
  mask: number;
  port: number;
  tag: string | null;
}

export type AddressSnapshot = readonly AddressRow[];

export async function loadAddresses(db: Pool): Promise<AddressSnapshot> {
  const rows = await db.query<AddressRow>('SELECT id, grp, ip_addr, mask, port, tag FROM address ORDER BY id');
  return rows.rows.filter((r) => net.isIP(r.ip_addr) !== 0);
}

export function addressDump(addresses: AddressSnapshot): unknown[] {
  return addresses
    .filter((r) => r.mask === (net.isIP(r.ip_addr) === 4 ? 32 : 128))
    .map((r) => ({ table: hashSlot(r.ip_addr), group: r.grp, item: { ip: r.ip_addr, port: r.port, tag: r.tag ?? '' } }));
}

/** Kamailio reports the hash table slot of each entry; any stable number in its range will do. */
function hashSlot(ip: string): number {
  let h = 0;
  for (const ch of ip) h = (h * 31 + ch.charCodeAt(0)) % 128;
  return h;
}
