import net from 'node:net';
import { VendorValidationError } from '../vendor-errors';
import { DN_PATTERN } from '../../domain/line/contracts';

/**
 * Input checks before anything reaches Kamailio's tables. The limits are the
 * column sizes of Kamailio's schema and what its modules can parse; a value
 * that fails here would otherwise fail later, inside a reload.
 */

function reject(message: string): never {
  throw new VendorValidationError('pbx', message);
}

export function checkIdempotencyKey(key: string): void {
  if (typeof key !== 'string' || key.length < 1 || key.length > 200) reject('an idempotency key is 1–200 characters');
}

/** Same rule as the line contract: digits only, as the PBX dials it. */
export function checkDn(dn: string, field = 'dn'): void {
  if (typeof dn !== 'string' || !DN_PATTERN.test(dn)) reject(`${field} "${dn}" must be 2–15 digits`);
}

export function checkPassword(password: string): void {
  if (typeof password !== 'string' || !/^[\x21-\x7e]{1,64}$/.test(password)) {
    reject('a SIP password is 1–64 printable ASCII characters without spaces');
  }
}

export function checkText(value: string | undefined, field: string, max: number, required = false): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || value.length > max || (required && value.trim() === '')) {
    reject(`${field} must be ${required ? 'non-empty ' : ''}text of at most ${max} characters`);
  }
}

/** The IP a phone registers from; returns the host mask Kamailio's address table wants. */
export function checkIp(ip: string): number {
  const version = typeof ip === 'string' ? net.isIP(ip) : 0;
  if (version === 0) reject(`"${ip}" is not an IP address`);
  return version === 4 ? 32 : 128;
}

export function checkMac(mac: string | undefined): void {
  if (mac !== undefined && !/^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/.test(mac)) reject(`"${mac}" is not a MAC address`);
}

/** Ids travel in dispatcher attrs (`duid=<id>`), so no `;` or `=`. */
export function checkId(id: string, what: string): void {
  if (typeof id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/.test(id)) {
    reject(`${what} id "${id}" must be 1–64 letters, digits or _ . : -`);
  }
}

export function checkSmallInt(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 2_147_483_647) reject(`${field} must be a non-negative integer`);
}

export function checkSipUri(uri: string): void {
  const shape = /^sips?:([^@\s"<>]+@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?(;[^\s"<>]*)?$/;
  if (typeof uri !== 'string' || uri.length > 192 || !shape.test(uri)) reject(`"${uri}" is not a SIP URI like sip:10.0.0.1:5060`);
}

/** A dialled number or a dial-plan output: digits and the keypad's * # +. */
export function checkNumber(number: string): void {
  if (typeof number !== 'string' || !/^[0-9*#+]{1,32}$/.test(number)) reject(`"${number}" is not a dialled number`);
}

/**
 * Kamailio compiles these with PCRE at reload. JavaScript's Unicode mode is
 * stricter than PCRE for nearly everything a dial plan uses; what slips
 * through is caught by the reload and undone (see kamailio-requests.ts).
 */
export function checkDialplanExpressions(rule: { match: string; substitute: string; replace: string }): void {
  checkText(rule.match, 'match', 64, true);
  checkText(rule.substitute, 'substitute', 64, true);
  checkText(rule.replace, 'replace', 256);
  compile(rule.match, 'match');
  const groups = compile(rule.substitute, 'substitute');
  const used = [...rule.replace.matchAll(/\\([0-9])/g)].map((m) => Number(m[1]));
  const highest = Math.max(0, ...used);
  if (highest > groups) reject(`replace uses \\${highest} but substitute has ${groups} group(s)`);
}

/** Compiles `pattern`; returns its number of capturing groups. */
function compile(pattern: string, field: string): number {
  try {
    const probe = new RegExp(`${pattern}|`, 'u').exec('');
    return probe ? probe.length - 1 : 0;
  } catch (cause) {
    throw new VendorValidationError('pbx', `${field} is not a valid regular expression: ${(cause as Error).message}`, { cause });
  }
}
