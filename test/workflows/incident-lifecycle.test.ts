import { createIncidentProjectionActivities } from '../../activities/incident-projection';
import { findIncident } from '../../db/incidents.repo';
import { findPolicy } from '../../db/sla.repo';
import type { IncidentState } from '../../domain/incident/contracts';
import type { Actor } from '../../domain/actor';
import {
  act,
  acceptedUpdates,
  DAY,
  ENGINEER,
  eventsOf,
  eventually,
  expectFiredAt,
  HOUR,
  iso,
  MINUTE,
  MONITORING,
  openIncident,
  query,
  rejection,
  sleepTo,
  sleepUntil,
  SPM,
  SYSTEM,
  useIncidentHarness,
  type OpenedIncident,
} from './incident-harness';

/**
 * The incident workflow's transitions on the time-skipping server, with the real activities
 * and PostgreSQL: Update validators, escalation, auto-close after 5 days, reopen, the read
 * model the projection keeps, and who did what when.
 */

const h = useIncidentHarness();
const ENGINEER_2: Actor = { id: 'eng.choi', role: 'engineer' };

/** What the query and the read model must agree on. */
function comparable(state: IncidentState) {
  return {
    status: state.status,
    level: state.level,
    assignee: state.assignee,
    resolvedAt: state.resolvedAt,
    closedAt: state.closedAt,
    pendReason: state.pendReason,
    warnings: state.warnings,
    breached: state.breached,
    timeline: state.timeline.map((e) => ({
      seq: e.seq,
      at: e.at,
      type: e.type,
      actor: e.actor,
      from: e.from,
      to: e.to,
      // The read model stores "no details" as {} and reads it back as absent.
      details: e.details && Object.keys(e.details).length > 0 ? e.details : undefined,
    })),
  };
}

async function expectReadModelToMatch(inc: OpenedIncident): Promise<IncidentState> {
  const state = await query(inc);
  const row = await findIncident(h.db.pool, inc.id);
  expect(row).not.toBeNull();
  expect(comparable(row!)).toEqual(comparable(state));
  return state;
}

async function rowMeta(id: string) {
  const { rows } = await h.db.pool.query<{ version: number; updated_at: Date; status: string; events: number }>(
    `SELECT version, updated_at, status, (SELECT count(*)::int FROM incident_events WHERE incident_id = $1) AS events
       FROM incidents WHERE id = $1`,
    [id],
  );
  return rows[0];
}

describe('rejected Updates', () => {
  test('escalation by hand goes L1→L2→L3; a fourth is rejected as InvalidTransition and leaves no trace', async () => {
    const inc = await openIncident(h, 'P1', 'complex');
    await act(h, inc, 'assign', { assignee: 'eng.lee' });
    const first = await act(h, inc, 'escalate', { reason: '원격 복구 실패, 전문 팀 필요' }, SPM);
    expect(first.state.level).toBe('L2');
    expect(first.event).toMatchObject({ actor: SPM, details: { fromLevel: 'L1', toLevel: 'L2', reason: '원격 복구 실패, 전문 팀 필요' } });
    const second = await act(h, inc, 'escalate', { reason: '제조사 로그 분석 필요' }, SPM);
    expect(second.state.level).toBe('L3');
    expect(second.event).toMatchObject({ actor: SPM, details: { fromLevel: 'L2', toLevel: 'L3', reason: '제조사 로그 분석 필요' } });
    const before = await query(inc);

    const failure = await rejection(act(h, inc, 'escalate', { reason: '한 번 더' }, SPM));
    expect(failure.type).toBe('InvalidTransition');
    expect(failure.message).toBe('the incident is already at L3, the highest support level');
    expect(failure.details).toEqual([{ action: 'escalate', status: 'ASSIGNED' }]);

    expect(await query(inc)).toEqual(before);
    expect(await acceptedUpdates(inc)).toEqual(['assign', 'escalate', 'escalate']);
    await eventually(async () => expect(eventsOf((await findIncident(h.db.pool, inc.id))!, 'escalated').map((e) => e.details?.toLevel)).toEqual(['L2', 'L3']));
  });

  test('at L3 a breach is still recorded, but nothing escalates it further', async () => {
    const inc = await openIncident(h, 'P1', 'complex');
    await act(h, inc, 'escalate', { reason: '대형 장애' }, SPM);
    await act(h, inc, 'escalate', { reason: '제조사 즉시 투입' }, SPM);
    await sleepUntil(h, inc, 16 * MINUTE);
    const state = await query(inc);
    expect(state.breached).toEqual({ response: true, restore: false });
    expect(state.level).toBe('L3');
    expect(eventsOf(state, 'sla-breached')).toHaveLength(1);
    expect(eventsOf(state, 'escalated').map((e) => e.actor)).toEqual([SPM, SPM]);
  });

  test('a transition not allowed from the status is rejected as InvalidTransition; a bad body as Validation', async () => {
    const inc = await openIncident(h, 'P1', 'complex');
    const opened = await query(inc);

    const start = await rejection(act(h, inc, 'start', {}));
    expect(start.type).toBe('InvalidTransition');
    expect(start.message).toBe('cannot start an incident that is OPEN');
    expect(start.details).toEqual([{ action: 'start', status: 'OPEN', allowedFrom: ['ASSIGNED'] }]);

    const resolve = await rejection(act(h, inc, 'resolve', { resolution: '재부팅' }));
    expect(resolve.type).toBe('InvalidTransition');
    expect(resolve.details).toEqual([{ action: 'resolve', status: 'OPEN', allowedFrom: ['ASSIGNED', 'IN_PROGRESS', 'PENDING'] }]);

    const reopen = await rejection(act(h, inc, 'reopen', { reason: '재발' }));
    expect(reopen.type).toBe('InvalidTransition');
    expect(await query(inc)).toEqual(opened);

    await act(h, inc, 'assign', { assignee: 'eng.lee' });
    await act(h, inc, 'start', {});
    const inProgress = await query(inc);
    const lunch = await rejection(act(h, inc, 'pend', { reason: 'lunch' } as never));
    expect(lunch.type).toBe('Validation');
    expect(lunch.details).toEqual([[{ path: 'reason', message: expect.stringContaining("'customer' | 'vendor'") }]]);
    const unknownField = await rejection(act(h, inc, 'resume', { note: '재개', by: 'me' } as never));
    expect(unknownField.type).toBe('Validation');

    expect(await query(inc)).toEqual(inProgress);
    expect(await acceptedUpdates(inc)).toEqual(['assign', 'start']);
  });
});

