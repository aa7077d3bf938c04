import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { saveLine } from '../db/lines.repo';
import { forgetSipPassword, keepSipPassword } from '../db/sip-credentials.repo';
import { firstSeenBefore, noteCreateLook } from '../db/vendor-intents.repo';
import type { HeldSkill, InstalledItem, ItemOrigin, LineState, LineType, PhoneSpec, SkillSpec, TrunkSpec } from '../domain/line/contracts';
import type { CtiClient } from '../adapters/cti/cti-client';
import { resolveSkills } from '../adapters/cti/skills';
import type { AcceptanceResult, LineAcceptance } from '../adapters/pbx/line-acceptance';
import { dialplanRuleFor, trunkFor, type AcceptancePlan } from '../adapters/pbx/line-routing';
import { DIALLED_DPID, type IdempotencyKey, type PbxClient } from '../adapters/pbx/pbx-client';
import { VendorNotFoundError, asActivity } from '../adapters/vendor-errors';

/**
 * The steps of installing and removing a line, one activity each, so the
 * history names every step. Each mutating call's idempotency key is derived
 * from the line and the step: a retried activity repeats nothing.
 *
 * The CTI (Genesys) has no idempotency keys: its objects are found by natural
 * key instead, and what a step finds is adopted. Before a CTI step changes
 * anything it notes what it saw under its key (db/vendor-intents.repo.ts), so
 * a retry tells an object Butler asked for (its answer lost: `created`) from
 * one that was there first (`adopted`, never deleted by Butler).
 */

export interface LineActivityDeps {
  pool: Pool;
  pbx: PbxClient;
  cti: CtiClient;
  acceptance: LineAcceptance;
  acceptancePlan: AcceptancePlan;
}

