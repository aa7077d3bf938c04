import { InvalidTransitionError, ValidationError } from '../../domain/errors';
import { INCIDENT_ACTIONS, type IncidentAction, type IncidentStatus, type IncidentWorkflowInput } from '../../domain/incident/contracts';
import type { Actor } from '../../domain/actor';
import { applyTransition, checkTransition, clockEvents, latestSpmNote, openIncident, record } from '../../domain/incident/lifecycle';
import { makeCalendar } from '../../domain/calendar/calendar-version';

const spm: Actor = { id: 'kim', role: 'spm' };
const input: IncidentWorkflowInput = {
  id: 'INC-000001',
  title: '교환기 장애',
  description: 'PRI down',
  severity: 'P1',
  complexity: 'complex',
  system: 'PBX',
  source: 'customer',
  openedBy: spm,
  openedAt: '2026-03-02T00:00:00.000Z',
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

const bodies: Record<IncidentAction, Record<string, unknown>> = {
  assign: { assignee: 'lee' },
  start: {},
  pend: { reason: 'customer' },
  resume: {},
  resolve: { resolution: 'fixed' },
  reopen: { reason: 'again' },
  close: {},
  cancel: { reason: 'dup' },
  escalate: { reason: 'hard' },
  notes: { text: 'n' },
};

/** Drives a fresh incident into `status` along the ordinary path. */
function incidentIn(status: IncidentStatus) {
  const state = openIncident(input);
  const path: Record<IncidentStatus, IncidentAction[]> = {
    OPEN: [],
    ASSIGNED: ['assign'],
    IN_PROGRESS: ['assign', 'start'],
    PENDING: ['assign', 'start', 'pend'],
    RESOLVED: ['assign', 'start', 'resolve'],
    CLOSED: ['assign', 'start', 'resolve', 'close'],
    CANCELLED: ['cancel'],
  };
  path[status].forEach((action, i) => applyTransition(state, { action, body: bodies[action] as never, actor: spm }, `2026-03-02T0${i}:00:00.000Z`));
  return state;
}

const STATUSES: IncidentStatus[] = ['OPEN', 'ASSIGNED', 'IN_PROGRESS', 'PENDING', 'RESOLVED', 'CLOSED', 'CANCELLED'];

describe('the transition table', () => {
  const cases = STATUSES.flatMap((status) => (Object.keys(INCIDENT_ACTIONS) as IncidentAction[]).map((action) => [status, action] as const));
  test.each(cases)('from %s, %s is allowed exactly when the table says so', (status, action) => {
    const state = incidentIn(status);
    const allowed = (INCIDENT_ACTIONS[action].from as readonly string[]).includes(status);
    const attempt = () => checkTransition(state, { action, body: bodies[action] as never, actor: spm });
    if (allowed) expect(attempt).not.toThrow();
    else expect(attempt).toThrow(InvalidTransitionError);
  });
});

test('each transition moves to the status the domain names and records actor and time', () => {
  const state = openIncident(input);
  const steps: Array<[IncidentAction, IncidentStatus]> = [
    ['assign', 'ASSIGNED'],
    ['start', 'IN_PROGRESS'],
    ['pend', 'PENDING'],
    ['resume', 'IN_PROGRESS'],
    ['resolve', 'RESOLVED'],
    ['reopen', 'IN_PROGRESS'],
    ['resolve', 'RESOLVED'],
    ['close', 'CLOSED'],
  ];
  steps.forEach(([action, to], i) => {
    const at = `2026-03-02T01:0${i}:00.000Z`;
    const event = applyTransition(state, { action, body: bodies[action] as never, actor: { id: `u${i}`, role: 'engineer' } }, at);
    expect(state.status).toBe(to);
    expect(event).toMatchObject({ seq: i + 2, at, to, actor: { id: `u${i}`, role: 'engineer' } });
  });
  expect(state.closedAt).toBe('2026-03-02T01:07:00.000Z');
});

test('escalation climbs L1 → L2 → L3 and stops there', () => {
  const state = incidentIn('IN_PROGRESS');
  applyTransition(state, { action: 'escalate', body: { reason: 'a' }, actor: spm }, '2026-03-02T03:00:00.000Z');
  applyTransition(state, { action: 'escalate', body: { reason: 'b' }, actor: spm }, '2026-03-02T03:01:00.000Z');
  expect(state.level).toBe('L3');
  expect(() => checkTransition(state, { action: 'escalate', body: { reason: 'c' }, actor: spm })).toThrow(/already at L3/);
});

test('a bad body is a validation error naming the field', () => {
  const state = incidentIn('IN_PROGRESS');
  try {
    checkTransition(state, { action: 'pend', body: { reason: 'lunch' } as never, actor: spm });
    throw new Error('expected a ValidationError');
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['reason']);
  }
});

test('the clock sees pends with their reason and nothing but clock events', () => {
  const state = incidentIn('PENDING');
  applyTransition(state, { action: 'notes', body: { text: 'x' }, actor: spm }, '2026-03-02T05:00:00.000Z');
  expect(clockEvents(state).map((e) => [e.type, e.reason])).toEqual([
    ['opened', undefined],
    ['assigned', undefined],
    ['started', undefined],
    ['pended', 'customer'],
  ]);
});

test("a status report quotes the SPM's latest note since the last report, once", () => {
  const state = incidentIn('IN_PROGRESS');
  const engineer: Actor = { id: 'lee', role: 'engineer' };
  const note = (text: string, actor: Actor) => applyTransition(state, { action: 'notes', body: { text }, actor }, '2026-03-02T03:00:00.000Z');
  expect(latestSpmNote(state)).toBeUndefined();
  note('벤더 원격 접속 중', spm);
  note('로그 수집 완료', spm);
  note('엔지니어 내부 메모', engineer);
  expect(latestSpmNote(state)).toBe('로그 수집 완료');
  record(state, 'status-report', { id: 'butler', role: 'system' }, '2026-03-02T03:30:00.000Z');
  // Already reported: the next report does not repeat it.
  expect(latestSpmNote(state)).toBeUndefined();
});
