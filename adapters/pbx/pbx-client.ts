/**
 * What Butler asks of a PBX. One implementation per kind of PBX (Kamailio here,
 * `kamailio-pbx.ts`); the PBX simulator speaks the same protocol, so the same
 * implementation drives both.
 *
 * Every mutating call takes an idempotency key: repeating a call with the same
 * key has no further effect and returns what the first call returned, so an
 * activity retried after a crash never provisions twice. Reads never take one.
 * Failures are VendorError subclasses (vendor-errors.ts).
 */

export interface IdempotencyKey {
  /** Unique per logical operation, e.g. `LN-000001:install:extension`. */
  key: string;
}

/** A DN (directory number) with its SIP account. */
export interface Extension {
  dn: string;
  displayName: string;
  /** SIP domain the extension authenticates in. */
  domain: string;
}

/** The secret of an extension; only the acceptance test reads it, it never enters a workflow history. */
export interface SipCredentials {
  username: string;
  domain: string;
  password: string;
}

/** A desk phone or softphone bound to a DN; its IP is what the PBX admits. */
export interface Phone {
  dn: string;
  ip: string;
  mac?: string;
  model?: string;
}

/** A PRI/SIP trunk towards a carrier: a dispatcher destination in a set. */
export interface Trunk {
  id: string;
  /** Dispatcher set (group) number. */
  setId: number;
  uri: string;
  description?: string;
}

export type TrunkState = 'active' | 'inactive' | 'probing' | 'disabled' | 'unknown';

export interface TrunkStatus extends Trunk {
  state: TrunkState;
}

/** One rule of the dial plan: numbers matching `match` are rewritten to `replace`. */
/** The dial plan the PBX consults for every dialled number (Butler's kamailio.cfg, and the simulator, route by it). */
export const DIALLED_DPID = 1;

export interface DialplanRule {
  id: string;
  /** Dial plan id (the table of rules the route consults). */
  dpid: number;
  priority: number;
  /** Regular expression over the dialled number. */
  match: string;
  /** Substitution pattern and replacement (`subst_exp`/`repl_exp`). */
  substitute: string;
  replace: string;
  description?: string;
}

export interface Registration {
  dn: string;
  contact: string;
  expiresAt: string;
  userAgent?: string;
}

export interface PbxStatistics {
  memory: { totalBytes: number; usedBytes: number; freeBytes: number };
  /** Signalling ports the PBX listens on, and the extensions/trunks it carries. */
  ports: { listening: Array<{ proto: string; address: string; port: number }>; extensions: number; trunks: number; registered: number };
}

/** One answered call as the PBX accounted it (Kamailio acc CDRs): when it was answered and ended, and over which trunk. */
export interface CallRecord {
  callId: string;
  startedAt: string;
  endedAt: string;
  durationSeconds: number;
  /** The caller's extension and the number dialled. */
  caller: string;
  callee: string;
  /** The dispatcher set it left by; empty for a call between extensions. */
  trunk: string;
}

export interface PbxClient {
  createExtension(ext: Extension & { password: string }, idem: IdempotencyKey): Promise<Extension>;
  getExtension(dn: string): Promise<Extension | undefined>;
  listExtensions(): Promise<Extension[]>;
  /** Changes the display name and/or moves the account to a new DN (a DN change). */
  updateExtension(dn: string, patch: { displayName?: string; newDn?: string }, idem: IdempotencyKey): Promise<Extension>;
  removeExtension(dn: string, idem: IdempotencyKey): Promise<void>;
  getSipCredentials(dn: string): Promise<SipCredentials>;

  createPhone(phone: Phone, idem: IdempotencyKey): Promise<Phone>;
  getPhone(dn: string): Promise<Phone | undefined>;
  /** The phone the PBX admits at this IP, whichever DN it serves (the PBX admits an IP once). */
  findPhoneByIp(ip: string): Promise<Phone | undefined>;
  updatePhone(dn: string, patch: { ip?: string; mac?: string; model?: string }, idem: IdempotencyKey): Promise<Phone>;
  removePhone(dn: string, idem: IdempotencyKey): Promise<void>;

  createTrunk(trunk: Omit<Trunk, 'id'> & { id?: string }, idem: IdempotencyKey): Promise<Trunk>;
  getTrunk(id: string): Promise<Trunk | undefined>;
  updateTrunk(id: string, patch: { uri?: string; description?: string }, idem: IdempotencyKey): Promise<Trunk>;
  removeTrunk(id: string, idem: IdempotencyKey): Promise<void>;
  /** Live state as the PBX sees it (dispatcher.list), not just the configuration. */
  trunkStatus(): Promise<TrunkStatus[]>;

  createDialplanRule(rule: Omit<DialplanRule, 'id'> & { id?: string }, idem: IdempotencyKey): Promise<DialplanRule>;
  getDialplanRule(id: string): Promise<DialplanRule | undefined>;
  listDialplanRules(dpid?: number): Promise<DialplanRule[]>;
  updateDialplanRule(id: string, patch: Partial<Omit<DialplanRule, 'id'>>, idem: IdempotencyKey): Promise<DialplanRule>;
  removeDialplanRule(id: string, idem: IdempotencyKey): Promise<void>;
  /** What the running PBX would turn `number` into under dial plan `dpid` (dialplan.translate); undefined when no rule matches. */
  translate(dpid: number, number: string): Promise<string | undefined>;

  registrations(): Promise<Registration[]>;
  statistics(): Promise<PbxStatistics>;
  /** Answered calls that overlap [from, to), oldest first; none when the PBX keeps no call records. */
  callRecords(range: { from: string; to: string }): Promise<CallRecord[]>;
}
