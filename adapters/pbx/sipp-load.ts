import type { SipCredentials } from './pbx-client';
import { accountInjection, DEFAULT_SIPP_PATH, runSipp, type SippOutcome } from './sipp-runner';

/**
 * Traffic on a trunk: SIPp places `concurrent` calls at once from one extension to a number
 * routed over the trunk, holds each for `holdMs` and hangs up (the acceptance call, many times).
 * Signalling only. For the trunk-utilization tests and alerts (issue 15), never for production.
 */
export interface ConcurrentCalls {
  pbxSipAddress: string;
  credentials: SipCredentials;
  calledNumber: string;
  concurrent: number;
  holdMs: number;
  localIp?: string;
  sippPath?: string;
}

export function placeConcurrentCalls(c: ConcurrentCalls): Promise<SippOutcome> {
  return runSipp({
    sippPath: c.sippPath ?? DEFAULT_SIPP_PATH,
    scenario: 'call.xml',
    target: c.pbxSipAddress,
    localIp: c.localIp ?? '127.0.0.1',
    injection: [accountInjection(c.credentials)],
    args: ['-s', c.calledNumber, '-d', String(c.holdMs)],
    calls: { total: c.concurrent, concurrent: c.concurrent },
    timeoutMs: c.holdMs + 20_000,
  });
}
