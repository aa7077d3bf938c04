import { VendorNotFoundError } from '../../adapters/vendor-errors';
import { check, verification } from './checks';
import type { ChangeHandler, ChangeHandlerDeps, ChangeOf } from './handler';
import { phoneSnapshot, restorePhone, type PhoneSnapshot } from './pbx-snapshots';
import { sipAcceptanceChecks } from './sip-check';

/** An IP change re-addresses the phone of a DN: the PBX admits the phone by that IP. */

type IpChange = ChangeOf<'ip-change'>;

export type IpChangeSnapshot = { phone: PhoneSnapshot };

export function ipChangeHandler(deps: ChangeHandlerDeps): ChangeHandler<IpChange, IpChangeSnapshot> {
  const { pbx } = deps;
  return {
    async snapshot({ target: dn }) {
      const phone = await pbx.getPhone(dn);
      if (!phone) throw new VendorNotFoundError('pbx', `DN ${dn} has no phone whose IP could change`);
      return { phone: phoneSnapshot(phone) };
    },

    async apply({ target: dn, params: { ip } }, snapshot, keys) {
      const current = await pbx.getPhone(dn);
      if (!current) throw new VendorNotFoundError('pbx', `the phone of ${dn} was removed after the change was approved`);
      if (current.ip !== ip) await pbx.updatePhone(dn, { ip }, keys('phone'));
    },

    async verify({ target: dn, params: { ip } }) {
      const phone = await pbx.getPhone(dn);
      return verification([check(`IP of the phone of ${dn}`, ip, phone ? phone.ip : 'no phone'), ...(await sipAcceptanceChecks(deps, dn))]);
    },

    async restore(_req, snapshot, keys) {
      await restorePhone(pbx, snapshot.phone, keys);
    },
  };
}