describe('auto-close', () => {
  test('a resolved incident is still RESOLVED after 4 d 23 h and CLOSED by the system 5 days after resolution', async () => {
    const inc = await openIncident(h, 'P1', 'complex');
    await act(h, inc, 'assign', { assignee: 'eng.lee' });
    await act(h, inc, 'start', {});
    await sleepUntil(h, inc, 10 * MINUTE);
    const resolved = await act(h, inc, 'resolve', { resolution: 'PRI 카드 교체' });
    const resolvedAtMs = Date.parse(resolved.state.resolvedAt!);
    expect(resolved.state.resolvedAt).toBe(resolved.event.at);

    await sleepTo(h, resolvedAtMs + 4 * DAY + 23 * HOUR);
    let state = await query(inc);
    expect(state.status).toBe('RESOLVED');
    expect(state.closedAt).toBeNull();
    expect((await findIncident(h.db.pool, inc.id))?.status).toBe('RESOLVED');

    await sleepTo(h, resolvedAtMs + 5 * DAY + 1 * HOUR);
    state = await inc.handle.result();
    expect(state.status).toBe('CLOSED');
    const closed = state.timeline[state.timeline.length - 1];
    expect(closed).toEqual({
      seq: state.timeline.length,
      at: state.closedAt,
      type: 'closed',
      actor: SYSTEM,
      from: 'RESOLVED',
      to: 'CLOSED',
      details: { note: 'closed automatically after the auto-close delay' },
    });
    expectFiredAt(state.closedAt!, resolvedAtMs + 5 * DAY);
    expect((await inc.handle.describe()).status.name).toBe('COMPLETED');

    const row = await findIncident(h.db.pool, inc.id);
    expect(row).toMatchObject({ status: 'CLOSED', resolvedAt: resolved.state.resolvedAt, closedAt: state.closedAt });
    expect(comparable(row!)).toEqual(comparable(state));
  });
});

