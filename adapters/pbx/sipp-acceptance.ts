import type { AcceptanceResult, AcceptanceStep, LineAcceptance } from './line-acceptance';
import { accountInjection, DEFAULT_SIPP_PATH, runSipp, type SippOutcome } from './sipp-runner';

export interface SippAcceptanceOptions {
  /** host:port of the PBX's SIP (UDP) listener. */
  pbxSipAddress: string;
  /** Address SIPp sends from and puts in Via/Contact. */
  localIp: string;
  /** Limit for each step (register, call). */
  timeoutMs: number;
  sippPath?: string;
  /** Lifetime of the acceptance registration; short, since nothing answers at SIPp's port afterwards. */
  registrationExpiresSec?: number;
  /** How long the answered test call is held before the BYE. */
  callHoldMs?: number;
}

type Credentials = Parameters<LineAcceptance['accept']>[0];

/**
 * Line acceptance with SIPp: the extension registers with its own credentials
 * (register.xml: 401 challenge, 200), then calls `calledNumber` (call.xml:
 * 407 challenge, answered 200, ACK, hold, BYE, 200). Each step is one SIPp
 * run; exit code 0 is success, anything else is reported with the last SIP
 * answer and SIPp's reason.
 */
export function createSippAcceptance(opts: SippAcceptanceOptions): LineAcceptance {
  const sippPath = opts.sippPath ?? DEFAULT_SIPP_PATH;
  const expires = opts.registrationExpiresSec ?? 60;
  const base = { sippPath, target: opts.pbxSipAddress, localIp: opts.localIp, timeoutMs: opts.timeoutMs };

  return {
    async accept(credentials, calledNumber): Promise<AcceptanceResult> {
      const unusable = unrepresentable(credentials, calledNumber);
      if (unusable) {
        const notRun = { ok: false, detail: `not run: ${unusable}` };
        return { accepted: false, register: notRun, call: notRun, calledNumber, source: 'vendor' };
      }
      const injection = [accountInjection(credentials)];
      const register = step(
        await runSipp({ ...base, scenario: 'register.xml', injection, args: ['-key', 'expires', String(expires)] }),
        `registered as ${credentials.username}@${credentials.domain} for ${expires} s`,
      );
      if (!register.ok) {
        return { accepted: false, register, call: { ok: false, detail: 'not run: registration failed' }, calledNumber, source: 'vendor' };
      }
      const call = step(
        await runSipp({ ...base, scenario: 'call.xml', injection, args: ['-s', calledNumber, '-d', String(opts.callHoldMs ?? 500)] }),
        `call to ${calledNumber} answered and released`,
      );
      return { accepted: call.ok, register, call, calledNumber, source: 'vendor' };
    },
  };
}

function step(outcome: SippOutcome, success: string): AcceptanceStep {
  if (outcome.ok) return { ok: true, detail: `${success} (last response ${outcome.lastResponse ?? 'none'})` };
  const parts = [
    outcome.lastResponse ? `last response ${outcome.lastResponse}` : 'no SIP response',
    outcome.timedOut ? 'SIPp did not finish in time' : `SIPp exit code ${outcome.exitCode}`,
    outcome.error,
  ];
  return { ok: false, detail: parts.filter(Boolean).join('; ') };
}

/** SIPp reads the account from a `;`-separated injection file; the digest keyword ends at `]` and splits at spaces. */
function unrepresentable(c: Credentials, calledNumber: string): string | undefined {
  const safe = /^[^\s;[\]]+$/;
  if (!safe.test(c.username) || !safe.test(c.domain)) return 'the username or domain contains a space, ; [ or ]';
  if (!safe.test(c.password)) return 'the password contains a space, ; [ or ], which SIPp cannot take from an injection file';
  if (!/^[0-9*#+]{1,32}$/.test(calledNumber)) return `"${calledNumber}" is not a dialled number`;
  return undefined;
}
