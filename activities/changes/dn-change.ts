import { VendorConflictError, VendorNotFoundError } from '../../adapters/vendor-errors';
import { check, verification } from './checks';
import type { ChangeHandler, ChangeHandlerDeps, ChangeOf } from './handler';
import {
  extensionSnapshot,
  phoneSnapshot,
  restorePhone,
  restoreRule,
  ruleSnapshot,
  type ExtensionSnapshot,
  type PhoneSnapshot,
  type RuleSnapshot,
} from './pbx-snapshots';
import { sipAcceptanceChecks } from './sip-check';

/**
 * A DN change moves a line to a new number: its SIP account, its phone and
 * the dial-plan rules that route to it. The line's own rule (its number
 * dialled to itself, `^<dn>$`, installed with it) moves with it, so the old
 * number is free on the PBX too; other rules only *routing to* the DN
 * (`replace`) are rewritten, since what callers dial there (`match`) is the
 * customer's numbering and stays as it is.
 */

type DnChange = ChangeOf<'dn-change'>;

export type DnChangeSnapshot = {
  extension: ExtensionSnapshot;
  phone: PhoneSnapshot | null;
  /** The rules whose `replace` was the old DN. */
  routedBy: RuleSnapshot[];
};

export function dnChangeHandler(deps: ChangeHandlerDeps): ChangeHandler<DnChange, DnChangeSnapshot> {
  const { pbx } = deps;

  async function rulesRoutingTo(dn: string): Promise<RuleSnapshot[]> {
    return (await pbx.listDialplanRules()).filter((r) => r.replace === dn).map(ruleSnapshot);
  }

  return {
    async snapshot({ target: dn, params: { newDn } }) {
      const [extension, phone, taken, phoneAtNew] = await Promise.all([pbx.getExtension(dn), pbx.getPhone(dn), pbx.getExtension(newDn), pbx.getPhone(newDn)]);
      if (!extension) throw new VendorNotFoundError('pbx', `extension ${dn} does not exist`);
      if (taken || phoneAtNew) throw new VendorConflictError('pbx', `DN ${newDn} is already in use`);
      return { extension: extensionSnapshot(extension), phone: phone ? phoneSnapshot(phone) : null, routedBy: await rulesRoutingTo(dn) };
    },

    async apply({ target: dn, params: { newDn } }, snapshot, keys) {
      const [atOld, atNew] = await Promise.all([pbx.getExtension(dn), pbx.getExtension(newDn)]);
      if (atOld && atNew) throw new VendorConflictError('pbx', `DN ${newDn} was taken after the change was approved`);
      if (!atOld && !atNew) throw new VendorNotFoundError('pbx', `extension ${dn} is gone and ${newDn} does not exist`);
      if (atOld) await pbx.updateExtension(dn, { newDn }, keys('extension:move'));

      if (snapshot.phone) {
        // Removed before it is created again: the PBX admits a phone's IP once.
        if (await pbx.getPhone(dn)) await pbx.removePhone(dn, keys(`phone:${dn}:remove`));
        if (!(await pbx.getPhone(newDn))) await pbx.createPhone({ ...snapshot.phone, dn: newDn }, keys(`phone:${newDn}:create`));
      }

      for (const rule of snapshot.routedBy) {
        const current = await pbx.getDialplanRule(rule.id);
        // A rule someone else has since changed or removed is not rewritten; verify reports what still routes to the old DN.
        if (current?.replace !== dn) continue;
        const own = current.match === `^${dn}$`;
        const moved = own
          ? {
              match: `^${newDn}$`,
              substitute: current.substitute === `^${dn}$` ? `^${newDn}$` : current.substitute,
              replace: newDn,
              description: current.description?.replace(dn, newDn),
            }
          : { replace: newDn };
        await pbx.updateDialplanRule(rule.id, moved, keys(`dialplan:${rule.id}`));
      }
    },

    async verify({ target: dn, params: { newDn } }) {
      const [atNew, atOld, phoneAtOld, stillRouted] = await Promise.all([pbx.getExtension(newDn), pbx.getExtension(dn), pbx.getPhone(dn), rulesRoutingTo(dn)]);
      return verification([
        check(`extension ${newDn}`, 'present', atNew ? 'present' : 'absent'),
        check(`extension ${dn}`, 'absent', atOld ? 'present' : 'absent'),
        check(`phone under ${dn}`, 'absent', phoneAtOld ? 'present' : 'absent'),
        check(
          `dial-plan rules routing to ${dn}`,
          [],
          stillRouted.map((r) => r.id),
        ),
        ...(await sipAcceptanceChecks(deps, newDn)),
      ]);
    },

    async restore({ target: dn, params: { newDn } }, snapshot, keys) {
      const [atOld, atNew] = await Promise.all([pbx.getExtension(dn), pbx.getExtension(newDn)]);
      if (!atOld && atNew) await pbx.updateExtension(newDn, { newDn: dn }, keys('extension:move'));
      if (!atOld && !atNew) throw new VendorNotFoundError('pbx', `neither ${dn} nor ${newDn} exists: the extension cannot be put back`);
      const restored = atOld ?? (await pbx.getExtension(dn));
      if (restored && restored.displayName !== snapshot.extension.displayName) {
        await pbx.updateExtension(dn, { displayName: snapshot.extension.displayName }, keys('extension:display-name'));
      }

      if (snapshot.phone) {
        if (await pbx.getPhone(newDn)) await pbx.removePhone(newDn, keys(`phone:${newDn}:remove`));
        await restorePhone(pbx, snapshot.phone, keys);
      }

      for (const rule of snapshot.routedBy) await restoreRule(pbx, rule, keys);
    },
  };
}