describe('reopen', () => {
  test('reopened after 2 days: IN_PROGRESS, the restore clock carries on from its elapsed total, no auto-close', async () => {
    // Without status reports: 6 days of half-hourly reports (288 e-mails) would only slow this test down.
    const inc = await openIncident(h, 'P1', 'complex', { policy: { statusReportIntervalSeconds: null } });
    expect(inc.input.sla).toMatchObject({ restoreTargetSeconds: 4 * 3600, statusReportIntervalSeconds: null, autoCloseAfterSeconds: 5 * 24 * 3600 });
    expect((await findPolicy(h.db.pool, 'P1', 'complex'))?.statusReportIntervalSeconds).toBe(30 * 60);
    await act(h, inc, 'assign', { assignee: 'eng.lee' });
    await act(h, inc, 'start', {});
    await sleepUntil(h, inc, 2 * HOUR + 31 * MINUTE);
    const resolved = await act(h, inc, 'resolve', { resolution: '임시 조치: 트렁크 우회' });
    expect(resolved.state.warnings).toEqual([{ clock: 'restore', percent: 50, at: iso(inc.openedAtMs + 2 * HOUR) }]);
    const elapsedMs = Date.parse(resolved.event.at) - inc.openedAtMs;

    // Nothing counts while resolved.
    await sleepTo(h, Date.parse(resolved.event.at) + 2 * DAY);
    expect((await query(inc)).warnings).toHaveLength(1);
    const reopened = await act(h, inc, 'reopen', { reason: '같은 증상 재발' }, SPM);
    expect(reopened.state).toMatchObject({ status: 'IN_PROGRESS', resolvedAt: null, closedAt: null });
    expect(reopened.event).toMatchObject({ actor: SPM, from: 'RESOLVED', to: 'IN_PROGRESS', details: { reason: '같은 증상 재발' } });
    const reopenedAtMs = Date.parse(reopened.event.at);
    const after = (restoreMs: number) => reopenedAtMs + restoreMs - elapsedMs;

    await sleepTo(h, reopenedAtMs + 6 * DAY);
    const state = await query(inc);
    expect(state.status).toBe('IN_PROGRESS');
    expect(state.closedAt).toBeNull();
    expect(eventsOf(state, 'closed')).toEqual([]);
    expect(state.warnings).toEqual([
      { clock: 'restore', percent: 50, at: iso(inc.openedAtMs + 2 * HOUR) },
      { clock: 'restore', percent: 75, at: iso(after(3 * HOUR)) },
      { clock: 'restore', percent: 90, at: iso(after(3 * HOUR + 36 * MINUTE)) },
      { clock: 'restore', percent: 100, at: iso(after(4 * HOUR)) },
    ]);
    expect(eventsOf(state, 'sla-warning').map((e) => e.details?.percent)).toEqual([50, 75, 90]);
    expect(state.breached).toEqual({ response: false, restore: true });
    const [breach] = eventsOf(state, 'sla-breached');
    expect(breach.details).toEqual({ clock: 'restore', dueAt: iso(after(4 * HOUR)) });
    expectFiredAt(breach.at, after(4 * HOUR));
    expect(state.level).toBe('L2');
    expect((await inc.handle.describe()).status.name).toBe('RUNNING');

    // Resolved again, it closes 5 days after the second resolution.
    const again = await act(h, inc, 'resolve', { resolution: 'PRI 카드 교체' });
    const againAtMs = Date.parse(again.event.at);
    await sleepTo(h, againAtMs + 5 * DAY - HOUR);
    expect((await query(inc)).status).toBe('RESOLVED');
    await sleepTo(h, againAtMs + 5 * DAY + HOUR);
    const closed = await query(inc);
    expect(closed).toMatchObject({ status: 'CLOSED', resolvedAt: again.event.at });
    expectFiredAt(closed.closedAt!, againAtMs + 5 * DAY);
  });
});

describe('read model', () => {
  test('after every transition the PostgreSQL row agrees with the query; re-projecting writes nothing', async () => {
    const inc = await openIncident(h, 'P1', 'complex');
    await eventually(async () => expect((await findIncident(h.db.pool, inc.id))?.timeline).toHaveLength(1));
    await expectReadModelToMatch(inc);

    const states: IncidentState[] = [];
    const step = async (...args: Parameters<typeof act>) => {
      const { state } = await act(...args);
      states.push(state);
      const current = await expectReadModelToMatch(inc);
      expect(current.timeline).toHaveLength(state.timeline.length);
    };
    await step(h, inc, 'assign', { assignee: 'eng.lee' }, SPM);
    await step(h, inc, 'start', {});
    await step(h, inc, 'pend', { reason: 'customer', note: '고객 확인 대기' });
    await step(h, inc, 'resume', {});
    await step(h, inc, 'escalate', { reason: 'L2 지원 필요' }, SPM);
    await step(h, inc, 'assign', { assignee: 'eng.choi' }, SPM);
    await step(h, inc, 'notes', { text: '벤더에 로그 전달' });
    await step(h, inc, 'resolve', { resolution: '펌웨어 업데이트' });
    await step(h, inc, 'reopen', { reason: '재발' }, SPM);
    await step(h, inc, 'cancel', { reason: '중복 접수' }, SPM);
    const final = await inc.handle.result();
    expect(final.status).toBe('CANCELLED');
    const row = await findIncident(h.db.pool, inc.id);
    expect(comparable(row!)).toEqual(comparable(final));
    expect(row).toMatchObject({ status: 'CANCELLED', level: 'L2', assignee: 'eng.choi', closedAt: final.closedAt });

    // The projection activity, run again (as a retry would), with the same state and then an older one.
    const { projectIncident } = createIncidentProjectionActivities({ pool: h.db.pool });
    const meta = await rowMeta(inc.id);
    expect(meta).toMatchObject({ version: final.timeline.length, status: 'CANCELLED', events: final.timeline.length });
    await projectIncident(final);
    expect(await rowMeta(inc.id)).toEqual(meta);
    await projectIncident(states[2]); // PENDING, four events
    expect(await rowMeta(inc.id)).toEqual(meta);
    expect(comparable((await findIncident(h.db.pool, inc.id))!)).toEqual(comparable(final));
  });
});

