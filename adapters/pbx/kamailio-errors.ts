import { VendorConflictError, VendorError, VendorTransientError, VendorValidationError } from '../vendor-errors';
import { KamailioRpcFault } from './kamailio-rpc';

/** Socket errors that mean "the database is not there right now". */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);
/** SQLSTATEs worth a retry: connection exceptions, resources, shutdown, serialization, deadlock. */
const TRANSIENT_SQLSTATE = /^(08|53|57P0[1-3]|40001|40P01)/;

/**
 * One place that turns what PostgreSQL and Kamailio's RPC throw into the
 * vendor errors activities understand. Anything unrecognised (a bug, a schema
 * that is not Kamailio's) passes through unchanged rather than being guessed.
 */
export function toVendorError(err: unknown): unknown {
  if (err instanceof VendorError) return err;
  if (err instanceof KamailioRpcFault) {
    return new VendorTransientError('pbx', `Kamailio refused ${err.method}: ${err.reason}`, { cause: err, status: err.code });
  }
  // Duck-typed: errors from Node's sockets may come from another realm (a test VM) than our `Error`.
  if (typeof err !== 'object' || err === null || typeof (err as { message?: unknown }).message !== 'string') return err;
  const { message, code } = err as { message: string; code?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || TRANSIENT_SQLSTATE.test(code)) {
      return new VendorTransientError('pbx', `Kamailio database unavailable: ${message}`, { cause: err });
    }
    if (code === '23505') return new VendorConflictError('pbx', `already exists: ${message}`, { cause: err });
    if (code.startsWith('22')) return new VendorValidationError('pbx', `rejected by the database: ${message}`, { cause: err });
  }
  // pg's own wording for a pool that cannot connect or a connection that died mid-query.
  if (/timeout exceeded when trying to connect|Connection terminated/i.test(message)) {
    return new VendorTransientError('pbx', `Kamailio database unavailable: ${message}`, { cause: err });
  }
  return err;
}

/** Runs an adapter call so that every failure leaves it as a vendor error where one fits. */
export async function asVendorCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toVendorError(err);
  }
}
