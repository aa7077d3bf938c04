import { VendorNotFoundError } from '../../adapters/vendor-errors';
import { liveLineByDn } from '../../db/lines.repo';
import { check, verification } from './checks';
import type { ChangeHandler, ChangeHandlerDeps, ChangeOf } from './handler';

/**
 * A line moved to another plan of its carrier (issue 16's savings). The carrier makes the change,
 * approved by the carrier and the customer; nothing changes on the PBX or the CTI. When the change
 * completes, the inventory follows (domain/line/follow-change.ts: the contract's plan and fee), and
 * the next bill is reconciled against the new fee. Verified here: the line is still the one it was,
 * live with a contract, so the inventory has somewhere to record the new terms.
 */

type LinePlanChange = ChangeOf<'line-plan'>;
export type LinePlanSnapshot = { lineId: string; plan: string | null; monthlyFee: number };

export function linePlanHandler({ pool }: ChangeHandlerDeps): ChangeHandler<LinePlanChange, LinePlanSnapshot> {
  return {
    async snapshot({ target }) {
      const line = await liveLineByDn(pool, target);
      if (!line?.contract) throw new VendorNotFoundError('pbx', `no live line with a contract holds DN ${target}`);
      return { lineId: line.id, plan: line.contract.plan ?? null, monthlyFee: line.contract.monthlyFee };
    },
    async apply() {
      // The carrier's change, recorded by the inventory once the change completes.
    },
    async verify({ target }) {
      const line = await liveLineByDn(pool, target);
      return verification([check(`a live line with a contract at DN ${target}`, true, Boolean(line?.contract))]);
    },
    async restore() {
      // Nothing was changed before completion: the inventory follows only a completed change.
    },
  };
}
