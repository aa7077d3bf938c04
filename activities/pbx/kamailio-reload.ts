import { setTimeout as sleep } from 'node:timers/promises';
import { VendorRateLimitedError } from '../vendor-errors';
import { KamailioRpcFault, type KamailioRpc } from './kamailio-rpc';

/** Kamailio's answer when a reload comes sooner than `reload_delta` allows, or while another runs. */
const RATE_LIMITED = /not ready for reload|ongoing reload/i;

export type ReloadMethod = 'dispatcher.reload' | 'dialplan.reload' | 'permissions.addressReload';

/**
 * Reloads one table into the running Kamailio. A rate-limited reload is tried
 * again for a little longer than Kamailio's default limit (5 s); past that the
 * caller gets VendorRateLimitedError and Temporal retries later. A reload
 * Kamailio refuses for its content surfaces as KamailioRpcFault.
 */
export async function reloadTable(rpc: KamailioRpc, method: ReloadMethod, attempts = 8, delayMs = 750): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await rpc.call(method);
      return;
    } catch (err) {
      if (!(err instanceof KamailioRpcFault) || !RATE_LIMITED.test(err.reason)) throw err;
      if (attempt >= attempts) {
        throw new VendorRateLimitedError('pbx', `${method} is rate-limited by Kamailio (reload_delta)`, 5_000, { cause: err });
      }
      await sleep(delayMs);
    }
  }
}
