import type { Pool } from 'pg';
import { KAMAILIO_FAULTS, RpcFault } from './rpc-fault';

/**
 * The dispatcher module as the PBX SIMULATOR plays it: rows of the dispatcher
 * table, loaded at start and by dispatcher.reload, listed in Kamailio 5.6's
 * dispatcher.list shape (sets newest first, destinations by priority, flags
 * as letters, ATTRS only for a row with attrs). Nothing is probed and no
 * host name is resolved, so a destination is as active as its flags say.
 */

export interface DispatcherRow {
  id: number;
  setid: number;
  destination: string;
  flags: number;
  priority: number;
  attrs: string;
}

/** Destinations per set, in dispatcher.list order. */
export type DispatcherSnapshot = ReadonlyMap<number, readonly DispatcherRow[]>;

// Kamailio's ds flags: the first letter of FLAGS is the state, the second the probing mode.
const INACTIVE = 1;
const TRYING = 2;
const DISABLED = 4;
const PROBING = 8;

const SIP_URI = /^sips?:([^@\s]+@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?(;[^\s]*)?$/;

export async function loadDispatcher(db: Pool, warn: (line: string) => void): Promise<DispatcherSnapshot> {
  const rows = await db.query<DispatcherRow>('SELECT id, setid, destination, flags, priority, attrs FROM dispatcher ORDER BY id');
  return groupDispatcher(rows.rows, warn);
}

/** Throws the RpcFault Kamailio answers a reload with when a destination is not a SIP URI. */
export function groupDispatcher(rows: readonly DispatcherRow[], warn: (line: string) => void): DispatcherSnapshot {
  const bad = rows.find((r) => !SIP_URI.test(r.destination));
  if (bad) {
    warn(`PBX SIMULATOR: dispatcher row ${bad.id} has destination "${bad.destination}", not a SIP URI; the reload fails`);
    throw new RpcFault(KAMAILIO_FAULTS.dispatcherReloadFailed);
  }
  const sets = new Map<number, DispatcherRow[]>();
  for (const row of rows) sets.set(row.setid, [row, ...(sets.get(row.setid) ?? [])]);
  // Kamailio prepends as it loads: the last set seen comes first, and so does the last row of equal priority.
  const ordered = [...sets.entries()].reverse().map(([id, dests]) => [id, [...dests].sort((a, b) => b.priority - a.priority)] as const);
  return new Map(ordered);
}

/** A destination ds_select_dst would pick: neither inactive nor disabled. */
export function usable(dest: DispatcherRow): boolean {
  return (dest.flags & (INACTIVE | DISABLED)) === 0;
}

export function dispatcherList(sets: DispatcherSnapshot): unknown {
  if (sets.size === 0) throw new RpcFault(KAMAILIO_FAULTS.noDestinationSets);
  return {
    NRSETS: sets.size,
    RECORDS: [...sets.entries()].map(([id, dests]) => ({ SET: { ID: id, TARGETS: dests.map((d) => ({ DEST: destination(d) })) } })),
  };
}

function destination(row: DispatcherRow): Record<string, unknown> {
  const dest: Record<string, unknown> = { URI: row.destination, FLAGS: flagLetters(row.flags), PRIORITY: row.priority };
  if (row.attrs !== '') dest.ATTRS = attributes(row.attrs);
  return dest;
}

function flagLetters(flags: number): string {
  const state = flags & INACTIVE ? 'I' : flags & DISABLED ? 'D' : flags & TRYING ? 'T' : 'A';
  return state + (flags & PROBING ? 'P' : 'X');
}

/** attrs is `name=value;…`; Kamailio reports the ones it knows, and the body as written. */
function attributes(body: string): Record<string, unknown> {
  const pairs = new Map(
    body
      .split(';')
      .map((part) => part.split('='))
      .filter((kv): kv is [string, string] => kv.length === 2)
      .map(([k, v]) => [k.trim().toLowerCase(), v.trim()]),
  );
  const int = (name: string) => Number.parseInt(pairs.get(name) ?? '0', 10) || 0;
  return {
    BODY: body,
    DUID: pairs.get('duid') ?? '',
    MAXLOAD: int('maxload'),
    WEIGHT: int('weight'),
    RWEIGHT: int('rweight'),
    SOCKET: null,
    SOCKNAME: null,
    OBPROXY: null,
  };
}
