import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import * as workflows from '../../workflows';
import { workflowBundle } from '../../runtime/embedded-worker';
import { FIXTURE_DIR, fixtureFiles, readManifest, scenarioOf, sha256Of } from './fixtures';
import { SCENARIOS } from './scenarios';
import { proveSla } from '../../domain/audit/sla-proof';

/**
 * Every committed history (test/replay/record-histories.ts writes them) must replay
 * against the current workflow code: a change that would break running
 * incidents, line or change workflows fails here, before it ships. The histories
 * themselves are evidence and never change.
 */

const files = fixtureFiles();

function load(file: string): { workflowId: string; history: unknown } {
  return { workflowId: file.replace(/\.json$/, ''), history: JSON.parse(readFileSync(path.join(FIXTURE_DIR, file), 'utf8')) };
}

test('committed fixtures are never re-recorded, changed or removed: each matches its hash in SHA256SUMS', () => {
  const manifest = readManifest();
  expect(files).toEqual([...manifest.keys()].sort());
  expect(files.map((f) => [f, sha256Of(f)])).toEqual(files.map((f) => [f, manifest.get(f)]));
});

test('there is a recorded history for every scenario, and a scenario of every workflow type', () => {
  expect([...new Set(files.map(scenarioOf))].sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
  const types = new Set(
    files
      .map((f) => load(f).history as { events: Array<{ workflowExecutionStartedEventAttributes?: { workflowType: { name: string } } }> })
      .map((h) => h.events[0].workflowExecutionStartedEventAttributes?.workflowType.name),
  );
  expect([...types].sort()).toEqual(Object.keys(workflows).sort());
});

/** Every fixture replayed once, by one replay worker (a worker per history cost about half a second each). */
const replayed = new Map<string, Error | undefined>();
beforeAll(async () => {
  for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, files.map(load))) {
    replayed.set(result.workflowId, result.error);
  }
}, 300_000);

test.each(files)('%s replays without non-determinism', (file) => {
  const { workflowId } = load(file);
  expect(replayed.has(workflowId)).toBe(true);
  expect(replayed.get(workflowId)).toBeUndefined();
});

test('a history that no longer matches the code is caught', async () => {
  const { history, workflowId } = load('incident-p2-cancelled.json');
  const tampered = JSON.parse(JSON.stringify(history));
  // As if the workflow had once scheduled a different activity first: the code now disagrees.
  const scheduled = tampered.events.find((e: { activityTaskScheduledEventAttributes?: unknown }) => e.activityTaskScheduledEventAttributes);
  scheduled.activityTaskScheduledEventAttributes.activityType.name = 'legacyProjectIncident';
  await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, tampered, workflowId)).rejects.toBeInstanceOf(DeterminismViolationError);
});

test('the SLA proof of an incident its alert resolved sees that resolution in the recorded history', () => {
  const proof = proveSla(JSON.parse(readFileSync(path.join(FIXTURE_DIR, 'incident-monitoring-auto-resolved.json'), 'utf8')));
  expect({ matches: proof.matches, differences: proof.differences }).toEqual({ matches: true, differences: [] });
  expect(proof.clockEvents.map((e) => e.type)).toEqual(['opened', 'resolved', 'closed']);
});