describe('audit trail', () => {
  test('every transition of a full lifecycle carries the actor passed and the environment time it was made at', async () => {
    const inc = await openIncident(h, 'P1', 'complex', { openedBy: MONITORING });
    const steps: Array<{ at: number; actor: Actor; run: () => ReturnType<typeof act> }> = [
      { at: 2, actor: SPM, run: () => act(h, inc, 'assign', { assignee: 'eng.lee' }, SPM) },
      { at: 4, actor: ENGINEER, run: () => act(h, inc, 'start', {}, ENGINEER) },
      { at: 6, actor: ENGINEER, run: () => act(h, inc, 'pend', { reason: 'customer' }, ENGINEER) },
      { at: 9, actor: ENGINEER_2, run: () => act(h, inc, 'resume', { note: '고객 승인' }, ENGINEER_2) },
      { at: 11, actor: SPM, run: () => act(h, inc, 'escalate', { reason: '전문 팀' }, SPM) },
      { at: 13, actor: ENGINEER_2, run: () => act(h, inc, 'notes', { text: '카드 교체 준비' }, ENGINEER_2) },
      { at: 16, actor: ENGINEER, run: () => act(h, inc, 'resolve', { resolution: '카드 교체' }, ENGINEER) },
      { at: 20, actor: SPM, run: () => act(h, inc, 'reopen', { reason: '재발' }, SPM) },
      { at: 24, actor: ENGINEER_2, run: () => act(h, inc, 'resolve', { resolution: '케이블 교체' }, ENGINEER_2) },
      { at: 28, actor: SPM, run: () => act(h, inc, 'close', { note: '고객 확인 완료' }, SPM) },
    ];
    const made: Array<{ seq: number; actor: Actor; beforeMs: number; afterMs: number }> = [];
    for (const step of steps) {
      await sleepUntil(h, inc, step.at * MINUTE);
      const { event, beforeMs, afterMs } = await step.run();
      made.push({ seq: event.seq, actor: step.actor, beforeMs, afterMs });
    }
    const final = await inc.handle.result();

    // Nothing but the people's transitions: no timer was due in these 28 minutes (response answered at 2 min).
    expect(final.timeline.map((e) => [e.type, e.actor, e.from, e.to])).toEqual([
      ['opened', MONITORING, undefined, 'OPEN'],
      ['assigned', SPM, 'OPEN', 'ASSIGNED'],
      ['started', ENGINEER, 'ASSIGNED', 'IN_PROGRESS'],
      ['pended', ENGINEER, 'IN_PROGRESS', 'PENDING'],
      ['resumed', ENGINEER_2, 'PENDING', 'IN_PROGRESS'],
      ['escalated', SPM, undefined, undefined],
      ['note', ENGINEER_2, undefined, undefined],
      ['resolved', ENGINEER, 'IN_PROGRESS', 'RESOLVED'],
      ['reopened', SPM, 'RESOLVED', 'IN_PROGRESS'],
      ['resolved', ENGINEER_2, 'IN_PROGRESS', 'RESOLVED'],
      ['closed', SPM, 'RESOLVED', 'CLOSED'],
    ]);
    expect(final.timeline[0].at).toBe(inc.input.openedAt);
    expect(final.openedBy).toEqual(MONITORING);
    for (const { seq, actor, beforeMs, afterMs } of made) {
      const event = final.timeline[seq - 1];
      expect(event.actor).toEqual(actor);
      const ms = Date.parse(event.at);
      expect({ seq, at: event.at, inWindow: ms >= beforeMs && ms <= afterMs }).toEqual({ seq, at: event.at, inWindow: true });
    }
    expect(final.resolvedAt).toBe(final.timeline[9].at);
    expect(final.closedAt).toBe(final.timeline[10].at);

    // The read model keeps the same trail (actor id and role, instant) for the auditor.
    const row = await findIncident(h.db.pool, inc.id);
    expect(row!.timeline.map((e) => [e.seq, e.at, e.actor])).toEqual(final.timeline.map((e) => [e.seq, e.at, e.actor]));
  });
});
