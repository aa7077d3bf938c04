import type { Pool } from 'pg';
import { loadAddresses, type AddressSnapshot } from './addresses';
import { loadDialplan, type DialplanSnapshot } from './dialplan';
import { loadDispatcher, type DispatcherSnapshot } from './dispatcher';

/**
 * What the PBX SIMULATOR has loaded, as opposed to what the tables say: like
 * Kamailio, routing and dumps follow the last successful (re)load, and a
 * failed reload leaves the previous snapshot in force.
 */
export interface LoadedTables {
  dialplan(): DialplanSnapshot;
  dispatcher(): DispatcherSnapshot;
  addresses(): AddressSnapshot;
  reloadDialplan(): Promise<void>;
  reloadDispatcher(): Promise<void>;
  reloadAddresses(): Promise<void>;
}

export async function loadTables(db: Pool, warn: (line: string) => void): Promise<LoadedTables> {
  let dialplan = await loadDialplan(db, warn);
  let dispatcher = await loadDispatcher(db, warn);
  let addresses = await loadAddresses(db);
  return {
    dialplan: () => dialplan,
    dispatcher: () => dispatcher,
    addresses: () => addresses,
    reloadDialplan: serialised(async () => void (dialplan = await loadDialplan(db, warn))),
    reloadDispatcher: serialised(async () => void (dispatcher = await loadDispatcher(db, warn))),
    reloadAddresses: serialised(async () => void (addresses = await loadAddresses(db))),
  };
}

/** One reload of a table at a time: an older read finishing last must not win over a newer one. */
function serialised(reload: () => Promise<void>): () => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  return () => {
    const next = last.catch(() => undefined).then(reload);
    last = next;
    return next;
  };
}
