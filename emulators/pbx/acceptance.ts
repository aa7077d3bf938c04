import type { Pool } from 'pg';
import { DIALLED_DPID } from '../../adapters/pbx/pbx-client';
import type { AcceptanceStep, LineAcceptance } from '../../adapters/pbx/line-acceptance';
import { VendorTransientError } from '../../adapters/vendor-errors';
import { translate } from './dialplan';
import { usable } from './dispatcher';
import type { PbxFaultInjector } from './faults';
import type { LoadedTables } from './loaded-tables';
import type { RegistrationTable } from './registrations';
import { RpcFault } from './rpc-fault';

/**
 * SIMULATED line acceptance (최종 검수) for machines without Kamailio and
 * SIPp: no SIP is sent. It decides as Butler's kamailio.cfg routes:
 *  - REGISTER succeeds when username, domain and password match a subscriber
 *    row (auth_db reads the table on every request, so no reload matters);
 *    the registration is kept for REGISTRATION_SECONDS, visible in ul.dump;
 *  - the call translates the number with dial plan DIALLED_DPID as last
 *    loaded (no matching rule: the number as dialled); `ds<set>-<number>`
 *    is answered when that dispatcher set has a usable destination (else 503),
 *    anything else when that DN is registered (else 404).
 * Every detail says "simulated", so nobody mistakes it for a SIP test.
 */

export interface SimulatedAcceptanceDeps {
  db: Pool;
  tables: LoadedTables;
  registrations: RegistrationTable;
  faults: PbxFaultInjector;
}

/** As long as the real acceptance registers for (sipp-acceptance.ts). */
export const REGISTRATION_SECONDS = 60;
const NO_SIP = '(simulated by the PBX SIMULATOR; no SIP was sent)';

export function createSimulatedAcceptance(deps: SimulatedAcceptanceDeps): LineAcceptance {
  const register = async ({ username, domain, password }: { username: string; domain: string; password: string }): Promise<AcceptanceStep> => {
    const who = `${username}@${domain}`;
    if (deps.faults.registrationRejected()) return { ok: false, detail: `simulated REGISTER of ${who}: 403 Forbidden, an injected fault ${NO_SIP}` };
    if (!(await subscriberMatches(deps.db, username, domain, password))) {
      return { ok: false, detail: `simulated REGISTER of ${who}: 401 Unauthorized, no subscriber with these credentials ${NO_SIP}` };
    }
    deps.registrations.save(username, {
      address: `sip:${username}@${domain};simulated`,
      userAgent: 'Butler line acceptance (PBX SIMULATOR)',
      expiresSec: REGISTRATION_SECONDS,
    });
    return { ok: true, detail: `simulated REGISTER of ${who}: 200 OK, registered for ${REGISTRATION_SECONDS} s ${NO_SIP}` };
  };

  const call = (calledNumber: string): AcceptanceStep => {
    const routed = translatedOrAsDialled(deps.tables, calledNumber);
    const route = routed === calledNumber ? calledNumber : `${calledNumber} (dial plan ${DIALLED_DPID} → ${routed})`;
    const trunk = /^ds([0-9]+)-/.exec(routed);
    if (trunk) {
      const setId = Number(trunk[1]);
      const dest = deps.tables.dispatcher().get(setId)?.find(usable);
      if (!dest) return { ok: false, detail: `simulated call to ${route}: 503 Trunk Unavailable, dispatcher set ${setId} has no active destination ${NO_SIP}` };
      return { ok: true, detail: `simulated call to ${route}: answered at ${dest.destination} (dispatcher set ${setId}) and released, 200 OK ${NO_SIP}` };
    }
    const contact = deps.registrations.lookup(routed);
    if (!contact) return { ok: false, detail: `simulated call to ${route}: 404 No Route, ${routed} is not registered ${NO_SIP}` };
    return { ok: true, detail: `simulated call to ${route}: answered at ${contact.address} and released, 200 OK ${NO_SIP}` };
  };

  return {
    async accept(credentials, calledNumber) {
      if (!/^[0-9*#+]{1,32}$/.test(calledNumber)) {
        const notRun = { ok: false, detail: `not run: "${calledNumber}" is not a dialled number` };
        return { accepted: false, register: notRun, call: notRun, calledNumber, source: 'simulated' };
      }
      const registered = await register(credentials);
      if (!registered.ok)
        return { accepted: false, register: registered, call: { ok: false, detail: 'not run: registration failed' }, calledNumber, source: 'simulated' };
      const called = call(calledNumber);
      return { accepted: called.ok, register: registered, call: called, calledNumber, source: 'simulated' };
    },
  };
}

async function subscriberMatches(db: Pool, username: string, domain: string, password: string): Promise<boolean> {
  try {
    const rows = await db.query<{ password: string }>('SELECT password FROM subscriber WHERE username = $1 AND domain = $2', [username, domain]);
    return rows.rows.some((r) => r.password === password);
  } catch (cause) {
    throw new VendorTransientError('sip', 'the PBX SIMULATOR could not read its subscriber table', { cause });
  }
}

/** Kamailio's route keeps the dialled number when dp_translate fails. */
function translatedOrAsDialled(tables: LoadedTables, number: string): string {
  try {
    return translate(tables.dialplan(), DIALLED_DPID, number).Output;
  } catch (err) {
    if (err instanceof RpcFault) return number;
    throw err;
  }
}
