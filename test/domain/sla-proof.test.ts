import { readFileSync } from 'node:fs';
import path from 'node:path';
import { proveSla, SlaProofError } from '../../domain/audit/sla-proof';
import type { HistoryEvent, HistoryJson } from '../../domain/audit/history-json';
import type { Json } from '../support/json';

/**
 * The SLA proof reads nothing but a history: over the committed incident histories it
 * must agree with what each workflow recorded, and any edit to the history that changes
 * the facts (a time, a pend reason, the calendar, the recorded result) must show.
 */

const HISTORIES = path.join(__dirname, '..', 'replay', 'histories');
const load = (name: string): HistoryJson => JSON.parse(readFileSync(path.join(HISTORIES, `${name}.json`), 'utf8'));
const kind = (e: HistoryEvent) => e.eventType.replace(/^EVENT_TYPE_/, '');
const attrs = (e: HistoryEvent, key: string) => e[key] as Json;
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
const decode = (data: string) => JSON.parse(Buffer.from(data, 'base64').toString('utf8'));

describe.each(['incident-p1-breach-reopen-autoclose', 'incident-p2-cancelled', 'incident-p3-escalated-closed', 'incident-p2-rca-report-published'])(
  '%s',
  (name) => {
    it('recomputes the same SLA result the workflow recorded', () => {
      const proof = proveSla(load(name));
      expect(proof.differences).toEqual([]);
      expect(proof.matches).toBe(true);
      expect(proof.calendar.versionMatches).toBe(true);
      expect(proof.recordedAt).toMatchObject({ kind: 'workflow completed' });
    });
  },
);

describe('the P1 that breached, was pended on the customer, reopened and auto-closed', () => {
  const history = load('incident-p1-breach-reopen-autoclose');
  const proof = proveSla(history);
  const ids = new Map(history.events.map((e) => [Number(e.eventId), kind(e)]));

  it('reads the policy snapshot from the start input and the clock events from accepted Updates, each citing its event id', () => {
    expect(proof.policy).toMatchObject({ severity: 'P1', clock: '24x7', responseTargetSeconds: 900, restoreTargetSeconds: 14400 });
    expect(proof.clockEvents.map((e) => e.type)).toEqual(['opened', 'assigned', 'started', 'pended', 'resumed', 'resolved', 'reopened', 'resolved', 'closed']);
    expect(proof.clockEvents.find((e) => e.type === 'pended')).toMatchObject({ reason: 'customer' });
    expect(ids.get(proof.clockEvents[0].eventId)).toBe('WORKFLOW_EXECUTION_STARTED');
    for (const e of proof.clockEvents.slice(1, -1)) expect(ids.get(e.eventId)).toBe('WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    // Nobody sent "close": the auto-close is read off the completion.
    expect(ids.get(proof.clockEvents.at(-1)!.eventId)).toBe('WORKFLOW_EXECUTION_COMPLETED');
  });

  it('counts restore time in intervals bounded by those events, the customer pend left out, and finds the breach the workflow recorded', () => {
    const restore = proof.recomputed.restore;
    const pended = proof.clockEvents.find((e) => e.type === 'pended')!;
    const resumed = proof.clockEvents.find((e) => e.type === 'resumed')!;
    expect(restore.intervals[0]).toMatchObject({ toEventId: pended.eventId });
    expect(restore.intervals[1]).toMatchObject({ fromEventId: resumed.eventId });
    expect(restore.elapsedSeconds).toBeCloseTo(
      restore.intervals.reduce((sum, i) => sum + i.seconds, 0),
      6,
    );
    expect(restore).toMatchObject({ breached: true, stoppedBy: 'resolved' });
    expect(proof.recorded).toMatchObject({ breached: { response: false, restore: true }, breachDueAt: { restore: restore.dueAt } });
    expect(proof.explanation.join('\n')).toContain(`#${pended.eventId} pended`);
  });
});

describe('an altered history is caught', () => {
  const original = load('incident-p1-breach-reopen-autoclose');
  const copy = (): HistoryJson => JSON.parse(JSON.stringify(original));

  it('a pend moved to another time (its workflow task re-dated) no longer matches the recorded timeline', () => {
    const history = copy();
    const accepted = history.events.findIndex(
      (e) =>
        kind(e) === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED' && attrs(e, 'workflowExecutionUpdateAcceptedEventAttributes').acceptedRequest.input.name === 'pend',
    );
    const task = history.events
      .slice(0, accepted)
      .reverse()
      .find((e) => kind(e) === 'WORKFLOW_TASK_STARTED')!;
    task.eventTime = new Date(Date.parse(task.eventTime) + 3_600_000).toISOString();
    const proof = proveSla(history);
    expect(proof.matches).toBe(false);
    expect(proof.differences.join('\n')).toMatch(
      /clock event 4: the history shows pended \(customer\) at .* \(event #\d+\), the workflow recorded pended \(customer\) at/,
    );
  });

  it('a customer pend rewritten as a vendor pend (which keeps the clock running) shows', () => {
    const history = copy();
    const event = history.events.find(
      (e) =>
        kind(e) === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED' && attrs(e, 'workflowExecutionUpdateAcceptedEventAttributes').acceptedRequest.input.name === 'pend',
    )!;
    const payload = attrs(event, 'workflowExecutionUpdateAcceptedEventAttributes').acceptedRequest.input.args.payloads[0];
    payload.data = encode({ ...decode(payload.data), body: { reason: 'vendor' } });
    const proof = proveSla(history);
    expect(proof.matches).toBe(false);
    expect(proof.clockEvents.find((e) => e.type === 'pended')).toMatchObject({ reason: 'vendor' });
    expect(proof.differences.some((d) => d.includes('pended (vendor)'))).toBe(true);
  });

  it('a holiday slipped into the calendar snapshot no longer matches its version', () => {
    const history = copy();
    const input = attrs(history.events[0], 'workflowExecutionStartedEventAttributes').input.payloads[0];
    const value = decode(input.data);
    value.sla.calendar.holidays.push('2026-11-23');
    input.data = encode(value);
    const proof = proveSla(history);
    expect(proof.calendar.versionMatches).toBe(false);
    expect(proof.differences[0]).toMatch(/^calendar version \w+ does not match its holidays \(\w+\)$/);
  });

  it('a result edited to hide the breach is contradicted by the recomputation', () => {
    const history = copy();
    const completed = history.events.find((e) => kind(e) === 'WORKFLOW_EXECUTION_COMPLETED')!;
    const result = attrs(completed, 'workflowExecutionCompletedEventAttributes').result.payloads[0];
    const state = decode(result.data);
    state.breached.restore = false;
    result.data = encode(state);
    const proof = proveSla(history);
    expect(proof.matches).toBe(false);
    expect(proof.differences).toContain('restore: recomputed breached, the workflow recorded not breached');
  });

  it('a history of another workflow type is refused with a reason', () => {
    expect(() => proveSla(load('qsr-returned'))).toThrow(SlaProofError);
    expect(() => proveSla({ events: [] })).toThrow(/does not begin with WorkflowExecutionStarted/);
  });
});
