import { findLine, listLines, recordLineChange } from '../../db/lines.repo';
import type { ChangeRequest } from '../../domain/change/contracts';
import { changeUpdates } from '../../workflows/change/messages';
import { HOUR, SPM, activeLine, historyTypes, submitChange, terminatedLine, useLineHarness, windowFromNow } from './line-harness';

/** The inventory follows every change (issue 13): the line record changes in the change's own workflow, once, and only when it COMPLETED. */

const h = useLineHarness();

async function carryOut(change: ChangeRequest) {
  const { id, handle } = await submitChange(h, change);
  for (const approver of change.type === 'dn-change' ? (['customer', 'carrier'] as const) : (['customer'] as const)) {
    await handle.executeUpdate(changeUpdates.approve, { args: [{ body: { approver }, actor: SPM }] });
  }
  return { id, done: await handle.result() };
}

const dnChange = async (dn: string, newDn: string): Promise<ChangeRequest> => ({
  type: 'dn-change',
  target: dn,
  params: { newDn },
  window: await windowFromNow(h, HOUR),
  reason: '번호 변경',
});

test('a completed DN change moves the line record to the new DN, names the change in its history, and frees the old DN', async () => {
  const line = await activeLine(h, { phone: { ip: '10.1.4.10' } });
  const newDn = `${line.dn}7`;
  const { id, done } = await carryOut(await dnChange(line.dn, newDn));
  expect(done.status).toBe('COMPLETED');
  expect(done.history.at(-1)).toMatchObject({ type: 'line-updated', details: { lineId: line.id, before: { dn: line.dn }, after: { dn: newDn } } });

  const stored = (await findLine(h.db.pool, line.id))!;
  expect(stored.dn).toBe(newDn);
  expect(stored.installed).toEqual(
    expect.arrayContaining([
      { kind: 'pbx-extension', dn: newDn },
      { kind: 'pbx-phone', dn: newDn },
    ]),
  );
  expect(historyTypes(stored).at(-1)).toBe(`changed-by:${id}`);
  expect(stored.history.at(-1)?.details).toMatchObject({ changeId: id, changeType: 'dn-change', before: { dn: line.dn }, after: { dn: newDn } });
  expect((await listLines(h.db.pool, { dn: newDn, limit: 10, offset: 0 })).items.map((l) => l.id)).toEqual([line.id]);
  expect((await listLines(h.db.pool, { dn: line.dn, limit: 10, offset: 0 })).items).toEqual([]);

  // The old DN is free: a new line is provisioned on it, on the PBX too.
  const second = await activeLine(h, { dn: line.dn });
  expect(second.status).toBe('ACTIVE');
  expect(await h.vendors.pbx.getExtension(line.dn)).toBeDefined();
});

test('termination after a DN change removes the NEW DN: the PBX holds neither number afterwards', async () => {
  const line = await activeLine(h, { phone: { ip: '10.1.4.20' } });
  const newDn = `${line.dn}6`;
  expect((await carryOut(await dnChange(line.dn, newDn))).done.status).toBe('COMPLETED');
  const ended = await terminatedLine(h, line);
  expect(ended.status).toBe('TERMINATED');
  expect(ended.dn).toBe(newDn);
  expect(await h.vendors.pbx.getExtension(newDn)).toBeUndefined();
  expect(await h.vendors.pbx.getPhone(newDn)).toBeUndefined();
  expect(await h.vendors.pbx.getExtension(line.dn)).toBeUndefined();
});

test('an IP change updates the phone of the line record; a skill-set change its agent skills', async () => {
  const line = await activeLine(h, {
    phone: { ip: '10.1.4.30', model: 'T46U' },
    agent: { loginId: 'agent.inventory@center1.example', name: '김재고', team: '상담1팀', skills: [{ name: '상담', proficiency: 3 }] },
  });
  const ip = await carryOut({ type: 'ip-change', target: line.dn, params: { ip: '10.1.4.31' }, window: await windowFromNow(h, HOUR), reason: 'IP 변경' });
  expect(ip.done.status).toBe('COMPLETED');
  const skills = [
    { name: '영어', proficiency: 5 },
    { name: 'VIP', proficiency: 2 },
  ];
  const skill = await carryOut({
    type: 'skillset',
    target: 'agent.inventory@center1.example',
    params: { skills },
    window: await windowFromNow(h, HOUR),
    reason: '영어',
  });
  expect(skill.done.status).toBe('COMPLETED');
  expect(skill.done.history.at(-1)).toMatchObject({ type: 'line-updated', details: { lineId: line.id } });

  const stored = (await findLine(h.db.pool, line.id))!;
  expect(stored.phone).toEqual({ ip: '10.1.4.31', model: 'T46U' });
  expect(stored.agent?.skills).toEqual(skills);
  expect(historyTypes(stored).slice(-2)).toEqual([`changed-by:${ip.id}`, `changed-by:${skill.id}`]);
});

