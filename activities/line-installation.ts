import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { saveLine } from '../db/lines.repo';
import type { InstalledItem, LineState, LineType, PhoneSpec, SkillSpec, TrunkSpec } from '../domain/line/contracts';
import type { CtiClient } from '../adapters/cti/cti-client';
import { resolveSkills } from '../adapters/cti/skills';
import type { AcceptanceResult, LineAcceptance } from '../adapters/pbx/line-acceptance';
import { dialplanRuleFor, trunkFor, type AcceptancePlan } from '../adapters/pbx/line-routing';
import { DIALLED_DPID, type PbxClient } from '../adapters/pbx/pbx-client';
import { VendorNotFoundError, asActivity } from '../adapters/vendor-errors';

/**
 * The steps of installing and removing a line, one activity each, so the
 * history names every step. Each mutating call's idempotency key is derived
 * from the line and the step: a retried activity repeats nothing.
 */

export interface LineActivityDeps {
  pool: Pool;
  pbx: PbxClient;
  cti: CtiClient;
  acceptance: LineAcceptance;
  acceptancePlan: AcceptancePlan;
}

export function createLineActivities({ pool, pbx, cti, acceptance, acceptancePlan }: LineActivityDeps) {
  return {
    async projectLine(state: LineState): Promise<void> {
      await saveLine(pool, state);
    },

    installExtension: ({ lineId, dn, displayName }: { lineId: string; dn: string; displayName: string }) =>
      asActivity(async (): Promise<InstalledItem> => {
        // The secret is made here and kept by the PBX: it never enters the workflow's history.
        const password = randomBytes(12).toString('base64url');
        await pbx.createExtension({ dn, displayName, domain: acceptancePlan.domain, password }, { key: `${lineId}:install:extension` });
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

    createCtiAgent: ({ lineId, agent }: { lineId: string; agent: { loginId: string; name: string } }) =>
      asActivity(async (): Promise<InstalledItem> => {
        const created = await cti.createAgent({ loginId: agent.loginId, name: agent.name }, { key: `${lineId}:install:cti-agent` });
        return { kind: 'cti-agent', agentId: created.id, loginId: created.loginId };
      }),

    joinCtiTeam: ({ lineId, agentId, team }: { lineId: string; agentId: string; team: string }) =>
      asActivity(async (): Promise<InstalledItem> => {
        const found = await cti.findTeamByName(team);
        if (!found) throw new VendorNotFoundError('cti', `team "${team}" does not exist`);
        await cti.addTeamMembers(found.id, [agentId], { key: `${lineId}:install:cti-team` });
        return { kind: 'cti-team-member', teamId: found.id, team, agentId };
      }),

    assignCtiSkills: ({ lineId, agentId, skills }: { lineId: string; agentId: string; skills: SkillSpec[] }) =>
      asActivity(async (): Promise<InstalledItem> => {
        await cti.setAgentSkills(agentId, await resolveSkills(cti, skills), { key: `${lineId}:install:cti-skills` });
        return { kind: 'cti-skills', agentId };
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

    /** Removes one installed item; what is already gone counts as removed. */
    removeInstalledItem: ({ lineId, item, purpose }: { lineId: string; item: InstalledItem; purpose: 'undo' | 'deprovision' }) =>
      asActivity(async (): Promise<void> => {
        const idem = { key: `${lineId}:${purpose}:${item.kind}` };
        try {
          switch (item.kind) {
            case 'pbx-extension':
              return await pbx.removeExtension(item.dn, idem);
            case 'pbx-phone':
              return await pbx.removePhone(item.dn, idem);
            case 'pbx-trunk':
              return await pbx.removeTrunk(item.trunkId, idem);
            case 'pbx-dialplan':
              return await pbx.removeDialplanRule(item.ruleId, idem);
            case 'cti-agent':
              return await cti.deleteAgent(item.agentId, idem);
            case 'cti-team-member':
              return await cti.removeTeamMembers(item.teamId, [item.agentId], idem);
            case 'cti-skills':
              await cti.setAgentSkills(item.agentId, [], idem);
              return;
          }
        } catch (err) {
          if (err instanceof VendorNotFoundError) return;
          throw err;
        }
      }),
  };
}
