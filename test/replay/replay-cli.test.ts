import { testAuditSigner } from '../../runtime/embedded-worker';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { archiveHistory } from '../../db/histories.repo';
import { sha256Hex } from '../../adapters/temporal/history-capture';
import { archivedHistories } from '../../runtime/replay-sources';
import { incidentBody, useHarness } from '../api/harness';

/**
 * `npm run replay` as a release gate, run as the real CLI in a child process: the
 * committed fixtures pass, and a history the code no longer matches fails it, whether
 * read from files, from the archive (where an altered row fails on its hash first) or
 * live from Temporal.
 */

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'histories');
const h = useHarness();

function replay(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/replay.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lines = (stdout: string) => stdout.trim().split('\n');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8').trim();

/** The tampering of workflows.replay.test.ts: as if the workflow had once scheduled a different activity first. */
function tampered(name: string): string {
  const history = JSON.parse(fixture(name));
  history.events.find(
    (e: { activityTaskScheduledEventAttributes?: unknown }) => e.activityTaskScheduledEventAttributes,
  ).activityTaskScheduledEventAttributes.activityType.name = 'legacyProjectIncident';
  return JSON.stringify(history);
}

const NON_DETERMINISTIC = /Nondeterminism error: Activity type of scheduled event 'legacyProjectIncident' does not match/;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'butler-replay-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('the committed fixtures replay: one ok line per file, exit 0', async () => {
  const run = await replay([]);
  const names = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort();
  expect(run.code).toBe(0);
  expect(lines(run.stdout)).toEqual([
    ...names.map((f) => expect.stringMatching(new RegExp(`^ok ${f.replace(/\.json$/, '')} run [0-9a-f-]{36} \\(test/replay/histories/${f}\\)$`))),
    `replayed ${names.length}: ${names.length} ok, 0 non-deterministic, 0 failed`,
  ]);
});

test('a tampered fixture fails the gate as NON-DETERMINISTIC, naming it and why; the good one beside it passes', async () => {
  const dir = mkdtempSync(path.join(tmp, 'fixtures-'));
  writeFileSync(path.join(dir, 'incident-p2-cancelled.json'), tampered('incident-p2-cancelled'));
  copyFileSync(path.join(FIXTURES, 'qsr-returned.json'), path.join(dir, 'qsr-returned.json'));
  const run = await replay(['--dir', dir]);
  expect(run.code).toBe(1);
  const [bad, good, summary] = lines(run.stdout);
  expect(bad).toMatch(/^NON-DETERMINISTIC incident-p2-cancelled run [0-9a-f-]{36} \(.*incident-p2-cancelled\.json\): /);
  expect(bad).toMatch(NON_DETERMINISTIC);
  expect(good).toMatch(/^ok qsr-returned run /);
  expect(summary).toBe('replayed 2: 1 ok, 1 non-deterministic, 0 failed');
});

test('bad arguments exit 2 with one line, before anything is replayed', async () => {
  for (const args of [
    ['--from-archive', '--query', "WorkflowType='incidentWorkflow'"],
    ['--limit', '5'],
    ['--from-archive', '--since', 'yesterday'],
    ['--dir', path.join(tmp, 'none')],
  ]) {
    const run = await replay(args);
    expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: 2, stdout: '' });
    expect(run.stderr).toMatch(/^replay: [^\n]+\n$/);
  }
});