test('a rolled-back DN change leaves the line record as it was', async () => {
  const line = await activeLine(h);
  const before = await findLine(h.db.pool, line.id);
  const newDn = `${line.dn}5`;
  await h.vendors.pbx.updateTrunk('test-answering-point', { uri: 'sip:127.0.0.1:9' }, { key: `${line.id}:break-test-line` });
  try {
    expect((await carryOut(await dnChange(line.dn, newDn))).done.status).toBe('ROLLED_BACK');
  } finally {
    await h.vendors.pbx.updateTrunk('test-answering-point', { uri: `sip:${h.vendors.answeringPoint.address}` }, { key: `${line.id}:mend-test-line` });
  }
  expect(await findLine(h.db.pool, line.id)).toEqual(before);
});

test('recorded once: the activity retried reports the same entry and appends none; a target outside the inventory changes no line and says so', async () => {
  const line = await activeLine(h, { agent: { loginId: 'agent.retry@center1.example', name: '이재시', team: '상담1팀', skills: [] } });
  const change: ChangeRequest = {
    type: 'skillset',
    target: 'agent.retry@center1.example',
    params: { skills: [{ name: '상담', proficiency: 4 }] },
    window: await windowFromNow(h, HOUR),
    reason: '숙련도',
  };
  const { id, done } = await carryOut(change);
  expect(done.status).toBe('COMPLETED');
  const stored = (await findLine(h.db.pool, line.id))!;
  const again = await recordLineChange(h.db.pool, id, change, new Date().toISOString());
  expect(again.updated).toEqual([expect.objectContaining({ lineId: line.id, seq: stored.history.length })]);
  expect(await findLine(h.db.pool, line.id)).toEqual(stored);
  expect(historyTypes(stored).filter((t) => t === `changed-by:${id}`)).toHaveLength(1);

  // An agent made on the CTI outside Butler: the change completes, no line record changes.
  await h.vendors.cti.createAgent({ loginId: 'outside.butler@center1.example', name: '외부' }, { key: 'test:outside-agent' });
  const outside = await carryOut({ ...change, target: 'outside.butler@center1.example', window: await windowFromNow(h, HOUR) });
  expect(outside.done.status).toBe('COMPLETED');
  expect(outside.done.history.at(-1)).toMatchObject({ type: 'line-unchanged', details: { reason: expect.stringContaining('no live line') } });
});

test('a team move follows the line: removed from its team (agent.team null, the membership gone), added to another (the new team and its membership); termination removes that one', async () => {
  const loginId = 'team.move@center1.example';
  const line = await activeLine(h, { agent: { loginId, name: '팀이동', team: '상담1팀', skills: [] } });
  const reason = '팀 재편';
  const removed = await carryOut({ type: 'cti-team-remove', target: '상담1팀', params: { loginIds: [loginId] }, window: await windowFromNow(h, HOUR), reason });
  expect(removed.done.status).toBe('COMPLETED');
  let stored = (await findLine(h.db.pool, line.id))!;
  expect(stored.agent?.team).toBeNull();
  expect(stored.installed.filter((i) => i.kind === 'cti-team-member')).toEqual([]);
  expect(historyTypes(stored).at(-1)).toBe(`changed-by:${removed.id}`);

  const added = await carryOut({ type: 'cti-team-add', target: '상담2팀', params: { loginIds: [loginId] }, window: await windowFromNow(h, 3 * HOUR), reason });
  expect(added.done.status).toBe('COMPLETED');
  expect(added.done.history.at(-1)).toMatchObject({ type: 'line-updated', details: { lineId: line.id, after: { agent: { team: '상담2팀' } } } });
  stored = (await findLine(h.db.pool, line.id))!;
  const team2 = (await h.vendors.cti.findTeamByName('상담2팀'))!;
  const agentItem = stored.installed.find((i) => i.kind === 'cti-agent');
  expect(stored.agent?.team).toBe('상담2팀');
  expect(stored.installed.filter((i) => i.kind === 'cti-team-member')).toEqual([
    { kind: 'cti-team-member', teamId: team2.id, team: '상담2팀', agentId: agentItem?.kind === 'cti-agent' ? agentItem.agentId : '?', origin: 'created' },
  ]);

  const ended = await terminatedLine(h, stored);
  expect(ended.status).toBe('TERMINATED');
  expect(ended.history.find((e) => e.type === 'removed:cti-team-member')?.details).toMatchObject({ teamId: team2.id, team: '상담2팀' });
  expect(ended.history.some((e) => e.type === 'found:cti-team-member')).toBe(false);
});
