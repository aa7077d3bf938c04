/**
 * The SLA what-if at scale: N archived incidents (default 10,000) judged again under a candidate
 * policy set, through the same function the API answers with (api/sla-what-if-service.ts).
 *
 * Starts the embedded PostgreSQL, archives N incident histories made from the committed replay
 * fixtures (real histories of the real workflow, each given an incident id, a run id and a closing
 * instant of its own), then times:
 * - cold: no clock case read yet, every history is read and parsed (what the first what-if over
 *   histories archived before this feature does);
 * - warm: the cases are read (what the archiver leaves behind for every incident it archives);
 * - the judging alone (evaluateWhatIf), without the database.
 * Prints a markdown table for the README. Figures only: nothing is asserted (test/api/sla-what-if.test.ts
 * and test/domain/sla-what-if.test.ts check the answers).
 *
 *   npm run bench:what-if -- [--incidents 10000] [--repeat 3]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sha256Hex } from '../adapters/temporal/history-capture';
import { slaWhatIf } from '../api/sla-what-if-service';
import { migrate } from '../db/migrate';
import { archiveHistory } from '../db/histories.repo';
import { closedIncidentCases, closedIncidentRuns, readSlaCase } from '../db/sla-cases.repo';
import { readIncidentClockCase } from '../domain/audit/sla-proof';
import type { HistoryJson } from '../domain/audit/history-json';
import { createAuditSigner } from '../domain/audit/seal';
import { evaluateWhatIf, WhatIfRequest } from '../domain/sla/what-if';
import { startEmbeddedPostgres } from '../runtime/embedded-postgres';
import { newAuditKeyPem, readAuditKey } from '../system/audit-key';
import { freePort } from '../system/ports';
import { createPool } from '../system/postgres';

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith('--') && args.set(a.slice(2), all[i + 1]));
const N = Number(args.get('incidents') ?? 10_000);
const REPEAT = Math.max(1, Number(args.get('repeat') ?? 3));

const FIXTURES = [
  'incident-p1-breach-reopen-autoclose',
  'incident-p2-cancelled',
  'incident-p2-rca-report-published',
  'incident-p3-escalated-closed',
  'incident-monitoring-auto-resolved',
];
const QUARTER = { from: Date.parse('2026-07-01T00:00:00+09:00'), to: Date.parse('2026-10-01T00:00:00+09:00') };
const REQUEST = WhatIfRequest.parse({
  from: '2026-07-01',
  to: '2026-10-01',
  policies: [
    { severity: 'P1', complexity: 'complex', clock: '24x7', responseTargetSeconds: 900, restoreTargetSeconds: 5 * 60 },
    { severity: 'P2', complexity: 'complex', clock: '24x7', responseTargetSeconds: 1800, restoreTargetSeconds: 3600 },
    { severity: 'P2', complexity: 'simple', clock: 'business', responseTargetSeconds: 1800, restoreTargetSeconds: 15 * 60 },
  ],
  calendar: { addHolidays: ['2026-08-14'], removeHolidays: [] },
});

/** A fixture history as a template: its text with the incident id and run id to replace. */
function template(name: string) {
  const text = JSON.stringify(JSON.parse(readFileSync(path.join(__dirname, '..', 'test', 'replay', 'histories', `${name}.json`), 'utf8')));
  const history = JSON.parse(text) as HistoryJson & {
    events: Array<{ eventTime: string; workflowExecutionStartedEventAttributes?: { originalExecutionRunId: string } }>;
  };
  const { input } = readIncidentClockCase(history);
  return {
    text,
    incidentId: input.id,
    runId: history.events[0]!.workflowExecutionStartedEventAttributes!.originalExecutionRunId,
    startedAt: history.events[0]!.eventTime,
    events: history.events.length,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'butler-bench-whatif-'));
  const db = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  const pool = createPool(db.url, 4);
  const signer = createAuditSigner(readAuditKey(newAuditKeyPem()));
  try {
    await migrate(db.url);
    const templates = FIXTURES.map(template);
    const archiving = performance.now();
    let bytes = 0;
    for (let i = 0; i < N; i++) {
      const t = templates[i % templates.length]!;
      const incidentId = `INC-${String(100_000 + i).padStart(6, '0')}`;
      const runId = randomUUID();
      const history = t.text.split(t.incidentId).join(incidentId).split(t.runId).join(runId);
      bytes += history.length;
      const closedAt = new Date(QUARTER.from + Math.floor(((i + 0.5) / N) * (QUARTER.to - QUARTER.from))).toISOString();
      await archiveHistory(pool, signer, {
        runId,
        workflowId: `incident-${incidentId}`,
        workflowType: 'incidentWorkflow',
        businessKey: incidentId,
        status: 'COMPLETED',
        startedAt: t.startedAt,
        closedAt,
        events: t.events,
        history,
        sha256: sha256Hex(history),
      });
    }
    process.stderr.write(`archived ${N} incident histories (${(bytes / 1e6).toFixed(0)} MB) in ${seconds(performance.now() - archiving)}\n`);

    // Cold: every history read and parsed, its case kept.
    const coldStart = performance.now();
    const cold = await slaWhatIf(pool, signer, REQUEST);
    const coldMs = performance.now() - coldStart;
    if (cold.incidents !== N) throw new Error(`judged ${cold.incidents} incidents, not ${N}`);

    const warm: number[] = [];
    const reading: number[] = [];
    const judging: number[] = [];
    for (let r = 0; r < REPEAT; r++) {
      const started = performance.now();
      await slaWhatIf(pool, signer, REQUEST);
      warm.push(performance.now() - started);
      const readStarted = performance.now();
      const { cases } = await closedIncidentCases(pool, signer, new Date(QUARTER.from).toISOString(), new Date(QUARTER.to).toISOString());
      reading.push(performance.now() - readStarted);
      const judgeStarted = performance.now();
      evaluateWhatIf(REQUEST, cases);
      judging.push(performance.now() - judgeStarted);
    }
    // What the archiver does per incident as it archives it (so warm is the normal case).
    const sample = (await closedIncidentRuns(pool, new Date(QUARTER.from).toISOString(), new Date(QUARTER.to).toISOString())).slice(0, 50);
    const perIncident = performance.now();
    for (const run of sample) await readSlaCase(pool, signer, run);
    const perIncidentMs = (performance.now() - perIncident) / sample.length;

    process.stdout.write(
      [
        `| Incidents judged (${N.toLocaleString('en-US')} archived, a candidate set of 3 policies and a holiday) | Time |`,
        '|---|---|',
        `| Cold: every history read and parsed (${(bytes / 1e6).toFixed(0)} MB), its case kept | ${seconds(coldMs)} |`,
        `| Warm (the archiver read each case as it archived it), median of ${REPEAT} | ${seconds(median(warm))} |`,
        `| — of which reading the cases from PostgreSQL and checking their seals | ${seconds(median(reading))} |`,
        `| — of which judging them twice (now and candidate) with the second evaluation | ${seconds(median(judging))} |`,
        `| Flips found | ${cold.flips.length.toLocaleString('en-US')} |`,
        `| The archiver's extra work per archived incident | ${perIncidentMs.toFixed(1)} ms |`,
        '',
      ].join('\n'),
    );
  } finally {
    await pool.end();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:what-if: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
