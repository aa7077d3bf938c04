import type { DataSource } from '../../domain/data-source';

/**
 * Final acceptance of a line (최종 검수): the line really works. The real
 * implementation (`sipp-acceptance.ts`) registers the extension with its
 * credentials and places a test call through the PBX with SIPp.
 */

export interface AcceptanceStep {
  ok: boolean;
  /** SIP-level detail: final response codes, SIPp's statistics line, or why it did not run. */
  detail: string;
}

export interface AcceptanceResult {
  accepted: boolean;
  register: AcceptanceStep;
  call: AcceptanceStep;
  /** Dialled number of the test call. */
  calledNumber: string;
  /** `vendor`: SIP through a real PBX (SIPp); `simulated`: the PBX simulator decided, no SIP was sent. */
  source: DataSource;
}

export interface LineAcceptance {
  /** Registers `credentials` at the PBX and calls `calledNumber`; never throws for a SIP failure, it reports it. */
  accept(credentials: { username: string; domain: string; password: string }, calledNumber: string): Promise<AcceptanceResult>;
}
