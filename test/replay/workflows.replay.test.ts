import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import * as workflows from '../../workflows';
import { workflowBundle } from '../support/worker';
import { SCENARIOS } from './scenarios';

/**
 * Every committed history (scripts/record-histories.ts writes them) must replay
 * against the current workflow code: a change that would break running
 * incidents, line or change workflows fails here, before it ships.
 */

const DIR = path.join(__dirname, 'histories');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

function load(file: string): { workflowId: string; history: unknown } {
  return { workflowId: file.replace(/\.json$/, ''), history: JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) };
}

test('there is a recorded history for every scenario, and a scenario of every workflow type', () => {
  expect(files.sort()).toEqual(SCENARIOS.map((s) => `${s.name}.json`).sort());
  const types = new Set(files.map((f) => load(f).history as { events: Array<{ workflowExecutionStartedEventAttributes?: { workflowType: { name: string } } }> }).map(
    (h) => h.events[0].workflowExecutionStartedEventAttributes?.workflowType.name,
  ));
  expect([...types].sort()).toEqual(Object.keys(workflows).sort());
});

test.each(files)('%s replays without non-determinism', async (file) => {
  const { history, workflowId } = load(file);
  await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId)).resolves.toBeUndefined();
});

test('a history that no longer matches the code is caught', async () => {
  const { history, workflowId } = load('incident-p2-cancelled.json');
  const tampered = JSON.parse(JSON.stringify(history));
  // As if the workflow had once scheduled a different activity first: the code now disagrees.
  const scheduled = tampered.events.find((e: { activityTaskScheduledEventAttributes?: unknown }) => e.activityTaskScheduledEventAttributes);
  scheduled.activityTaskScheduledEventAttributes.activityType.name = 'legacyProjectIncident';
  await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, tampered, workflowId)).rejects.toBeInstanceOf(
    DeterminismViolationError,
  );
});
