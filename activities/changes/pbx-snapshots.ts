import type { DialplanRule, Extension, PbxClient, Phone, Trunk } from '../../adapters/pbx/pbx-client';
import { sameJson } from './checks';
import type { StepKeys } from './handler';

/**
 * PBX records as they go into a snapshot: only the named fields (an adapter
 * may return more), as plain data. Restoring one means "make the PBX hold
 * exactly this again", whether the change was applied fully, partly or not at all.
 */

export type ExtensionSnapshot = { dn: string; displayName: string; domain: string };
export type PhoneSnapshot = { dn: string; ip: string; mac?: string; model?: string };
export type TrunkSnapshot = { id: string; setId: number; uri: string; description?: string };
export type RuleSnapshot = { id: string; dpid: number; priority: number; match: string; substitute: string; replace: string; description?: string };

export const extensionSnapshot = (e: Extension): ExtensionSnapshot => ({ dn: e.dn, displayName: e.displayName, domain: e.domain });

export const phoneSnapshot = (p: Phone): PhoneSnapshot => ({ dn: p.dn, ip: p.ip, mac: p.mac, model: p.model });

export const trunkSnapshot = (t: Trunk): TrunkSnapshot => ({ id: t.id, setId: t.setId, uri: t.uri, description: t.description });

export const ruleSnapshot = (r: DialplanRule): RuleSnapshot => ({
  id: r.id,
  dpid: r.dpid,
  priority: r.priority,
  match: r.match,
  substitute: r.substitute,
  replace: r.replace,
  description: r.description,
});

export async function restorePhone(pbx: PbxClient, phone: PhoneSnapshot, keys: StepKeys): Promise<void> {
  const current = await pbx.getPhone(phone.dn);
  if (!current) {
    await pbx.createPhone(phone, keys(`phone:${phone.dn}:create`));
    return;
  }
  if (sameJson(phoneSnapshot(current), phone)) return;
  await pbx.updatePhone(phone.dn, { ip: phone.ip, mac: phone.mac, model: phone.model }, keys(`phone:${phone.dn}:update`));
}

export async function restoreRule(pbx: PbxClient, rule: RuleSnapshot, keys: StepKeys): Promise<void> {
  const current = await pbx.getDialplanRule(rule.id);
  if (!current) {
    await pbx.createDialplanRule(rule, keys(`dialplan:${rule.id}:create`));
    return;
  }
  if (sameJson(ruleSnapshot(current), rule)) return;
  const { id, ...fields } = rule;
  await pbx.updateDialplanRule(id, fields, keys(`dialplan:${id}:update`));
}

export async function restoreTrunk(pbx: PbxClient, trunk: TrunkSnapshot, keys: StepKeys): Promise<void> {
  const current = await pbx.getTrunk(trunk.id);
  if (!current) {
    await pbx.createTrunk(trunk, keys(`trunk:${trunk.id}:create`));
    return;
  }
  if (sameJson(trunkSnapshot(current), trunk)) return;
  // updateTrunk cannot move a trunk to another dispatcher set; no change type does that either.
  await pbx.updateTrunk(trunk.id, { uri: trunk.uri, description: trunk.description }, keys(`trunk:${trunk.id}:update`));
}
