import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { saveLine } from '../db/lines.repo';
import { forgetSipPassword, keepSipPassword } from '../db/sip-credentials.repo';
import { firstSeenBefore, noteCreateLook } from '../db/vendor-intents.repo';
import {
  installedItemKey,
  type HeldSkill,
  type InstalledItem,
  type ItemOrigin,
  type LineState,
  type LineType,
  type PhoneSpec,
  type SkillSpec,
  type TrunkSpec,
} from '../domain/line/contracts';
import type { CtiClient } from '../adapters/cti/cti-client';
import { resolveSkills } from '../adapters/cti/skills';
import type { AcceptanceResult, LineAcceptance } from '../adapters/pbx/line-acceptance';
import { dialplanRuleFor, trunkFor, type AcceptancePlan } from '../adapters/pbx/line-routing';
import { trunkSetOf } from '../domain/line/trunk-capacity';
import { DIALLED_DPID, type IdempotencyKey, type PbxClient } from '../adapters/pbx/pbx-client';
import { VendorNotFoundError, asActivity } from '../adapters/vendor-errors';
import { conflictsAreFinal } from './conflicts-are-final';

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
      case 'cti-queue-member':
        if (item.origin === 'adopted') return;
        return cti.removeQueueMembers(item.queueId, [item.agentId], idem);
      case 'cti-skills':
        await cti.setAgentSkills(item.agentId, item.previous ?? [], idem);
    }
  }

  return {
    async projectLine(state: LineState): Promise<void> {
      // Its DN taken by another line (db/lines.repo.ts saveLine) is final.
      await conflictsAreFinal(() => saveLine(pool, state));
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

    /** The agent joins one of its queues; a membership that was there before Butler asked is adopted (left in place at removal). */
    joinCtiQueue: ({ lineId, agentId, queue }: { lineId: string; agentId: string; queue: string }) =>
      asActivity(async (): Promise<InstalledItem> => {
        const found = await cti.findQueueByName(queue);
        if (!found) throw new VendorNotFoundError('cti', `queue "${queue}" does not exist`);
        // By the queue's id: the key travels as an HTTP header, which a Korean name cannot.
        const key = `${lineId}:install:cti-queue:${found.id}`;
        const member = (await cti.listQueueMembers(found.id)).includes(agentId);
        const { createAsked } = await noteCreateLook(pool, key, `${found.id}/${agentId}`, member);
        if (!member) await cti.addQueueMembers(found.id, [agentId], { key });
        return { kind: 'cti-queue-member', queueId: found.id, queue, agentId, origin: originOf(createAsked) };
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
     * What of a line exists on the PBX and the CTI now (termination's reconciliation): by
     * its current DN (the extension, the phone, dial-plan rules dialling the DN, the PRI
     * trunk of the line's dispatcher set) and by the ids of what it installed (trunks,
     * rules, the CTI user and its team and queue memberships and skills; the user also by its login).
     * Objects adopted at installation (there before Butler asked) are not reported: removal lets
     * them go. Reads only; a vendor that cannot be read fails the activity (retried by its policy).
     */
    reconcileLine: (req: { lineId: string; dn: string; loginId?: string; team?: string; queues?: string[]; installed: InstalledItem[] }) =>
      asActivity(async (): Promise<InstalledItem[]> => {
        const found: InstalledItem[] = [];
        const of = <K extends InstalledItem['kind']>(kind: K) => req.installed.filter((i): i is Extract<InstalledItem, { kind: K }> => i.kind === kind);
        // ---- the PBX, by DN and by id
        if (await pbx.getExtension(req.dn)) found.push({ kind: 'pbx-extension', dn: req.dn });
        for (const ext of of('pbx-extension')) if (ext.dn !== req.dn && (await pbx.getExtension(ext.dn))) found.push(ext);
        if (await pbx.getPhone(req.dn)) found.push({ kind: 'pbx-phone', dn: req.dn });
        for (const phone of of('pbx-phone')) if (phone.dn !== req.dn && (await pbx.getPhone(phone.dn))) found.push(phone);
        const rules = await pbx.listDialplanRules(DIALLED_DPID);
        const dialled = `^${req.dn}$`;
        for (const rule of rules) if (rule.match === dialled) found.push({ kind: 'pbx-dialplan', ruleId: rule.id });
        for (const rule of of('pbx-dialplan'))
          if (!found.some((f) => f.kind === 'pbx-dialplan' && f.ruleId === rule.ruleId) && (await pbx.getDialplanRule(rule.ruleId))) found.push(rule);
        const set = trunkSetOf(req.lineId);
        const trunks = await pbx.trunkStatus();
        for (const trunk of trunks) if (trunk.setId === set) found.push({ kind: 'pbx-trunk', trunkId: trunk.id });
        for (const trunk of of('pbx-trunk'))
          if (!found.some((f) => f.kind === 'pbx-trunk' && f.trunkId === trunk.trunkId) && (await pbx.getTrunk(trunk.trunkId))) found.push(trunk);
        // ---- the CTI, by the user's id and login
        const agents = new Map<string, string>();
        for (const agent of of('cti-agent')) {
          const user = await cti.getAgent(agent.agentId).catch((err: unknown) => (err instanceof VendorNotFoundError ? undefined : Promise.reject(err)));
          if (user && user.state !== 'deleted') agents.set(user.id, user.loginId);
        }
        if (req.loginId) {
          const user = await cti.findAgentByLogin(req.loginId);
          if (user && user.state !== 'deleted') agents.set(user.id, user.loginId);
        }
        // An adopted agent (there before Butler) is let go, not removed: it and its own skills are not Butler's to report.
        const adopted = new Set(of('cti-agent').flatMap((a) => (a.origin === 'adopted' ? [a.agentId] : [])));
        const adoptedMemberships = new Set(of('cti-team-member').flatMap((m) => (m.origin === 'adopted' ? [installedItemKey(m)] : [])));
        for (const [agentId, loginId] of agents) if (!adopted.has(agentId)) found.push({ kind: 'cti-agent', agentId, loginId });
        const teams = new Map(of('cti-team-member').map((m) => [m.teamId, m.team]));
        if (req.team) {
          const team = await cti.findTeamByName(req.team);
          if (team) teams.set(team.id, team.name);
        }
        for (const [teamId, team] of teams) {
          const members = await cti.listTeamMembers(teamId);
          for (const agentId of agents.keys()) {
            const membership: InstalledItem = { kind: 'cti-team-member', teamId, team, agentId };
            if (members.includes(agentId) && !adoptedMemberships.has(installedItemKey(membership))) found.push(membership);
          }
        }
        // Queue memberships as team ones: by the queues the line lists and names.
        const adoptedQueueMemberships = new Set(of('cti-queue-member').flatMap((m) => (m.origin === 'adopted' ? [installedItemKey(m)] : [])));
        const queues = new Map(of('cti-queue-member').map((m) => [m.queueId, m.queue]));
        for (const name of req.queues ?? []) {
          const queue = await cti.findQueueByName(name);
          if (queue) queues.set(queue.id, queue.name);
        }
        for (const [queueId, queue] of queues) {
          // A queue deleted on the CTI holds nobody: nothing of the line is left there.
          const members = await cti
            .listQueueMembers(queueId)
            .catch((err: unknown): string[] | Promise<never> => (err instanceof VendorNotFoundError ? [] : Promise.reject(err)));
          for (const agentId of agents.keys()) {
            const membership: InstalledItem = { kind: 'cti-queue-member', queueId, queue, agentId };
            if (members.includes(agentId) && !adoptedQueueMemberships.has(installedItemKey(membership))) found.push(membership);
          }
        }
        for (const agentId of agents.keys())
          if (!adopted.has(agentId) && (await cti.getAgentSkills(agentId)).length > 0) found.push({ kind: 'cti-skills', agentId });
        // What the line lists is answered as listed (its origin and previous skills kept), once per object.
        const listed = new Map(req.installed.map((i) => [installedItemKey(i), i]));
        const seen = new Set<string>();
        return found.filter((i) => !seen.has(installedItemKey(i)) && !!seen.add(installedItemKey(i))).map((i) => listed.get(installedItemKey(i)) ?? i);
      }),

    /**
     * Removes one installed item; what is already gone counts as removed. An
     * adopted CTI object (there before Butler asked) is let go, not deleted;
     * an adopted agent's former skills are put back. A termination's removal
     * `round` (reconciliation can find a second object of a kind, and a retry
     * removes again) goes into the idempotency key with the item's identity, so
     * no removal is taken for another one already done.
     */
    removeInstalledItem: ({ lineId, item, purpose, round }: { lineId: string; item: InstalledItem; purpose: 'undo' | 'deprovision'; round?: number }) =>
      asActivity(async (): Promise<void> => {
        // The item's identity, not only its kind: a line can hold several of a kind (its queue memberships).
        const key = round === undefined ? `${lineId}:${purpose}:${installedItemKey(item)}` : `${lineId}:${purpose}:${round}:${installedItemKey(item)}`;
        try {
          await removeFromVendor(item, { key });
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
