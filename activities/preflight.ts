import type { Pool } from 'pg';
import type { CtiClient } from '../adapters/cti/cti-client';
import { liveLineByDn } from '../db/lines.repo';
import { listTrunkCapacities } from '../db/trunks.repo';
import { DIALLED_DPID, type PbxClient } from '../adapters/pbx/pbx-client';
import { asActivity } from '../adapters/vendor-errors';
import type { ChangeRequest } from '../domain/change/contracts';
import type { ProvisionLineRequest } from '../domain/line/contracts';
import type { PreflightInput, PreflightProblem } from '../domain/preflight';
import { isLive } from './changes/cti-lookups';

/**
 * Checks a line or change request against the PBX and the CTI before it is accepted, and a
 * line again after its contract, before installation (domain/preflight.ts). Reads only; every
 * problem names the request's field. What the vendor cannot answer fails the activity (its
 * error type decides the retry), never a silent pass.
 */

export interface PreflightDeps {
  pbx: PbxClient;
  cti: CtiClient;
  /** Butler's inventory, for what the carrier changes (a line's plan, a trunk's channels). */
  pool: Pool;
}

export function createPreflightActivities(deps: PreflightDeps) {
  return {
    preflight: (input: PreflightInput): Promise<PreflightProblem[]> =>
      asActivity(() => {
        switch (input.kind) {
          case 'line':
            return preflightLine(deps, input.request);
          case 'batch':
            return preflightBatch(deps, input.lines);
          case 'change':
            return preflightChange(deps, input.request);
        }
      }),
  };
}

/** The CTI's catalogue a line request names: its team, skills and queues. */
type CtiCatalogue = Pick<CtiClient, 'findTeamByName' | 'findSkillByName' | 'findQueueByName'>;

/** What the line checks read of the PBX. */
type PbxReads = Pick<PbxClient, 'getExtension' | 'getPhone' | 'listDialplanRules' | 'findPhoneByIp'>;

function bindReads(pbx: PbxClient): PbxReads {
  return {
    getExtension: (dn) => pbx.getExtension(dn),
    getPhone: (dn) => pbx.getPhone(dn),
    listDialplanRules: (dpid) => pbx.listDialplanRules(dpid),
    findPhoneByIp: (ip) => pbx.findPhoneByIp(ip),
  };
}

const taken = (path: string, message: string): PreflightProblem => ({ path, code: 'taken', message });
const missing = (path: string, message: string): PreflightProblem => ({ path, code: 'missing', message });

/** The DN free on the PBX (no extension, phone or dial-plan rule for it), the phone's IP free, the agent's team, skills and queues on the CTI. */
export async function preflightLine({ pbx, cti }: { pbx: PbxReads; cti: CtiCatalogue }, request: ProvisionLineRequest): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  const dnUse = await dnInUse(pbx, request.dn);
  if (dnUse) problems.push(taken('dn', `DN ${request.dn} is already on the PBX (${dnUse})`));
  if (request.phone) {
    const holder = await pbx.findPhoneByIp(request.phone.ip);
    if (holder) problems.push(taken('phone.ip', `IP ${request.phone.ip} is already the phone of DN ${holder.dn} on the PBX`));
  }
  if (request.agent) {
    if (!(await cti.findTeamByName(request.agent.team))) problems.push(missing('agent.team', `the CTI has no team "${request.agent.team}"`));
    problems.push(...(await missingSkills(cti, request.agent.skills, 'agent.skills')));
    const queues = request.agent.queues ?? [];
    const found = await Promise.all(queues.map((name) => cti.findQueueByName(name)));
    queues.forEach((name, i) => {
      if (!found[i]) problems.push(missing(`agent.queues.${i}`, `the CTI has no queue "${name}"`));
    });
  }
  return problems;
}

/**
 * Every line of a batch as `preflightLine` checks one, its problems under `lines.N.`. The lines are
 * checked a few at a time (a batch holds up to 200) and the CTI's teams, skills and queues looked up once each.
 */
