import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { findLine } from '../../db/lines.repo';
import type { LineFailure } from '../../domain/line/contracts';
import { recordContractUpdate } from '../../workflows/line/messages';
import { CONTRACT, SPM, activeLine, historyTypes, requestLine, terminatedLine, useLineHarness } from './line-harness';

// An agent's line names the CTI queues its agent answers: joined after the skills, undone and removed like team memberships.
const h = useLineHarness();

const agent = (loginId: string, queues: string[]) => ({ loginId, name: '김상담', team: '상담1팀', skills: [{ name: '상담', proficiency: 3 }], queues });

async function queueMembers(name: string): Promise<string[]> {
  const queue = (await h.vendors.cti.findQueueByName(name))!;
  return h.vendors.cti.listQueueMembers(queue.id);
}

test('the agent joins every queue its line names; termination takes it out of each, and leaves a membership it had before Butler', async () => {
  const { cti } = h.vendors;
  const loginId = 'queues.two@center1.example';
  // Already answering 카드분실신고 before the line: that membership is adopted, not Butler's to remove.
  const before = await cti.createAgent({ loginId, name: '기존상담' }, { key: 'queues-outside-agent' });
  const lost = (await cti.findQueueByName('카드분실신고'))!;
  await cti.addQueueMembers(lost.id, [before.id], { key: 'queues-outside-membership' });

  const line = await activeLine(h, { agent: agent(loginId, ['대표번호', '카드분실신고']) });
  expect(line.status).toBe('ACTIVE');
  const memberships = line.installed.filter((i) => i.kind === 'cti-queue-member');
  expect(memberships).toEqual([
    { kind: 'cti-queue-member', queueId: expect.any(String), queue: '대표번호', agentId: before.id, origin: 'created' },
    { kind: 'cti-queue-member', queueId: lost.id, queue: '카드분실신고', agentId: before.id, origin: 'adopted' },
  ]);
  expect(historyTypes(line).filter((t) => t === 'installed:cti-queue-member')).toHaveLength(2);
  expect(await queueMembers('대표번호')).toContain(before.id);

  const ended = await terminatedLine(h, line, '센터 축소');
  expect(ended.status).toBe('TERMINATED');
  expect(ended.installed).toEqual([]);
  expect(await queueMembers('대표번호')).not.toContain(before.id);
  expect(await queueMembers('카드분실신고')).toContain(before.id);
});

test('a membership added by hand after installation is found by the termination (the line names the queue) and removed too', async () => {
  const line = await activeLine(h, { agent: agent('queues.reconciled@center1.example', ['VIP 상담']) });
  const member = line.installed.find((i) => i.kind === 'cti-queue-member');
  expect(member).toMatchObject({ queue: 'VIP 상담', origin: 'created' });
  // The line's record loses the membership (a lost step result, a hand edit): reconciliation still finds it on the CTI.
  const stored = (await findLine(h.db.pool, line.id))!;
  const withoutQueue = { ...stored, installed: stored.installed.filter((i) => i.kind !== 'cti-queue-member') };
  await h.db.pool.query(`UPDATE lines SET state = $2 WHERE id = $1`, [line.id, withoutQueue]);

  const ended = await terminatedLine(h, line, '센터 축소');
  expect(ended.status).toBe('TERMINATED');
  expect(historyTypes(ended)).toContain('found:cti-queue-member');
  expect(await queueMembers('VIP 상담')).not.toContain((member as { agentId: string }).agentId);
});

test('a queue that refuses the agent for good fails the line at cti-queues; the undo takes the agent out of the queues it joined', async () => {
  const { emulator } = h.vendors;
  const overseas = (await h.vendors.cti.findQueueByName('해외결제문의'))!;
  emulator.faults.set({
    route: { method: 'POST', path: `/api/v2/routing/queues/${overseas.id}/members` },
    failAlways: { status: 404, code: 'not.found', message: 'queue deleted' },
  });
  const { id, handle } = await requestLine(h, { agent: agent('queues.undo@center1.example', ['VIP 상담', '해외결제문의']) });
  await handle.executeUpdate(recordContractUpdate, { args: [{ body: CONTRACT, actor: SPM }] });
  const err = await handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const failure = ((err as WorkflowFailedError).cause as ApplicationFailure).details?.[0] as LineFailure;
  expect(failure).toMatchObject({ step: 'cti-queues', type: 'VendorNotFound' });

  const stored = (await findLine(h.db.pool, id))!;
  expect(stored).toMatchObject({ status: 'FAILED', installed: [] });
  const joined = stored.history.find((e) => e.type === 'installed:cti-queue-member')?.details as { agentId: string; queue: string };
  expect(joined.queue).toBe('VIP 상담');
  expect(historyTypes(stored)).toContain('undone:cti-queue-member');
  expect(await queueMembers('VIP 상담')).not.toContain(joined.agentId);
});
