import { setTimeout as sleep } from 'node:timers/promises';
import { VendorRateLimitedError } from '../vendor-errors';
import type { KamailioContext } from './kamailio-context';
import { KamailioRpcFault } from './kamailio-rpc';

/** Kamailio's answer when a reload comes sooner than `reload_delta` allows, or while another runs. */
const RATE_LIMITED = /not ready for reload|ongoing reload/i;

export type ReloadMethod = 'dispatcher.reload' | 'dialplan.reload' | 'permissions.addressReload';

/**
 * Reloads one table into the running Kamailio, one reload of a table at a time.
 *
 * Two overlapping reloads of the same table crash Kamailio 5.6 (a double free
 * in the module's rule cleanup: kamailio/kamailio#1874 for dialplan, #2909 and
 * #1939 for permissions and dispatcher; seen here under the line benchmark). So
 * reloads are serialised: within this process, callers that arrive while a
 * reload waits to start share it (it starts after their change committed, so it
 * carries it); across processes, a PostgreSQL advisory lock on Kamailio's
 * database lets one reload of a table run at a time.
 *
 * A rate-limited reload is tried again for a little longer than Kamailio's
 * default limit (5 s); past that the caller gets VendorRateLimitedError and
 * Temporal retries later. A reload Kamailio refuses for its content surfaces
 * as KamailioRpcFault.
 */
export function reloadTable(ctx: KamailioContext, method: ReloadMethod): Promise<void> {
  const lane = laneOf(ctx, method);
  if (lane.waiting) return lane.waiting;
  const mine = lane.tail
    .catch(() => undefined)
    .then(() => {
      lane.waiting = undefined;
      return ctx.exclusive(method, () => reloadNow(ctx, method));
    });
  lane.waiting = mine;
  lane.tail = mine;
  return mine;
}

interface Lane {
  /** The last reload queued or running. */
  tail: Promise<void>;
  /** A reload queued behind it that has not started yet: new callers join it. */
  waiting?: Promise<void>;
}

const lanes = new WeakMap<KamailioContext, Map<ReloadMethod, Lane>>();

function laneOf(ctx: KamailioContext, method: ReloadMethod): Lane {
  let byMethod = lanes.get(ctx);
  if (!byMethod) lanes.set(ctx, (byMethod = new Map()));
  let lane = byMethod.get(method);
  if (!lane) byMethod.set(method, (lane = { tail: Promise.resolve() }));
  return lane;
}

async function reloadNow(ctx: KamailioContext, method: ReloadMethod, attempts = 8, delayMs = 750): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.rpc.call(method);
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
