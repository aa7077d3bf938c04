import v8 from 'node:v8';
import { addressDump } from './addresses';
import { translate } from './dialplan';
import { dispatcherList } from './dispatcher';
import type { LoadedTables } from './loaded-tables';
import { LOCATION_TABLE, type RegistrationTable } from './registrations';
import { KAMAILIO_FAULTS, RpcFault } from './rpc-fault';

/**
 * The JSON-RPC methods the PBX SIMULATOR answers: those the Kamailio adapter
 * (activities/pbx/kamailio-*.ts) and the embedded-Kamailio start-up call,
 * plus permissions.addressDump, the only way to see what addressReload
 * loaded. Results and fault messages are Kamailio 5.6's, captured from it.
 */

export type RpcHandler = (params: readonly unknown[]) => unknown;

export interface RpcMethodDeps {
  tables: LoadedTables;
  registrations: RegistrationTable;
  /** The simulator's one listening socket: its JSON-RPC port. */
  listening: { host: string; port: () => number };
  warn(line: string): void;
}

export function simulatedMethods(deps: RpcMethodDeps): ReadonlyMap<string, RpcHandler> {
  const { tables, registrations } = deps;
  /** A reload that fails for any reason answers as Kamailio's does; the cause goes to the log. */
  const reload = (run: () => Promise<void>, failed: string, ok: unknown) => async () => {
    try {
      await run();
      return ok;
    } catch (err) {
      if (err instanceof RpcFault) throw err;
      deps.warn(`PBX SIMULATOR: reload failed: ${(err as Error).message}`);
      throw new RpcFault(failed);
    }
  };
  let maxUsed = 0;

  return new Map<string, RpcHandler>([
    ['dialplan.reload', reload(tables.reloadDialplan, KAMAILIO_FAULTS.dialplanReloadFailed, {})],
    ['dialplan.translate', (params) => translate(tables.dialplan(), dpidParam(params[0]), textParam(params[1]))],
    ['dispatcher.reload', reload(tables.reloadDispatcher, KAMAILIO_FAULTS.dispatcherReloadFailed, 'Ok. Dispatcher successfully reloaded.')],
    ['dispatcher.list', () => dispatcherList(tables.dispatcher())],
    ['permissions.addressReload', reload(tables.reloadAddresses, KAMAILIO_FAULTS.addressReloadFailed, 'Reload OK')],
    ['permissions.addressDump', () => addressDump(tables.addresses())],
    ['ul.dump', (params) => registrations.dump(params[0] === 'brief')],
    [
      'ul.rm',
      (params) => {
        if (params.length < 2) throw new RpcFault(KAMAILIO_FAULTS.ulMissingParameters);
        if (params[0] !== LOCATION_TABLE) throw new RpcFault(KAMAILIO_FAULTS.ulTableNotFound);
        registrations.remove(textParam(params[1]));
        return {};
      },
    ],
    [
      'core.shmmem',
      () => {
        // Kamailio's shared memory is a fixed pool; the V8 heap limit and use are the nearest thing here.
        const heap = v8.getHeapStatistics();
        maxUsed = Math.max(maxUsed, heap.used_heap_size);
        const total = heap.heap_size_limit;
        return { total, free: total - heap.used_heap_size, used: heap.used_heap_size, real_used: heap.used_heap_size, max_used: maxUsed, fragments: 0 };
      },
    ],
    ['corex.list_sockets', () => [socket(deps.listening.host, deps.listening.port())]],
    ['core.ps', () => [process.pid, 'main process - PBX SIMULATOR (JSON-RPC only, no SIP)']],
  ]);
}

function socket(host: string, port: number): Record<string, unknown> {
  return { PROTO: 'tcp', NAME: host, ADDRLIST: { ADDR: host }, PORT: String(port), MCAST: 'no', MHOMED: 'no', VIRTUAL: 'no', SOCKNAME: '-', ADVERTISE: '-' };
}

/** Kamailio takes the dial plan id as a number or a numeric string. */
function dpidParam(value: unknown): number {
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new RpcFault(KAMAILIO_FAULTS.invalidParameters);
  return n;
}

function textParam(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new RpcFault(KAMAILIO_FAULTS.invalidParameters);
  return value;
}
