import type { LineType, TrunkSpec } from '../../domain/line/contracts';
import { trunkSetOf } from '../../domain/line/trunk-capacity';
import { DIALLED_DPID, type DialplanRule, type Trunk } from './pbx-client';

/**
 * How a line is routed on the PBX, as data: the dial-plan rule and trunk a
 * line gets, and which account and number its acceptance test uses. Kept
 * apart from the activities so the routing can be read (and tested) alone.
 * The Kamailio configuration (adapters/pbx/kamailio) routes by these conventions.
 */

/** The trunk of a PRI line, in the dispatcher set its id gives (trunkSetOf). */
export function trunkFor(lineId: string, dn: string, trunk: TrunkSpec): Omit<Trunk, 'id'> {
  return { setId: trunkSetOf(lineId), uri: trunk.uri, description: trunk.description ?? `PRI ${dn}` };
}

export function dialplanRuleFor(req: { lineType: LineType; dn: string; routeTo?: string; trunk?: Trunk }): Omit<DialplanRule, 'id'> {
  const match = `^${req.dn}$`;
  switch (req.lineType) {
    case 'extension':
      return { dpid: DIALLED_DPID, priority: 10, match, substitute: match, replace: req.dn, description: `extension ${req.dn}` };
    case 'did':
      return { dpid: DIALLED_DPID, priority: 10, match, substitute: match, replace: req.routeTo ?? req.dn, description: `DID ${req.dn}` };
    case 'pri':
      if (!req.trunk) throw new Error(`a PRI rule needs its trunk (${req.dn})`);
      return { dpid: DIALLED_DPID, priority: 20, match, substitute: match, replace: `ds${req.trunk.setId}-${req.dn}`, description: `PRI ${req.dn}` };
  }
}

export interface AcceptancePlan {
  /** SIP domain of extensions. */
  domain: string;
  /** The test number an extension calls (최종 검수): answered by the test answering point. */
  testNumber: string;
  /** The account that places test calls towards a PRI (the PRI has no account of its own). */
  callerDn: string;
  forLine(line: { lineType: LineType; dn: string; routeTo?: string }): { account: string; calledNumber: string };
}

export function acceptancePlan(opts: { domain: string; testNumber: string; callerDn: string }): AcceptancePlan {
  return {
    ...opts,
    forLine: (line) =>
      line.lineType === 'pri' ? { account: opts.callerDn, calledNumber: line.dn } : { account: line.routeTo ?? line.dn, calledNumber: opts.testNumber },
  };
}
