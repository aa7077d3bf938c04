import type { WorkflowHandle } from '@temporalio/client';
import type { HistoryJson } from '../../domain/audit/history-json';
import { runLinks } from '../../domain/audit/history-json';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { changeUpdates, changeWorkflowId } from '../../workflows/change/messages';
import { lineWorkflowId, recordContractUpdate } from '../../workflows/line/messages';
import { CONTRACT, DAY, ENGINEER, HOUR, SPM, freshDn, historyTypes, lineId, useLineHarness, windowFromNow } from './line-harness';

/**
 * A line waiting weeks for its carrier contract, a change waiting for approvals: reminders keep
 * adding to the history, so past a size the run hands over to a new one with the state as it
 * stands. Here every 25 events (the time-skipping server, the real activities and Kamailio):
 * the reminders, the deadline and what follows are the same as in one run.
 */

const h = useLineHarness();

async function runCount(handle: WorkflowHandle): Promise<number> {
  let count = 0;
  let runId: string | undefined;
  for (;;) {
    const history = JSON.parse(historyToJSON(await h.env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory())) as HistoryJson;
    count++;
    runId = runLinks(history).continues;
    if (!runId) return count;
  }
}

test('a line reminded hourly for ten hours hands over and goes on: ten reminders, then installed and accepted', async () => {
  const id = lineId();
  const handle = await h.env.client.workflow.start('lineProvisioningWorkflow', {
    workflowId: lineWorkflowId(id),
    taskQueue: h.worker.taskQueue,
    args: [
      {
        center: '상담 1센터',
        dn: freshDn(),
        displayName: '상담원',
        lineType: 'extension',
        id,
        requestedBy: SPM,
        requestedAt: new Date(await h.env.currentTimeMs()).toISOString(),
        timing: { contractDeadlineMs: 14 * DAY, contractReminderMs: HOUR, equipmentDeadlineMs: DAY, equipmentReminderMs: DAY },
        handoverEvents: 25,
      },
    ],
  });
  await h.env.sleep(10 * HOUR + 30 * 60_000);
  await handle.executeUpdate(recordContractUpdate, { args: [{ body: CONTRACT, actor: SPM }] });
  const line = await handle.result();
  expect(line.status).toBe('ACTIVE');
  expect(historyTypes(line).filter((t) => t === 'contract-reminder')).toHaveLength(10);
  expect(historyTypes(line).filter((t) => t === 'requested')).toHaveLength(1);
  expect(await runCount(handle)).toBeGreaterThan(1);
});

test('a change reminded for its approvals hands over and still expires at its deadline', async () => {
  const id = `CHG-${Math.random().toString(16).slice(2, 8)}`;
  const handle = await h.env.client.workflow.start('changeRequestWorkflow', {
    workflowId: changeWorkflowId(id),
    taskQueue: h.worker.taskQueue,
    args: [
      {
        type: 'skillset',
        target: `agent.${id}@center1.example`,
        params: { skills: [{ name: '영어', proficiency: 5 }] },
        window: await windowFromNow(h, 3 * DAY),
        reason: '영어 상담 투입',
        id,
        requestedBy: ENGINEER,
        requestedAt: new Date(await h.env.currentTimeMs()).toISOString(),
        timing: { approvalDeadlineMs: 12 * HOUR, approvalReminderMs: HOUR },
        handoverEvents: 25,
      },
    ],
  });
  await h.env.sleep(5 * HOUR + 30 * 60_000);
  // A rejection on a later run is a rejection like any other.
  await expect(
    handle.executeUpdate(changeUpdates.reject, { args: [{ body: { approver: 'customer', comment: '일정 재조정' }, actor: SPM }] }),
  ).resolves.toMatchObject({ status: 'REJECTED' });
  const change = await handle.result();
  expect(change.status).toBe('REJECTED');
  expect(historyTypes(change).filter((t) => t === 'approval-reminder')).toHaveLength(5);
  expect(await runCount(handle)).toBeGreaterThan(1);
});