describe('--from-archive', () => {
  const row = (closedAt: string, workflowId: string, history: string, sha256 = sha256Hex(history)) => {
    const started = JSON.parse(history).events[0];
    return archiveHistory(h.pool, testAuditSigner(), {
      runId: randomUUID(),
      workflowId,
      workflowType: started.workflowExecutionStartedEventAttributes.workflowType.name,
      businessKey: null,
      status: 'COMPLETED',
      startedAt: started.eventTime,
      closedAt,
      events: JSON.parse(history).events.length,
      history,
      sha256,
    });
  };

  beforeAll(async () => {
    await row('2025-01-01T00:00:00Z', 'incident-good', fixture('incident-p3-escalated-closed'));
    await row('2025-01-02T00:00:00Z', 'incident-rewritten', tampered('incident-p2-cancelled'));
    // Altered after archiving: the hash taken then no longer matches.
    await row('2025-01-03T00:00:00Z', 'change-altered', tampered('change-rejected'), sha256Hex(fixture('change-rejected')));
  });

  test('replays every archived history, checking each hash first: exit 1 naming the non-deterministic and the altered one', async () => {
    const run = await replay(['--from-archive'], { DATABASE_URL: h.databaseUrl });
    expect(run.code).toBe(1);
    const out = lines(run.stdout);
    expect(out).toHaveLength(4);
    expect(out).toContainEqual(expect.stringMatching(/^ok incident-good run [0-9a-f-]{36} \(archive\)$/));
    expect(out).toContainEqual(expect.stringMatching(/^NON-DETERMINISTIC incident-rewritten run [0-9a-f-]{36} \(archive\): .*legacyProjectIncident/));
    expect(out).toContainEqual(
      expect.stringMatching(/^FAILED change-altered run [0-9a-f-]{36} \(archive\): TAMPERED: the archived history no longer matches its sha256/),
    );
    expect(out[3]).toBe('replayed 3: 1 ok, 1 non-deterministic, 1 failed');
  });

  test('--type narrows the archive; a filter matching nothing has nothing to replay and passes', async () => {
    const incidents = await replay(['--from-archive', '--type', 'incidentWorkflow', '--limit', '1'], { DATABASE_URL: h.databaseUrl });
    expect(lines(incidents.stdout)).toEqual([expect.stringMatching(/^ok incident-good /), 'replayed 1: 1 ok, 0 non-deterministic, 0 failed']);
    expect(incidents.code).toBe(0);
    const none = await replay(['--from-archive', '--type', 'qsrWorkflow'], { DATABASE_URL: h.databaseUrl });
    expect({ code: none.code, stdout: none.stdout }).toEqual({ code: 0, stdout: 'nothing to replay: no archived history matches\n' });
  });

  test('the archive is read in batches, each row once, in order of closing', async () => {
    const read: string[] = [];
    for await (const s of archivedHistories(h.pool, {}, 2)) read.push(s.workflowId);
    expect(read).toEqual(['incident-good', 'incident-rewritten', 'change-altered']);
  });
});

test('--query replays live histories from Temporal, a running workflow as it stands', async () => {
  const opened = await h.call('post', '/api/v1/incidents', { token: h.tokens.spm, body: incidentBody({ severity: 'P3', complexity: 'simple' }) });
  expect(opened.status).toBe(201);
  const workflowId = `incident-${opened.body.id as string}`;
  const query = `WorkflowId='${workflowId}' AND ExecutionStatus='Running'`;
  // Visibility catches up with the start a moment later.
  for (let i = 0; i < 100 && (await h.client.workflow.count(query)).count === 0; i++) await new Promise((r) => setTimeout(r, 100));
  const env = { TEMPORAL_ADDRESS: process.env.BUTLER_TEST_TEMPORAL_ADDRESS!, TEMPORAL_NAMESPACE: h.namespace };

  const run = await replay(['--query', query], env);
  expect(lines(run.stdout)).toEqual([
    expect.stringMatching(new RegExp(`^ok ${workflowId} run [0-9a-f-]{36} \\(temporal incidentWorkflow RUNNING\\)$`)),
    'replayed 1: 1 ok, 0 non-deterministic, 0 failed',
  ]);
  expect(run.code).toBe(0);

  const none = await replay(['--query', `WorkflowId='incident-INC-999999'`], env);
  expect({ code: none.code, stdout: none.stdout }).toEqual({ code: 0, stdout: 'nothing to replay: no workflow matches the query\n' });
  const bad = await replay(['--query', 'NoSuchField = 1'], env);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/^replay: --query rejected by Temporal: /);

  await h.call('post', `/api/v1/incidents/${opened.body.id as string}/cancel`, { token: h.tokens.spm, body: { reason: '중복 접수' } });
});
