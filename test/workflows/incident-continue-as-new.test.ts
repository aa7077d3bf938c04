import type { HistoryJson } from '../../domain/audit/history-json';
import { runLinks } from '../../domain/audit/history-json';
import { proveSla } from '../../domain/audit/sla-proof';
import type { IncidentState } from '../../domain/incident/contracts';
import { incidentView } from '../../domain/incident/view';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { incidentUpdates } from '../../workflows/incident/messages';
import { act, HOUR, MINUTE, openIncident, query, sleepUntil, SPM, useIncidentHarness, type Harness, type OpenedIncident } from './incident-harness';

/**
 * A months-long incident continues as new; nothing anyone can see may change. Two incidents
 * live the same life side by side on the time-skipping server: one hands over to a new run
 * after every second Update or 40 history events, the other never. Their timelines, SLA
 * clocks, warnings, breach and escalation are the same, and the SLA proven from the handed-
 * over incident's runs, as one, matches and equals the other's.
 */

const h = useIncidentHarness();
const NEVER = { events: 1_000_000, updates: 1_000_000 };
const OFTEN = { events: 40, updates: 2 };

/** Every run of the workflow, oldest first, following the server's links back from the latest. */
async function runsOf(h: Harness, incident: OpenedIncident): Promise<HistoryJson[]> {
  const runs: HistoryJson[] = [];
  let runId: string | undefined;
  for (;;) {
    const handle = h.env.client.workflow.getHandle(incident.handle.workflowId, runId);
    const history = JSON.parse(historyToJSON(await handle.fetchHistory())) as HistoryJson;
    runs.unshift(history);
    runId = runLinks(history).continues;
    if (!runId) return runs;
  }
}

/**
 * The timeline with instants as offsets from the opening, rounded to the second: the two
 * incidents take each Update a few ms apart (one after the other), and every instant after
 * follows from those. The events, their order, actors and details must be the same.
 */
function relative(state: IncidentState, openedAtMs: number) {
  const offset = (iso: string) => Math.round((Date.parse(iso) - openedAtMs) / 1000);
  return state.timeline.map(({ seq, type, actor, from, to, details, at }) => ({
    seq, type, actor, from, to, offsetS: offset(at),
    details: details && Object.fromEntries(Object.entries(details).map(([k, v]) => [k, typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? offset(v) : v])),
  }));
}

test('an incident that continues as new every few Updates keeps its timeline, SLA, breach and proof', async () => {
  const [long, plain] = await Promise.all([
    openIncident(h, 'P1', 'complex', { limits: OFTEN }),
    openIncident(h, 'P1', 'complex', { limits: NEVER }),
  ]);
  const both = async (step: (i: OpenedIncident) => Promise<unknown>) => {
    await step(long);
    await step(plain);
  };
  await sleepUntil(h, long, 5 * MINUTE);
  await both((i) => act(h, i, 'assign', { assignee: 'eng.lee' }));
  await sleepUntil(h, long, 6 * MINUTE);
  await both((i) => act(h, i, 'start', {}));
  await sleepUntil(h, long, 20 * MINUTE);
  await both((i) => act(h, i, 'pend', { reason: 'customer', note: '고객사 회신 대기' }));
  await sleepUntil(h, long, 80 * MINUTE);
  await both((i) => act(h, i, 'notes', { text: '고객사 회신 수신' }, SPM));
  await both((i) => act(h, i, 'resume', {}));
  const runsBefore = (await runsOf(h, long)).length;

  // An Idempotency-Key's Update applied in one run and retried after a hand-over is not applied again.
  const escalate = (i: OpenedIncident) =>
    i.handle.executeUpdate(incidentUpdates.escalate, { args: [{ action: 'escalate', body: { reason: '벤더 지원 요청' }, actor: SPM }], updateId: `idem:${i.id}-escalate` });
  await sleepUntil(h, long, 100 * MINUTE);
  await both(escalate);
  await both((i) => act(h, i, 'notes', { text: '벤더 엔지니어 배정' }, SPM));
  await both((i) => act(h, i, 'notes', { text: '부품 발송' }, SPM));
  const retried = await escalate(long);
  expect(retried.event).toBeNull();
  expect(retried.level).toBe('L2');

  // Restore breaches at 4 h counted: 20 min before the pend, 220 after the resume at 80 min.
  await sleepUntil(h, long, 361 * MINUTE);
  await both((i) => act(h, i, 'resolve', { resolution: '트렁크 카드 교체' }));
  await sleepUntil(h, long, 362 * MINUTE);
  await both((i) => act(h, i, 'close', {}));
  const [endLong, endPlain] = await Promise.all([long.handle.result(), plain.handle.result()]);

  const runs = await runsOf(h, long);
  expect(runs.length).toBeGreaterThan(runsBefore);
  expect(runsBefore).toBeGreaterThan(1);
  expect((await runsOf(h, plain)).length).toBe(1);

  expect(endLong.breached).toEqual({ response: false, restore: true });
  expect(endLong.level).toBe('L3');
  expect(relative(endLong, long.openedAtMs)).toEqual(relative(endPlain, plain.openedAtMs));
  const warnings = (state: IncidentState, i: OpenedIncident) => state.warnings.map((w) => [w.clock, w.percent, Math.round((Date.parse(w.at) - i.openedAtMs) / 1000)]);
  expect(warnings(endLong, long)).toEqual(warnings(endPlain, plain));
  const closedAt = (i: OpenedIncident) => new Date(i.openedAtMs + 363 * MINUTE).toISOString();
  const sla = (state: IncidentState, i: OpenedIncident) => {
    const { response, restore } = incidentView(state, closedAt(i)).sla;
    return { response: Math.round(response.elapsedSeconds), restore: Math.round(restore.elapsedSeconds), breached: [response.breached, restore.breached] };
  };
  expect(sla(endLong, long)).toEqual(sla(endPlain, plain));
  // 20 min before the pend and from the resume at 80 min to the resolution at 361 min.
  expect(sla(endLong, long).restore).toBe(4 * HOUR / 1000 + 61 * 60);

  // The proof reads the runs as one incident and finds what the other's single history shows.
  const proof = proveSla(runs);
  const single = proveSla(await runsOf(h, plain));
  expect(proof.differences).toEqual([]);
  expect(proof.matches).toBe(true);
  expect(proof.runs).toHaveLength(runs.length);
  const s = (iso: string, openedAtMs: number) => Math.round((Date.parse(iso) - openedAtMs) / 1000);
  const shape = (p: typeof proof, openedAtMs: number) => ({
    events: p.clockEvents.map((e) => [e.type, s(e.at, openedAtMs), e.reason ?? null]),
    restore: [Math.round(p.recomputed.restore.elapsedSeconds), p.recomputed.restore.breached, s(p.recomputed.restore.dueAt!, openedAtMs)],
    response: [Math.round(p.recomputed.response.elapsedSeconds), p.recomputed.response.breached],
  });
  expect(shape(proof, long.openedAtMs)).toEqual(shape(single, plain.openedAtMs));

  // A later run alone cannot prove what came before it, and says so.
  expect(proveSla(runs.at(-1)!).differences[0]).toMatch(/continues run .* which was not supplied/);
});
