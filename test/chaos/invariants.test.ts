import type { IncidentState, TimelineEvent } from '../../domain/incident/contracts';
import { checkSlaTimers } from '../../chaos/invariants/sla-timers';
import { slaTimerAllowance } from '../../chaos/run';
import { incidentThrough, MIN } from '../domain/incident-fixture';
import type { LedgerEntry } from '../../chaos/api-client';
import { checkDuplicates } from '../../chaos/invariants/duplicates';
import { checkNoWorkflowTaskFailed } from '../../chaos/invariants/histories';
import { diff, lineDifference } from '../../chaos/invariants/read-model';
import { checkAckedTransitions } from '../../chaos/invariants/transitions';
import { compareVendorObjects } from '../../chaos/invariants/vendor-objects';
import type { LineState } from '../../domain/line/contracts';
import { planFaults, FAULTS_OF } from '../../chaos/faults';
import { createRng } from '../../chaos/rng';

/** The checkers catch what they are for: each is fed a planted violation and the same data without it. */

test('a webhook delivered twice with the same key to the same target is a violation; to two targets it is not', () => {
  const ok = checkDuplicates(
    [],
    [
      { key: 'INC-1:opened', to: '/butler' },
      { key: 'INC-1:opened', to: '/contacts/spm' },
    ],
  );
  expect(ok.violations).toEqual([]);
  expect(ok.checks['no-duplicate-webhook']).toBe(2);
  const dup = checkDuplicates(
    [],
    [
      { key: 'INC-1:opened', to: '/butler' },
      { key: 'INC-1:opened', to: '/butler' },
    ],
  );
  expect(dup.violations).toEqual([
    expect.objectContaining({ invariant: 'no-duplicate-webhook', subject: 'INC-1:opened', detail: expect.stringContaining('delivered 2 times to /butler') }),
  ]);
});

test('an e-mail delivered twice to one recipient is a violation', () => {
  const r = checkDuplicates(
    [
      { key: 'INC-2:resolved:5', to: 'spm@x.example' },
      { key: 'INC-2:resolved:5', to: 'spm@x.example' },
    ],
    [],
  );
  expect(r.violations.map((v) => v.invariant)).toEqual(['no-duplicate-email']);
});

