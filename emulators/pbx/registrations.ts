import { randomBytes } from 'node:crypto';

/**
 * The PBX SIMULATOR's usrloc: registrations made by its simulated line
 * acceptance, in memory with their expiry (as Kamailio keeps them with
 * db_mode 0), one contact per AoR. AoRs are bare DNs (usrloc's use_domain is
 * off in Butler's kamailio.cfg). Shapes follow Kamailio 5.6's ul.dump.
 */

export interface SimulatedContact {
  address: string;
  userAgent: string;
  callId: string;
  expiresAtMs: number;
  registeredAtMs: number;
}

export interface RegistrationTable {
  save(aor: string, contact: { address: string; userAgent: string; expiresSec: number }): void;
  /** The live contact of `aor`, if it registered and has not expired. */
  lookup(aor: string): SimulatedContact | undefined;
  remove(aor: string): void;
  /** ul.dump's answer; `brief` lists the AoRs only. */
  dump(brief: boolean): unknown;
}

/** The only usrloc table Butler's kamailio.cfg uses. */
export const LOCATION_TABLE = 'location';

export function createRegistrationTable(now: () => number = Date.now): RegistrationTable {
  const contacts = new Map<string, SimulatedContact>();
  const live = (): Array<[string, SimulatedContact]> => {
    for (const [aor, c] of contacts) if (c.expiresAtMs <= now()) contacts.delete(aor);
    return [...contacts.entries()];
  };

  return {
    save(aor, { address, userAgent, expiresSec }) {
      const at = now();
      contacts.set(aor, {
        address,
        userAgent,
        callId: `${randomBytes(6).toString('hex')}@pbx-simulator`,
        registeredAtMs: at,
        expiresAtMs: at + expiresSec * 1000,
      });
    },
    lookup: (aor) => live().find(([a]) => a === aor)?.[1],
    remove: (aor) => void contacts.delete(aor),
    dump(brief) {
      const entries = live();
      const aors = entries.map(([aor, c]) => (brief ? { AoR: aor } : { Info: { AoR: aor, Contacts: [{ Contact: contactInfo(c, now()) }] } }));
      return {
        Domains: [{ Domain: { Domain: LOCATION_TABLE, Size: 1024, AoRs: aors, Stats: { Records: entries.length, 'Max-Slots': entries.length } } }],
      };
    },
  };
}

function contactInfo(c: SimulatedContact, nowMs: number): Record<string, unknown> {
  return {
    Address: c.address,
    Expires: Math.max(0, Math.floor((c.expiresAtMs - nowMs) / 1000)),
    Q: -1,
    'Call-ID': c.callId,
    CSeq: 2,
    'User-Agent': c.userAgent,
    Received: '[not set]',
    Path: '[not set]',
    State: 'CS_NEW',
    Flags: 0,
    CFlags: 0,
    // No SIP socket: nothing was received over SIP.
    Socket: '[not set]',
    Methods: 4294967295,
    'Last-Modified': Math.floor(c.registeredAtMs / 1000),
  };
}