export async function preflightBatch({ pbx, cti }: PreflightDeps, lines: readonly ProvisionLineRequest[]): Promise<PreflightProblem[]> {
  const once = <T>(lookup: (name: string) => Promise<T>) => {
    const seen = new Map<string, Promise<T>>();
    return (name: string) => seen.get(name) ?? seen.set(name, lookup(name)).get(name)!;
  };
  const shared: CtiCatalogue = {
    findTeamByName: once((name) => cti.findTeamByName(name)),
    findSkillByName: once((name) => cti.findSkillByName(name)),
    findQueueByName: once((name) => cti.findQueueByName(name)),
  };
  // The dial plan read once for the whole batch, not once a line.
  const rules = pbx.listDialplanRules(DIALLED_DPID);
  const pbxOnce: PbxReads = { ...bindReads(pbx), listDialplanRules: (dpid) => (dpid === DIALLED_DPID ? rules : pbx.listDialplanRules(dpid)) };
  const problems: PreflightProblem[][] = [];
  for (let from = 0; from < lines.length; from += BATCH_CHECKS_AT_ONCE) {
    const some = lines.slice(from, from + BATCH_CHECKS_AT_ONCE);
    problems.push(
      ...(await Promise.all(
        some.map(async (line, i) => (await preflightLine({ pbx: pbxOnce, cti: shared }, line)).map((p) => ({ ...p, path: `lines.${from + i}.${p.path}` }))),
      )),
    );
  }
  return problems.flat();
}

const BATCH_CHECKS_AT_ONCE = 8;

/** What the change's snapshot step would read exists (its target), and what it would take is free. */
export async function preflightChange({ pbx, cti, pool }: PreflightDeps, change: ChangeRequest): Promise<PreflightProblem[]> {
  const agent = async (loginId: string, path: string) =>
    isLive(await cti.findAgentByLogin(loginId)) ? [] : [missing(path, `the CTI has no agent "${loginId}"`)];
  switch (change.type) {
    case 'dn-change': {
      const problems: PreflightProblem[] = [];
      if (!(await pbx.getExtension(change.target))) problems.push(missing('target', `the PBX has no extension ${change.target}`));
      // As the change's snapshot step: an extension or a phone at the new DN stops it (a dial-plan rule dialling it does not).
      const use = await dnInUse(pbx, change.params.newDn, { rules: false });
      if (use) problems.push(taken('params.newDn', `DN ${change.params.newDn} is already on the PBX (${use})`));
      return problems;
    }
    case 'ip-change': {
      const problems: PreflightProblem[] = [];
      if (!(await pbx.getPhone(change.target))) problems.push(missing('target', `DN ${change.target} has no phone on the PBX`));
      const holder = await pbx.findPhoneByIp(change.params.ip);
      if (holder && holder.dn !== change.target) problems.push(taken('params.ip', `IP ${change.params.ip} is already the phone of DN ${holder.dn} on the PBX`));
      return problems;
    }
    case 'dialplan':
      return (await pbx.getDialplanRule(change.target)) ? [] : [missing('target', `the PBX has no dial-plan rule ${change.target}`)];
    case 'trunk':
      return (await pbx.getTrunk(change.target)) ? [] : [missing('target', `the PBX has no trunk ${change.target}`)];
    case 'cti-team-add':
    case 'cti-team-remove': {
      const problems: PreflightProblem[] = [];
      if (!(await cti.findTeamByName(change.target))) problems.push(missing('target', `the CTI has no team "${change.target}"`));
      for (const [i, loginId] of change.params.loginIds.entries()) problems.push(...(await agent(loginId, `params.loginIds.${i}`)));
      return problems;
    }
    case 'skillset':
      return [...(await agent(change.target, 'target')), ...(await missingSkills(cti, change.params.skills, 'params.skills'))];
    case 'agent-account':
    case 'rec-account':
      return agent(change.target, 'target');
    case 'ivr-holidays':
      // A schedule group that does not exist yet is created by the change: nothing can be missing.
      return [];
    case 'line-plan':
      return (await liveLineByDn(pool, change.target))?.contract ? [] : [missing('target', `no live line with a contract holds DN ${change.target}`)];
    case 'trunk-channels':
      return (await listTrunkCapacities(pool)).some((t) => t.trunk === change.target)
        ? []
        : [missing('target', `trunk ${change.target} is not in the inventory`)];
  }
}

/** What on the PBX uses the DN (an extension, a phone, a dial-plan rule dialling it), or undefined when it is free. */
async function dnInUse(pbx: PbxReads, dn: string, { rules: withRules } = { rules: true }): Promise<string | undefined> {
  const [extension, phone, rules] = await Promise.all([pbx.getExtension(dn), pbx.getPhone(dn), withRules ? pbx.listDialplanRules(DIALLED_DPID) : []]);
  if (extension) return 'an extension';
  if (phone) return 'a phone';
  const rule = rules.find((r) => r.match === `^${dn}$`);
  return rule ? `dial-plan rule ${rule.id}` : undefined;
}

async function missingSkills(cti: CtiCatalogue, skills: ReadonlyArray<{ name: string }>, path: string): Promise<PreflightProblem[]> {
  const found = await Promise.all(skills.map((s) => cti.findSkillByName(s.name)));
  return skills.flatMap((s, i) => (found[i] ? [] : [missing(`${path}.${i}.name`, `the CTI has no skill "${s.name}"`)]));
}