export function createLineActivities({ pool, pbx, cti, acceptance, acceptancePlan }: LineActivityDeps) {
  async function removeFromVendor(item: InstalledItem, idem: IdempotencyKey): Promise<void> {
    switch (item.kind) {
      case 'pbx-extension':
        return pbx.removeExtension(item.dn, idem);
      case 'pbx-phone':
        return pbx.removePhone(item.dn, idem);
      case 'pbx-trunk':
        return pbx.removeTrunk(item.trunkId, idem);
      case 'pbx-dialplan':
        return pbx.removeDialplanRule(item.ruleId, idem);
      case 'cti-agent':
        if (item.origin === 'adopted') return;
        return cti.deleteAgent(item.agentId, idem);
      case 'cti-team-member':
        if (item.origin === 'adopted') return;
        return cti.removeTeamMembers(item.teamId, [item.agentId], idem);
      case 'cti-skills':
        await cti.setAgentSkills(item.agentId, item.previous ?? [], idem);
    }
  }

  return {
    async projectLine(state: LineState): Promise<void> {
      await saveLine(pool, state);
    },

    installExtension: ({ lineId, dn, displayName }: { lineId: string; dn: string; displayName: string }) =>
      asActivity(async (): Promise<InstalledItem> => {
        // The secret is made here, kept by the PBX and (until the SPM collects it once) in line_sip_credentials:
        // it never enters the workflow's history, a log or the line's state. A retry reuses the first one kept.
        const domain = acceptancePlan.domain;
        const password = await keepSipPassword(pool, { lineId, dn, domain, candidate: randomBytes(12).toString('base64url') });
        await pbx.createExtension({ dn, displayName, domain, password }, { key: `${lineId}:install:extension` });
        return { kind: 'pbx-extension', dn };
      }),

    installPhone: ({ lineId, dn, phone }: { lineId: string; dn: string; phone: PhoneSpec }) =>
      asActivity(async (): Promise<InstalledItem> => {
        await pbx.createPhone({ dn, ...phone }, { key: `${lineId}:install:phone` });
        return { kind: 'pbx-phone', dn };
      }),

    installTrunk: ({ lineId, dn, trunk }: { lineId: string; dn: string; trunk: TrunkSpec }) =>
      asActivity(async (): Promise<InstalledItem> => {
        const created = await pbx.createTrunk(trunkFor(lineId, dn, trunk), { key: `${lineId}:install:trunk` });
        return { kind: 'pbx-trunk', trunkId: created.id };
      }),

    installDialplanRule: (req: { lineId: string; lineType: LineType; dn: string; routeTo?: string; trunkId?: string }) =>
      asActivity(async (): Promise<InstalledItem> => {
        const trunk = req.trunkId ? await pbx.getTrunk(req.trunkId) : undefined;
        const rule = await pbx.createDialplanRule(dialplanRuleFor({ ...req, trunk }), { key: `${req.lineId}:install:dialplan` });
        return { kind: 'pbx-dialplan', ruleId: rule.id };
      }),

    /** The line's agent: found by login (adopted) or created; a create whose answer was lost is found by the retry and is Butler's. */
    createCtiAgent: ({ lineId, agent }: { lineId: string; agent: { loginId: string; name: string } }) =>
      asActivity(async (): Promise<InstalledItem> => {
        const key = `${lineId}:install:cti-agent`;
        const found = await cti.findAgentByLogin(agent.loginId);
        const { createAsked } = await noteCreateLook(pool, key, agent.loginId, found !== undefined);
        const ensured = found ?? (await cti.createAgent({ loginId: agent.loginId, name: agent.name }, { key }));
        return { kind: 'cti-agent', agentId: ensured.id, loginId: ensured.loginId, origin: originOf(createAsked) };
      }),

    joinCtiTeam: ({ lineId, agentId, team }: { lineId: string; agentId: string; team: string }) =>
      asActivity(async (): Promise<InstalledItem> => {
        const key = `${lineId}:install:cti-team`;
        const found = await cti.findTeamByName(team);
        if (!found) throw new VendorNotFoundError('cti', `team "${team}" does not exist`);
        const member = (await cti.listTeamMembers(found.id)).includes(agentId);
        const { createAsked } = await noteCreateLook(pool, key, `${found.id}/${agentId}`, member);
        if (!member) await cti.addTeamMembers(found.id, [agentId], { key });
        return { kind: 'cti-team-member', teamId: found.id, team, agentId, origin: originOf(createAsked) };
      }),

    /** Replaces the agent's skills; what it held before (an adopted agent's own) is kept on the item, for removal to put back. */
    assignCtiSkills: ({ lineId, agentId, skills }: { lineId: string; agentId: string; skills: SkillSpec[] }) =>
      asActivity(async (): Promise<InstalledItem> => {
        const key = `${lineId}:install:cti-skills`;
        const held: HeldSkill[] = (await cti.getAgentSkills(agentId)).map((s) => ({ skillId: s.skillId, proficiency: s.proficiency }));
        const previous = await firstSeenBefore(pool, key, agentId, held);
        await cti.setAgentSkills(agentId, await resolveSkills(cti, skills), { key });
        return previous.length > 0 ? { kind: 'cti-skills', agentId, previous } : { kind: 'cti-skills', agentId };
      }),

    /** Final acceptance (최종 검수) over SIP; a SIP failure is a result, not an exception. */
    acceptLine: (req: { lineId: string; lineType: LineType; dn: string; routeTo?: string }) =>
      asActivity(async (): Promise<AcceptanceResult> => {
        const { account, calledNumber } = acceptancePlan.forLine(req);
        const credentials = await pbx.getSipCredentials(account);
        const result = await acceptance.accept(credentials, calledNumber);
        if (req.lineType !== 'did' || !result.accepted) return result;
        // The test call proves the extension a DID rings; the running dial plan must also send the DID there.
        const expected = req.routeTo ?? req.dn;
        const translated = await pbx.translate(DIALLED_DPID, req.dn);
        return translated === expected
          ? result
          : { ...result, accepted: false, call: { ok: false, detail: `dial plan sends DID ${req.dn} to ${translated ?? 'nowhere'}, not ${expected}` } };
      }),

    /**
     * Removes one installed item; what is already gone counts as removed. An
     * adopted CTI object (there before Butler asked) is let go, not deleted;
     * an adopted agent's former skills are put back.
     */
    removeInstalledItem: ({ lineId, item, purpose }: { lineId: string; item: InstalledItem; purpose: 'undo' | 'deprovision' }) =>
      asActivity(async (): Promise<void> => {
        try {
          await removeFromVendor(item, { key: `${lineId}:${purpose}:${item.kind}` });
        } catch (err) {
          if (!(err instanceof VendorNotFoundError)) throw err;
        }
        // The extension is gone: its password is no longer handed out.
        if (item.kind === 'pbx-extension') await forgetSipPassword(pool, lineId);
      }),
  };
}

/** Butler's own if Butler ever asked for it under this step's key; else it was there first. */
function originOf(createAsked: boolean): ItemOrigin {
  return createAsked ? 'created' : 'adopted';
}