test('a history with a WorkflowTaskFailed event is a violation naming the event and its cause', () => {
  const history = (failed: boolean) => ({
    events: [
      { eventId: 1, eventType: 1, workflowExecutionStartedEventAttributes: {} },
      ...(failed
        ? [
            {
              eventId: 4,
              eventType: 9,
              workflowTaskFailedEventAttributes: { cause: 24, failure: { message: '[TMPRL1100] Nondeterminism error: Local activity marker data mismatch' } },
            },
          ]
        : []),
    ],
  });
  expect(checkNoWorkflowTaskFailed([{ workflowId: 'incident-INC-1', runId: 'r1', history: history(false) as never }]).violations).toEqual([]);
  const r = checkNoWorkflowTaskFailed([{ workflowId: 'incident-INC-1', runId: 'r1', history: history(true) as never }]);
  expect(r.violations).toEqual([
    expect.objectContaining({
      invariant: 'no-workflow-task-failed',
      subject: 'incident-INC-1',
      detail: expect.stringMatching(/#4 WorkflowTaskFailed \(NON_DETERMINISTIC_ERROR\): .*Nondeterminism/),
    }),
  ]);
});

const entry = (over: Partial<LedgerEntry>): LedgerEntry => ({
  id: 'req-1',
  method: 'POST',
  path: '/api/v1/incidents/INC-1/notes',
  role: 'spm',
  tag: 'chaos#1:notes',
  outcome: 'acked',
  status: 200,
  attempts: ['200'],
  at: '',
  ...over,
});
const note = (seq: number, tag: string, actor = 'chaos-spm'): TimelineEvent => ({
  seq,
  at: '2026-01-01T00:00:00Z',
  type: 'note',
  actor: { id: actor, role: 'spm' },
  details: { text: tag },
});

test('an acknowledged transition must be in the timeline exactly once', () => {
  const timelines = (events: TimelineEvent[]) => new Map([['INC-1', events]]);
  const actorOf = (role: string) => `chaos-${role}`;
  expect(checkAckedTransitions([entry({})], timelines([note(1, 'chaos#1:notes')]), actorOf).violations).toEqual([]);
  const twice = checkAckedTransitions([entry({ attempts: ['timeout', '200'] })], timelines([note(1, 'chaos#1:notes'), note(2, 'chaos#1:notes')]), actorOf);
  expect(twice.violations).toEqual([
    expect.objectContaining({ invariant: 'acked-transition-once', detail: expect.stringContaining('in the timeline 2 times') }),
  ]);
  const lost = checkAckedTransitions([entry({})], timelines([note(1, 'chaos#1:notes', 'someone-else')]), actorOf);
  expect(lost.violations).toEqual([expect.objectContaining({ detail: expect.stringContaining('in the timeline 0 times') })]);
  // A refused request that left a trace anyway is caught too; one without a clear answer may be there once.
  expect(checkAckedTransitions([entry({ outcome: 'refused', status: 409 })], timelines([note(1, 'chaos#1:notes')]), actorOf).violations).toHaveLength(1);
  expect(checkAckedTransitions([entry({ outcome: 'unknown' })], timelines([note(1, 'chaos#1:notes')]), actorOf).violations).toEqual([]);
});

test('a vendor object no live line holds is an orphan, and a live line missing its object is caught', () => {
  const line = {
    id: 'LN-1',
    status: 'ACTIVE',
    installed: [
      { kind: 'pbx-extension', dn: '70001' },
      { kind: 'cti-agent', agentId: 'u1', loginId: 'a@x' },
    ],
  } as unknown as LineState;
  const vendor = {
    subscribers: ['0990', '70001'],
    dialplanRules: ['test-line'],
    trunks: ['test-answering-point'],
    ctiUsers: [{ id: 'u1', email: 'a@x' }],
    teamMembers: [],
    queueMembers: [],
  };
  const exclude = { subscribers: ['0990'], dialplanRules: ['test-line'], trunks: ['test-answering-point'] };
  expect(compareVendorObjects([line], vendor, exclude).violations).toEqual([]);
  const orphan = compareVendorObjects([{ ...line, status: 'TERMINATED' }], vendor, exclude);
  expect(orphan.violations.map((v) => v.detail)).toEqual([
    'Kamailio subscriber 70001 exists but no ACTIVE, TERMINATION_SCHEDULED or TERMINATION_FAILED line has it installed',
    'CTI user u1 (a@x) exists but no ACTIVE, TERMINATION_SCHEDULED or TERMINATION_FAILED line has it installed',
  ]);
  const missing = compareVendorObjects([line], { ...vendor, ctiUsers: [] }, exclude);
  expect(missing.violations.map((v) => v.detail)).toEqual(['line LN-1 is ACTIVE with CTI user u1 (?) installed, but the vendor has no such object']);
  // A termination waiting for its effective date: the line is in service, its objects are expected.
  expect(compareVendorObjects([{ ...line, status: 'TERMINATION_SCHEDULED' }], vendor, exclude).violations).toEqual([]);
  // A termination that left the CTI user behind lists it (and only it): that is no orphan, the removed extension must be gone.
  const leftover = { ...line, status: 'TERMINATION_FAILED', installed: [{ kind: 'cti-agent', agentId: 'u1', loginId: 'a@x' }] } as LineState;
  expect(compareVendorObjects([leftover], { ...vendor, subscribers: ['0990'] }, exclude).violations).toEqual([]);
  expect(compareVendorObjects([leftover], vendor, exclude).violations.map((v) => v.detail)).toEqual([
    'Kamailio subscriber 70001 exists but no ACTIVE, TERMINATION_SCHEDULED or TERMINATION_FAILED line has it installed',
  ]);
  expect(compareVendorObjects([leftover], { ...vendor, ctiUsers: [] }, exclude).violations.map((v) => v.detail)).toEqual([
    'Kamailio subscriber 70001 exists but no ACTIVE, TERMINATION_SCHEDULED or TERMINATION_FAILED line has it installed',
    'line LN-1 is TERMINATION_FAILED with CTI user u1 (?) installed, but the vendor has no such object',
  ]);
});

test('a CTI queue membership is an orphan once no live line lists it, and a live line missing one is caught', () => {
  const line = {
    id: 'LN-2',
    status: 'ACTIVE',
    installed: [{ kind: 'cti-queue-member', queueId: 'q1', queue: '대표번호', agentId: 'u2' }],
  } as unknown as LineState;
  const vendor = {
    subscribers: [],
    dialplanRules: [],
    trunks: [],
    ctiUsers: [],
    teamMembers: [],
    queueMembers: [{ queueId: 'q1', queue: '대표번호', userId: 'u2' }],
  };
  const exclude = { subscribers: [], dialplanRules: [], trunks: [] };
  expect(compareVendorObjects([line], vendor, exclude).violations).toEqual([]);
  expect(compareVendorObjects([{ ...line, status: 'TERMINATED' }], vendor, exclude).violations.map((v) => v.detail)).toEqual([
    'CTI queue membership q1/u2 (대표번호) exists but no ACTIVE, TERMINATION_SCHEDULED or TERMINATION_FAILED line has it installed',
  ]);
  expect(compareVendorObjects([line], { ...vendor, queueMembers: [] }, exclude).violations.map((v) => v.detail)).toEqual([
    'line LN-2 is ACTIVE with CTI queue membership q1/u2 (?) installed, but the vendor has no such object',
  ]);
});

test('the read-model comparison names the first field that differs', () => {
  expect(diff({ status: 'CLOSED', timeline: [1, 2] }, { status: 'CLOSED', timeline: [1, 2] })).toBeUndefined();
  expect(diff({ status: 'CLOSED' }, { status: 'RESOLVED' })).toBe('status: workflow "CLOSED" ≠ read model "RESOLVED"');
});

test('a line changed by a change request after its workflow closed: equal only with exactly the changes recorded on it', () => {
  const state = {
    id: 'LN-1',
    dn: '70001',
    status: 'ACTIVE',
    step: 'active',
    installed: [{ kind: 'pbx-extension', dn: '70001' }],
    agent: { loginId: 'a@x.example', name: 'A', team: 'T', skills: [{ name: '상담', proficiency: 3 }] },
    history: [{ seq: 1, at: 't', type: 'status:ACTIVE', actor: { id: 'butler', role: 'system' } }],
  } as unknown as LineState;
  const after = { dn: '70009', installed: [{ kind: 'pbx-extension' as const, dn: '70009' }] };
  const changed: LineState = {
    ...state,
    ...after,
    history: [...state.history, { seq: 2, at: 'u', type: 'changed-by:CHG-1', actor: { id: 'butler', role: 'system' }, details: { after } }],
  };
  const follow = { changeId: 'CHG-1', lineSeq: 2, after };
  expect(lineDifference(state, [], state)).toBeUndefined();
  expect(lineDifference(state, [follow], changed)).toBeUndefined();
  // The read model changed without a change saying so, or a change said so and the read model did not follow.
  expect(lineDifference(state, [], changed)).toMatch(/^dn: workflow "70001" ≠ read model "70009"/);
  expect(lineDifference(state, [follow], state)).toMatch(/^dn: workflow "70009" ≠ read model "70001"/);
  // The entry is there but a field was not changed as the change recorded.
  expect(lineDifference(state, [follow], { ...changed, installed: state.installed })).toMatch(/^installed\[0\]/);
  // A termination started from the inventory already holds the entry: it is not added twice.
  expect(lineDifference(changed, [follow], changed)).toBeUndefined();
});

test('the fault plan is fixed by the seed and goes through every kind before repeating one', () => {
  const plan = planFaults(createRng(1234), 4, 2);
  expect(planFaults(createRng(1234), 4, 2)).toEqual(plan);
  expect(new Set(plan.flat())).toEqual(new Set(FAULTS_OF['dev-server']));
});

describe('every SLA timer fired, once, late by the outage at most', () => {
  const openedAt = '2026-03-02T01:00:00.000Z';
  // Complex: the response clock is due 30 min after opening; assigned after 40 min, it breached.
  const breachedResponse = () => incidentThrough('INC-7', 'P1', 'complex', 'PBX', undefined, openedAt, [['assign', 40 * MIN]]);
  const due = '2026-03-02T01:30:00.000Z';
  const recordBreach = (state: IncidentState, at: string, dueAt = due) =>
    state.timeline.push({
      seq: state.timeline.length + 1,
      at,
      type: 'sla-breached',
      actor: { id: 'system', role: 'system' } as never,
      details: { clock: 'response', dueAt },
    });
  const check = (state: IncidentState, allowanceMs = 10_000) => checkSlaTimers(new Map([['INC-7', state]]), allowanceMs, new Date('2026-03-02T03:00:00Z'));

  test('recorded 1.2 s after its due instant: on time, and its lateness measured', () => {
    const state = breachedResponse();
    recordBreach(state, '2026-03-02T01:30:01.200Z');
    const r = check(state);
    expect(r.violations).toEqual([]);
    expect(r.checks['sla-timer-on-time']).toBe(1);
    expect([...r.lateness]).toEqual([['incident INC-7 response', 1_200]]);
  });

  test('never recorded, recorded twice, recorded late, recorded against another due instant: each a violation', () => {
    const detail = (state: IncidentState) => check(state).violations.map((v) => v.detail);
    expect(detail(breachedResponse())).toEqual([expect.stringContaining('no breach was ever recorded')]);
    const twice = breachedResponse();
    recordBreach(twice, '2026-03-02T01:30:00.500Z');
    recordBreach(twice, '2026-03-02T01:30:02.000Z');
    expect(detail(twice)).toEqual([expect.stringContaining('2 breaches recorded')]);
    const late = breachedResponse();
    recordBreach(late, '2026-03-02T01:30:30.000Z');
    expect(detail(late)).toEqual([expect.stringContaining('30000 ms late')]);
    const elsewhere = breachedResponse();
    recordBreach(elsewhere, '2026-03-02T01:30:00.100Z', '2026-03-02T01:31:00.000Z');
    expect(detail(elsewhere)).toEqual([expect.stringContaining('the clock says 2026-03-02T01:30:00.000Z')]);
  });

  test('a breach recorded for a clock that met its target is a violation; a clock due a moment ago is left for the next check', () => {
    const met = incidentThrough('INC-7', 'P1', 'complex', 'PBX', undefined, openedAt, [['assign', 10 * MIN]]);
    recordBreach(met, '2026-03-02T01:30:00.000Z');
    expect(check(met).violations).toEqual([
      expect.objectContaining({ invariant: 'sla-timer-on-time', detail: expect.stringContaining('never reached its target') }),
    ]);
    const recent = breachedResponse();
    const r = checkSlaTimers(new Map([['INC-7', recent]]), 10_000, new Date('2026-03-02T01:30:05Z'));
    expect(r.violations).toEqual([]);
    expect(r.checks['sla-timer-on-time']).toBeUndefined();
  });
});

test("the cluster's faults are the history service, a worker and PostgreSQL; the dev server's plan is as it was", () => {
  const plan = planFaults(createRng(99), 3, 2, FAULTS_OF.cluster);
  expect(new Set(plan.flat())).toEqual(new Set(['history-sigkill', 'worker-sigkill', 'postgres-restart']));
  expect(FAULTS_OF['dev-server']).not.toContain('history-sigkill');
  expect(planFaults(createRng(99), 3, 2)).toEqual(planFaults(createRng(99), 3, 2, FAULTS_OF['dev-server']));
});

test('an SLA timer may be late by the longest outage, faults that follow one another counting as one, plus the sticky timeout and 5 s', () => {
  const slack = 10_000;
  expect(slaTimerAllowance([])).toBe(slack);
  // Far apart: the longest alone.
  expect(
    slaTimerAllowance([
      { startedAt: 0, tookMs: 6_000 },
      { startedAt: 60_000, tookMs: 2_000 },
    ]),
  ).toBe(6_000 + slack);
  // The second began before the stack had caught up with the first: one outage.
  expect(
    slaTimerAllowance([
      { startedAt: 10_000, tookMs: 2_000 },
      { startedAt: 0, tookMs: 6_000 },
    ]),
  ).toBe(8_000 + slack);
});
