import { makeCalendar } from '../../domain/calendar/calendar-version';
import type { IncidentWorkflowInput } from '../../domain/incident/contracts';
import type { Actor } from '../../domain/actor';
import { applyTransition, openIncident } from '../../domain/incident/lifecycle';
import { nextDeadline } from '../../workflows/incident/deadlines';

const spm: Actor = { id: 'kim', role: 'spm' };
const OPENED = '2026-03-02T00:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(OPENED) + minutes * 60_000).toISOString();

function p1(): ReturnType<typeof openIncident> {
  const input: IncidentWorkflowInput = {
    id: 'INC-000001',
    title: 't',
    description: 'd',
    severity: 'P1',
    complexity: 'complex',
    system: 'PBX',
    source: 'customer',
    openedBy: spm,
    openedAt: OPENED,
    sla: {
      severity: 'P1',
      complexity: 'complex',
      clock: '24x7',
      responseTargetSeconds: 900,
      restoreTargetSeconds: 14400,
      statusReportIntervalSeconds: 1800,
      autoCloseAfterSeconds: 432000,
      calendar: makeCalendar([]),
    },
  };
  return openIncident(input);
}

/** A P1 answered in time (its response warnings spent), assigned at 1 min and in progress from 2 min. */
function p1InProgress(): ReturnType<typeof openIncident> {
  const incident = p1();
  incident.warnings.push(...[50, 75, 90, 100].map((percent) => ({ clock: 'response' as const, percent: percent as 50, at: OPENED })));
  applyTransition(incident, { action: 'assign', body: { assignee: 'lee' }, actor: spm }, at(1));
  applyTransition(incident, { action: 'start', body: {}, actor: spm }, at(2));
  return incident;
}

test('the first deadline of a fresh P1 is the 50 % response warning at 7.5 min', () => {
  expect(nextDeadline(p1(), OPENED)).toMatchObject({ kind: 'sla', clock: 'response', percent: 50, at: at(7.5) });
});

test('thresholds crossed before an assignment stopped the clock are still due, earliest first', () => {
  const incident = p1();
  // Assigned at 16 min of a 15 min target, before any timer fired (the Update won the race).
  applyTransition(incident, { action: 'assign', body: { assignee: 'lee' }, actor: spm }, at(16));
  expect(nextDeadline(incident, at(16))).toMatchObject({ kind: 'sla', clock: 'response', percent: 50, at: at(7.5) });
  incident.warnings.push(
    { clock: 'response', percent: 50, at: at(7.5) },
    { clock: 'response', percent: 75, at: at(11.25) },
    { clock: 'response', percent: 90, at: at(13.5) },
  );
  expect(nextDeadline(incident, at(16))).toMatchObject({ kind: 'sla', clock: 'response', percent: 100, at: at(15) });
});

test('status reports resume on their grid after a reopen, without the slots missed while resolved', () => {
  const incident = p1InProgress();
  applyTransition(incident, { action: 'resolve', body: { resolution: 'ok' }, actor: spm }, at(10));
  applyTransition(incident, { action: 'reopen', body: { reason: 'again' }, actor: spm }, at(200));
  const deadline = nextDeadline(incident, at(200));
  // Restore 50 % falls at 120 min of counted time: 10 min before resolving + 110 min after reopening = 310 min.
  expect(deadline).toMatchObject({ kind: 'status-report', at: at(210) });
});

test('no status reports while pending on the customer; after the resume they go on at the next slot', () => {
  const incident = p1InProgress();
  applyTransition(incident, { action: 'pend', body: { reason: 'customer' }, actor: spm }, at(20));
  // The restore clock is paused too: nothing is due at all.
  expect(nextDeadline(incident, at(25))).toBeNull();
  // Histories recorded before the change reported through the pend, and still replay that way.
  expect(nextDeadline(incident, at(25), { pauseReportsOnCustomer: false })).toMatchObject({ kind: 'status-report', at: at(30) });

  applyTransition(incident, { action: 'resume', body: {}, actor: spm }, at(100));
  expect(nextDeadline(incident, at(100))).toMatchObject({ kind: 'status-report', at: at(120) });
});

test('pending on a vendor, the customer still gets status reports', () => {
  const incident = p1InProgress();
  applyTransition(incident, { action: 'pend', body: { reason: 'vendor' }, actor: spm }, at(20));
  expect(nextDeadline(incident, at(25))).toMatchObject({ kind: 'status-report', at: at(30) });
});
