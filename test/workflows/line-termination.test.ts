import { findLine } from '../../db/lines.repo';
import type { LineState } from '../../domain/line/contracts';
import { settle } from '../../domain/line/settlement';
import { equipmentReturnedUpdate, lineStateQuery, lineTerminationWorkflowId } from '../../workflows/line/messages';
import type { LineTerminationInput, lineTerminationWorkflow } from '../../workflows/line/termination';
import { DAY, ENGINEER, LINE_TIMING, SPM, activeLine, historyTypes, notificationKinds, useLineHarness, type LineHarness } from './line-harness';

const h = useLineHarness();

async function terminate(harness: LineHarness, line: LineState, effectiveDate = '2026-11-30') {
  const input: LineTerminationInput = {
    line: (await findLine(harness.db.pool, line.id))!,
    request: { reason: '센터 이전', effectiveDate },
    effectiveDate,
    requestedBy: SPM,
    requestedAt: new Date(await harness.env.currentTimeMs()).toISOString(),
    timing: LINE_TIMING,
  };
  return harness.env.client.workflow.start<typeof lineTerminationWorkflow>('lineTerminationWorkflow', {
    workflowId: lineTerminationWorkflowId(line.id),
    taskQueue: harness.worker.taskQueue,
    args: [input],
  });
}

test('settlement, a reminder, the equipment returned, deprovisioning on CTI then PBX, the notice: TERMINATED', async () => {
  const line = await activeLine(h, {
    agent: { loginId: 'agent.leaving@center1.example', name: '이퇴사', team: '상담2팀', skills: [{ name: '영어', proficiency: 3 }] },
    phone: { ip: '10.1.2.40' },
    customerContact: 'it.manager@customer.example',
  });
  const handle = await terminate(h, line);
  await h.env.sleep(1.5 * DAY);
  const waiting = await handle.query(lineStateQuery);
  expect(waiting.status).toBe('TERMINATING');
  expect(waiting.step).toBe('waiting for the equipment to be returned');
  expect(waiting.settlement).toEqual(settle(line.contract, '2026-11-30'));
  expect(waiting.settlement?.earlyTerminationFee).toBeGreaterThan(0);

  await handle.executeUpdate(equipmentReturnedUpdate, { args: [{ body: { note: '전화기 1대 회수' }, actor: ENGINEER }] });
  const ended = await handle.result();

  expect(ended.status).toBe('TERMINATED');
  expect(ended.installed).toEqual([]);
  const afterActive = historyTypes(ended).slice(historyTypes(ended).lastIndexOf('status:ACTIVE') + 1);
  expect(afterActive).toEqual([
    'status:TERMINATING',
    'settled',
    'equipment-reminder',
    'equipment-returned',
    // The CTI first, so the agent stops taking calls before the phone goes.
    'removed:cti-skills',
    'removed:cti-team-member',
    'removed:cti-agent',
    'removed:pbx-dialplan',
    'removed:pbx-phone',
    'removed:pbx-extension',
    'status:TERMINATED',
  ]);
  expect(ended.termination).toMatchObject({ reason: '센터 이전', equipmentNote: '전화기 1대 회수' });

  expect(await h.vendors.pbx.getExtension(line.dn)).toBeUndefined();
  expect(await h.vendors.pbx.getPhone(line.dn)).toBeUndefined();
  const agent = await h.vendors.cti.findAgentByLogin('agent.leaving@center1.example');
  expect(agent === undefined || agent.state === 'deleted').toBe(true);
  expect((await findLine(h.db.pool, line.id))?.status).toBe('TERMINATED');

  const { rows } = await h.db.pool.query(`SELECT recipients FROM notifications WHERE key = $1`, [`${line.id}:terminated`]);
  expect(rows[0].recipients.map((r: { email: string }) => r.email)).toContain('it.manager@customer.example');
  expect(await notificationKinds(h, line.id)).toEqual(['line-active', 'equipment-reminder', 'line-terminated']);
});

test('equipment not returned by the deadline: the SPM is told and deprovisioning goes ahead', async () => {
  const line = await activeLine(h);
  const handle = await terminate(h, line, '2029-01-31');
  const ended = await handle.result();
  expect(ended.status).toBe('TERMINATED');
  expect(ended.settlement).toMatchObject({ earlyTerminationFee: 0, remainingMonths: 0 });
  expect(historyTypes(ended)).toEqual(expect.arrayContaining(['equipment-reminder', 'equipment-overdue', 'removed:pbx-extension']));
  expect(historyTypes(ended)).not.toContain('equipment-returned');
  expect(await notificationKinds(h, line.id)).toEqual(['line-active', 'equipment-reminder', 'equipment-overdue', 'line-terminated']);
  expect(await h.vendors.pbx.getExtension(line.dn)).toBeUndefined();
});
