import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { findLine } from '../../db/lines.repo';
import { ctiAdminToken } from '../support/cti-admin';
import type { CtiEmulator } from '../../emulators/cti/emulator';
import type { LineFailure, LineState } from '../../domain/line/contracts';
import { recordContractUpdate } from '../../workflows/line/messages';
import { CONTRACT, SPM, activeLine, historyTypes, requestLine, terminatedLine, useLineHarness } from './line-harness';

// Genesys has no idempotency keys: the CTI steps find objects by natural key and adopt them; only Butler's own are undone.
const h = useLineHarness();

const agent = (loginId: string, team = '상담1팀', skills = [{ name: '상담', proficiency: 4 }]) => ({ loginId, name: '김상담', team, skills });

async function failureOf(result: Promise<unknown>): Promise<LineFailure> {
  const err = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  return ((err as WorkflowFailedError).cause as ApplicationFailure).details?.[0] as LineFailure;
}

/** Every user the emulator holds with this e-mail, deleted ones included (state=any): what an orphan or a duplicate would show. */
async function usersWithEmail(emulator: CtiEmulator, email: string): Promise<Array<{ id: string; state: string }>> {
  const res = await fetch(`${emulator.url}/api/v2/users?state=any&pageSize=100`, { headers: { authorization: `Bearer ${await ctiAdminToken(emulator)}` } });
  const page = (await res.json()) as { entities: Array<{ id: string; email: string; state: string }>; pageCount: number };
  expect(page.pageCount).toBeLessThanOrEqual(1);
  return page.entities.filter((u) => u.email === email).map((u) => ({ id: u.id, state: u.state }));
}

const detailsOf = (line: LineState, type: string) => line.history.find((e) => e.type === type)?.details;
const createsOf = (emulator: CtiEmulator, lineId: string) =>
  emulator.requests({ method: 'POST' }).filter((r) => r.path === '/api/v2/users' && r.idempotencyKey?.startsWith(`${lineId}:`));

test("a create whose answer is lost: the retry finds Butler's agent (one, recorded as created) and the undo removes it — no duplicate, no orphan", async () => {
  const { emulator } = h.vendors;
  const loginId = 'lost.answer@center1.example';
  emulator.faults.set({ route: { method: 'POST', path: '/api/v2/users', exact: true }, loseResponseNext: { count: 1 } });
  // The CTI refusing the team membership for good (the team deleted in that instant) fails the step after the agent: the undo runs.
  const team = await h.vendors.cti.createTeam('사라질팀', { key: 'test:team:vanishing' });
  emulator.faults.add({
    route: { method: 'POST', path: `/api/v2/teams/${team.id}/members` },
    failAlways: { status: 404, code: 'not.found', message: 'team deleted' },
  });
  const { id, handle } = await requestLine(h, { agent: agent(loginId, '사라질팀') });
  await handle.executeUpdate(recordContractUpdate, { args: [{ body: CONTRACT, actor: SPM }] });
  expect(await failureOf(handle.result())).toMatchObject({ step: 'cti-team', type: 'VendorNotFound' });

  // One create, acted on by the CTI, its answer lost; the retry found the agent instead of creating another.
  expect(createsOf(emulator, id).map((r) => [r.fault ?? null, r.status])).toEqual([['lose-response', 200]]);
  const stored = (await findLine(h.db.pool, id))!;
  expect(detailsOf(stored, 'installed:cti-agent')).toMatchObject({ kind: 'cti-agent', loginId, origin: 'created' });
  expect(historyTypes(stored)).toContain('undone:cti-agent');
  expect(stored.installed).toEqual([]);
  // Exactly one user was ever made for this login, and the undo deleted it.
  expect(await usersWithEmail(emulator, loginId)).toEqual([{ id: expect.any(String), state: 'deleted' }]);
});

test('an agent that existed before Butler asked is adopted, and the undo leaves it (only what Butler added to it is taken back)', async () => {
  const { emulator, cti } = h.vendors;
  const loginId = 'was.here.first@center1.example';
  const before = await cti.createAgent({ loginId, name: '기존상담' }, { key: 'made-outside-butler' });
  expect(before.adopted).toBe(false);
  // The CTI refusing the skills for good (a skill deleted in that instant) fails the step after team membership.
  emulator.faults.set({
    route: { method: 'PUT', path: `/api/v2/users/${before.id}/routingskills` },
    failAlways: { status: 404, code: 'not.found', message: 'skill deleted' },
  });
  const { id, handle } = await requestLine(h, { agent: agent(loginId, '상담1팀', [{ name: '영어', proficiency: 1 }]) });
  await handle.executeUpdate(recordContractUpdate, { args: [{ body: CONTRACT, actor: SPM }] });
  expect(await failureOf(handle.result())).toMatchObject({ step: 'cti-skills', type: 'VendorNotFound' });

  const stored = (await findLine(h.db.pool, id))!;
  expect(detailsOf(stored, 'installed:cti-agent')).toMatchObject({ agentId: before.id, origin: 'adopted' });
  expect(detailsOf(stored, 'installed:cti-team-member')).toMatchObject({ agentId: before.id, origin: 'created' });
  expect(historyTypes(stored)).toEqual(expect.arrayContaining(['undone:cti-team-member', 'undone:cti-agent']));
  expect(createsOf(emulator, id)).toEqual([]);
  // The agent is still there, live, the only one with that login; Butler's team membership is gone.
  expect(await usersWithEmail(emulator, loginId)).toEqual([{ id: before.id, state: 'active' }]);
  const team = (await cti.findTeamByName('상담1팀'))!;
  expect(await cti.listTeamMembers(team.id)).not.toContain(before.id);
});

test('termination of a line that adopted an agent keeps the agent and gives it back the skills it held', async () => {
  const { cti } = h.vendors;
  const loginId = 'keeps.skills@center1.example';
  const before = await cti.createAgent({ loginId, name: '기존상담' }, { key: 'made-outside-butler-2' });
  const english = (await cti.findSkillByName('영어'))!;
  await cti.setAgentSkills(before.id, [{ skillId: english.id, proficiency: 5 }], { key: 'outside-skills' });

  const line = await activeLine(h, { agent: agent(loginId, '상담2팀', [{ name: '상담', proficiency: 2 }]) });
  expect(line.installed.find((i) => i.kind === 'cti-skills')).toEqual({
    kind: 'cti-skills',
    agentId: before.id,
    previous: [{ skillId: english.id, proficiency: 5 }],
  });
  expect((await cti.getAgentSkills(before.id)).map((s) => s.name)).toEqual(['상담']);

  const ended = await terminatedLine(h, line, '센터 이전');
  expect(ended.status).toBe('TERMINATED');
  expect(ended.installed).toEqual([]);

  expect(await cti.findAgentByLogin(loginId)).toMatchObject({ id: before.id, state: 'active' });
  expect((await cti.getAgentSkills(before.id)).map((s) => [s.name, s.proficiency])).toEqual([['영어', 5]]);
  const team = (await cti.findTeamByName('상담2팀'))!;
  expect(await cti.listTeamMembers(team.id)).not.toContain(before.id);
});
