import { findIncident } from '../../db/incidents.repo';
import {
  act,
  CUSTOMER_EMAIL,
  eventsOf,
  eventually,
  expectFiredAt,
  HOUR,
  iso,
  mailsFor,
  MINUTE,
  ONCALL_EMAIL,
  query,
  SECOND,
  SPM,
  SPM_EMAIL,
  sleepTo,
  sleepUntil,
  SYSTEM,
  openIncident,
  useIncidentHarness,
  DAY,
} from './incident-harness';

/**
 * The incident workflow's clocks on the time-skipping server, with the real activities:
 * SLA warnings at 50/75/90 %, the breach at 100 % (escalation + the SPM told), the
 * customer pend that pauses the restore clock, and the P1 status reports.
 * The default policies are used as seeded: P1 complex is 24×7, 15 min response,
 * 4 h restore, a status report every 30 min.
 */

const h = useIncidentHarness();
const sorted = (xs: string[]) => [...xs].sort();

describe('restore clock of a complex P1 (4 h, 24×7)', () => {
  test('warns at exactly 50/75/90 % (2 h, 3 h, 3 h 36 m) and breaches at exactly 4 h: escalates L1→L2 and tells the SPM', async () => {
    const inc = await openIncident(h, 'P1', 'complex');
    expect(inc.input.sla).toMatchObject({
      clock: '24x7',
      responseTargetSeconds: 15 * 60,
      restoreTargetSeconds: 4 * 3600,
      statusReportIntervalSeconds: 30 * 60,
      autoCloseAfterSeconds: 5 * 24 * 3600,
    });
    // Answered at once, so only the restore clock runs.
    await act(h, inc, 'assign', { assignee: 'eng.lee' });
    await act(h, inc, 'start', {});
    const due = inc.openedAtMs + 4 * HOUR;

    await sleepUntil(h, inc, 1 * HOUR + 59 * MINUTE);
    let state = await query(inc);
    expect(state.warnings).toEqual([]);
    expect(eventsOf(state, 'sla-warning')).toEqual([]);

    await sleepUntil(h, inc, 4 * HOUR - SECOND);
    state = await query(inc);
    expect(state.warnings).toEqual([
      { clock: 'restore', percent: 50, at: iso(inc.openedAtMs + 2 * HOUR) },
      { clock: 'restore', percent: 75, at: iso(inc.openedAtMs + 3 * HOUR) },
      { clock: 'restore', percent: 90, at: iso(inc.openedAtMs + 3 * HOUR + 36 * MINUTE) },
    ]);
    const warnings = eventsOf(state, 'sla-warning');
    expect(warnings.map((e) => ({ actor: e.actor, details: e.details }))).toEqual(
      [50, 75, 90].map((percent) => ({ actor: SYSTEM, details: { clock: 'restore', percent, dueAt: iso(due) } })),
    );
    warnings.forEach((e, i) => expectFiredAt(e.at, Date.parse(state.warnings[i].at)));
    expect(state.breached).toEqual({ response: false, restore: false });
    expect(state.level).toBe('L1');
    expect(eventsOf(state, 'sla-breached')).toEqual([]);

    await sleepUntil(h, inc, 4 * HOUR + SECOND);
    state = await query(inc);
    expect(state.warnings).toHaveLength(4);
    expect(state.warnings[3]).toEqual({ clock: 'restore', percent: 100, at: iso(due) });
    expect(state.breached).toEqual({ response: false, restore: true });
    expect(state.level).toBe('L2');
    expect(state.status).toBe('IN_PROGRESS');

    const [breach, ...moreBreaches] = eventsOf(state, 'sla-breached');
    expect(moreBreaches).toEqual([]);
    expect(breach).toMatchObject({ actor: SYSTEM, details: { clock: 'restore', dueAt: iso(due) } });
    expectFiredAt(breach.at, due);
    const [escalation, ...moreEscalations] = eventsOf(state, 'escalated');
    expect(moreEscalations).toEqual([]);
    expect(escalation).toEqual({
      seq: breach.seq + 1,
      at: breach.at,
      type: 'escalated',
      actor: SYSTEM,
      details: { fromLevel: 'L1', toLevel: 'L2', reason: 'restore SLA breached' },
    });

    await eventually(() => {
      const [mail, ...others] = mailsFor(h, inc.id, 'sla:restore:breached');
      expect(others).toEqual([]);
      expect(mail.parsed.subject).toBe(`[P1] SLA 위반 (restore): ${inc.input.title}`);
      expect(sorted(mail.envelopeTo)).toEqual(sorted([SPM_EMAIL, ONCALL_EMAIL]));
      expect(mail.parsed.text).toContain(`the restore target was breached at ${iso(due)}`);
    });
    // Each warning went to the SPM alone; the escalation to the SPM and on-call.
    const warningMails = mailsFor(h, inc.id, 'sla:restore:').filter((m) => !m.parsed.subject?.includes('위반'));
    expect(warningMails.map((m) => [m.parsed.subject, m.envelopeTo])).toEqual(
      [50, 75, 90].map((p) => [`[P1] SLA ${p}% (restore): ${inc.input.title}`, [SPM_EMAIL]]),
    );
    // The ops webhook got the same notification, and the read model shows the escalation.
    await eventually(() => {
      const posts = h.hooks.posts.filter((p) => p.body.key === `${inc.id}:sla:restore:breached`);
      expect(posts.map((p) => [p.path, p.body.kind, p.body.data])).toEqual([['/ops', 'sla-breached', { clock: 'restore', dueAt: iso(due), level: 'L1' }]]);
    });
    expect(await findIncident(h.db.pool, inc.id)).toMatchObject({
      level: 'L2',
      breached: { response: false, restore: true },
      warnings: state.warnings,
      timeline: expect.arrayContaining([expect.objectContaining({ seq: escalation.seq, type: 'escalated', actor: SYSTEM })]),
    });
    await eventually(() => {
      const [mail, ...others] = mailsFor(h, inc.id, 'escalated:');
      expect(others).toEqual([]);
      expect(mail.parsed.subject).toBe(`[P1] 장애 에스컬레이션 L1→L2: ${inc.input.title}`);
      expect(sorted(mail.envelopeTo)).toEqual(sorted([SPM_EMAIL, ONCALL_EMAIL]));
    });
  });
});

describe('response clock of a P1 (15 min)', () => {
  test('unassigned for 16 min: response warnings at 7m30s/11m15s/13m30s, breached at 15 min and escalated L1→L2', async () => {
    const inc = await openIncident(h, 'P1', 'complex');
    const due = inc.openedAtMs + 15 * MINUTE;

    await sleepUntil(h, inc, 7 * MINUTE + 29 * SECOND);
    expect((await query(inc)).warnings).toEqual([]);

    await sleepUntil(h, inc, 16 * MINUTE);
    let state = await query(inc);
    expect(state.warnings).toEqual([
      { clock: 'response', percent: 50, at: iso(inc.openedAtMs + 7 * MINUTE + 30 * SECOND) },
      { clock: 'response', percent: 75, at: iso(inc.openedAtMs + 11 * MINUTE + 15 * SECOND) },
      { clock: 'response', percent: 90, at: iso(inc.openedAtMs + 13 * MINUTE + 30 * SECOND) },
      { clock: 'response', percent: 100, at: iso(due) },
    ]);
    expect(state.breached).toEqual({ response: true, restore: false });
    expect(state.status).toBe('OPEN');
    expect(state.level).toBe('L2');
    const [breach] = eventsOf(state, 'sla-breached');
    expect(breach).toMatchObject({ actor: SYSTEM, details: { clock: 'response', dueAt: iso(due) } });
    expectFiredAt(breach.at, due);
    expect(eventsOf(state, 'escalated')).toEqual([
      {
        seq: breach.seq + 1,
        at: breach.at,
        type: 'escalated',
        actor: SYSTEM,
        details: { fromLevel: 'L1', toLevel: 'L2', reason: 'response SLA breached' },
      },
    ]);
    await eventually(() => {
      const mails = mailsFor(h, inc.id, 'sla:response:breached');
      expect(mails.map((m) => m.parsed.subject)).toEqual([`[P1] SLA 위반 (response): ${inc.input.title}`]);
      expect(mails[0].envelopeTo).toContain(SPM_EMAIL);
    });

    // A late assignment stops the clock but does not undo the breach, and nothing more fires for it.
    await act(h, inc, 'assign', { assignee: 'eng.lee' });
    await sleepUntil(h, inc, 1 * HOUR);
    state = await query(inc);
    expect(state.warnings.filter((w) => w.clock === 'response')).toHaveLength(4);
    expect(state.breached.response).toBe(true);
    expect(state.level).toBe('L2');
    expect(state.status).toBe('ASSIGNED');
  });

  test('assigned at 5 min: no response warning ever fires (50 % would be at 7 min 30 s)', async () => {
    const inc = await openIncident(h, 'P1', 'complex');
    await sleepUntil(h, inc, 5 * MINUTE);
    const { event } = await act(h, inc, 'assign', { assignee: 'eng.lee' });
    expect(Date.parse(event.at) - inc.openedAtMs).toBeGreaterThanOrEqual(5 * MINUTE);

    await sleepUntil(h, inc, 1 * HOUR);
    const state = await query(inc);
    expect(state.warnings).toEqual([]);
    expect(eventsOf(state, 'sla-warning')).toEqual([]);
    expect(state.breached).toEqual({ response: false, restore: false });
    expect(state.level).toBe('L1');
    expect(mailsFor(h, inc.id, 'sla:')).toEqual([]);
  });

  test('assigned at 8 min: the 50 % warning already reached stays, 75/90/100 % never fire', async () => {
    const inc = await openIncident(h, 'P1', 'complex');
    await sleepUntil(h, inc, 8 * MINUTE);
    await act(h, inc, 'assign', { assignee: 'eng.lee' });

    await sleepUntil(h, inc, 1 * HOUR);
    const state = await query(inc);
    expect(state.warnings).toEqual([{ clock: 'response', percent: 50, at: iso(inc.openedAtMs + 7 * MINUTE + 30 * SECOND) }]);
    expect(eventsOf(state, 'sla-warning')).toHaveLength(1);
    expect(state.breached).toEqual({ response: false, restore: false });
    expect(state.level).toBe('L1');
  });
});

describe('pending', () => {
  test('on the customer for 2 h pauses the restore clock: the breach comes at 6 h, not 4 h', async () => {
    const inc = await openIncident(h, 'P1', 'complex');
    await act(h, inc, 'assign', { assignee: 'eng.lee' });
    await act(h, inc, 'start', {});
    // At 1 h 1 m and 3 h 1 m, not on a status-report slot (see TIMER_GUARD_MS).
    await sleepUntil(h, inc, 1 * HOUR + MINUTE);
    const pended = await act(h, inc, 'pend', { reason: 'customer', note: '고객사 PBX 재기동 승인 대기' });
    expect(pended.state.pendReason).toBe('customer');
    await sleepUntil(h, inc, 3 * HOUR + MINUTE);
    const resumed = await act(h, inc, 'resume', {});

    // The pause is exactly the time between the two recorded transitions (2 h plus the few ms an Update takes).
    const pauseMs = Date.parse(resumed.event.at) - Date.parse(pended.event.at);
    expect(Math.abs(pauseMs - 2 * HOUR)).toBeLessThan(SECOND);
    const at = (restoreMs: number) => iso(inc.openedAtMs + restoreMs + pauseMs);

    // At 4 h 1 s on the wall clock only 2 h (and a second) of restore time have counted.
    await sleepUntil(h, inc, 4 * HOUR + SECOND);
    let state = await query(inc);
    expect(state.warnings).toEqual([{ clock: 'restore', percent: 50, at: at(2 * HOUR) }]);
    expect(state.breached.restore).toBe(false);
    expect(state.level).toBe('L1');

    await sleepUntil(h, inc, 6 * HOUR - SECOND);
    state = await query(inc);
    expect(state.breached.restore).toBe(false);
    expect(eventsOf(state, 'sla-breached')).toEqual([]);

    await sleepUntil(h, inc, 6 * HOUR + SECOND);
    state = await query(inc);
    expect(state.warnings).toEqual([
      { clock: 'restore', percent: 50, at: at(2 * HOUR) },
      { clock: 'restore', percent: 75, at: at(3 * HOUR) },
      { clock: 'restore', percent: 90, at: at(3 * HOUR + 36 * MINUTE) },
      { clock: 'restore', percent: 100, at: at(4 * HOUR) },
    ]);
    expect(state.breached).toEqual({ response: false, restore: true });
    expect(state.level).toBe('L2');
    const [breach] = eventsOf(state, 'sla-breached');
    expect(breach.details).toEqual({ clock: 'restore', dueAt: at(4 * HOUR) });
    expectFiredAt(breach.at, Date.parse(at(4 * HOUR)));
  });

  test('on the vendor does not pause it: the breach comes at 4 h while still pending', async () => {
    const inc = await openIncident(h, 'P1', 'complex');
    await act(h, inc, 'assign', { assignee: 'eng.lee' });
    await act(h, inc, 'start', {});
    await sleepUntil(h, inc, 1 * HOUR + MINUTE);
    await act(h, inc, 'pend', { reason: 'vendor', note: '제조사 로그 분석 대기' });

    await sleepUntil(h, inc, 4 * HOUR - SECOND);
    expect((await query(inc)).breached.restore).toBe(false);

    await sleepUntil(h, inc, 4 * HOUR + SECOND);
    const state = await query(inc);
    expect(state.status).toBe('PENDING');
    expect(state.pendReason).toBe('vendor');
    expect(state.warnings).toEqual([
      { clock: 'restore', percent: 50, at: iso(inc.openedAtMs + 2 * HOUR) },
      { clock: 'restore', percent: 75, at: iso(inc.openedAtMs + 3 * HOUR) },
      { clock: 'restore', percent: 90, at: iso(inc.openedAtMs + 3 * HOUR + 36 * MINUTE) },
      { clock: 'restore', percent: 100, at: iso(inc.openedAtMs + 4 * HOUR) },
    ]);
    expect(state.breached).toEqual({ response: false, restore: true });
    expect(state.level).toBe('L2');
    expectFiredAt(eventsOf(state, 'sla-breached')[0].at, inc.openedAtMs + 4 * HOUR);
  });
});

describe('status reports', () => {
  test('a P1 reports to the customer every 30 min until resolved, and never after', async () => {
    const inc = await openIncident(h, 'P1', 'complex');
    await act(h, inc, 'assign', { assignee: 'eng.lee' });

    await sleepUntil(h, inc, 95 * MINUTE);
    let state = await query(inc);
    const reports = eventsOf(state, 'status-report');
    expect(reports.map((e) => ({ actor: e.actor, details: e.details }))).toEqual(
      [1, 2, 3].map(() => ({ actor: SYSTEM, details: { status: 'ASSIGNED', level: 'L1' } })),
    );
    reports.forEach((e, i) => expectFiredAt(e.at, inc.openedAtMs + (i + 1) * 30 * MINUTE));
    await eventually(() => {
      const mails = mailsFor(h, inc.id, 'status-report:');
      expect(mails.map((m) => [m.parsed.subject, m.envelopeTo])).toEqual([1, 2, 3].map(() => [`[P1] 장애 상황 보고: ${inc.input.title}`, [CUSTOMER_EMAIL]]));
      expect(mails[0].parsed.text).toContain(`${inc.id} is ASSIGNED at L1, handled by eng.lee.`);
    });

    await act(h, inc, 'resolve', { resolution: 'PRI 트렁크 카드 교체 후 정상화' });
    await sleepUntil(h, inc, 1 * DAY);
    state = await query(inc);
    expect(state.status).toBe('RESOLVED');
    expect(eventsOf(state, 'status-report')).toHaveLength(3);
    expect(mailsFor(h, inc.id, 'status-report:')).toHaveLength(3);
    // The customer heard of the resolution instead.
    await eventually(() => expect(mailsFor(h, inc.id, 'resolved:').map((m) => sorted(m.envelopeTo))).toEqual([sorted([CUSTOMER_EMAIL, SPM_EMAIL])]));
  });

  test('pending on the customer, the customer gets no reports; after the resume they go on, quoting the SPM', async () => {
    const inc = await openIncident(h, 'P1', 'complex');
    await act(h, inc, 'assign', { assignee: 'eng.lee' });
    await act(h, inc, 'start', {});
    await sleepUntil(h, inc, 10 * MINUTE);
    await act(h, inc, 'pend', { reason: 'customer', note: '고객사 회선 점검 회신 대기' });

    // Slots at 30, 60 and 90 min pass while the incident waits on the customer.
    await sleepUntil(h, inc, 100 * MINUTE);
    expect(eventsOf(await query(inc), 'status-report')).toEqual([]);
    await act(h, inc, 'notes', { text: '고객사 회신 수신, 트렁크 재점검 진행' }, SPM);
    await act(h, inc, 'resume', {});

    await sleepUntil(h, inc, 125 * MINUTE);
    const reports = eventsOf(await query(inc), 'status-report');
    expect(reports).toHaveLength(1);
    expectFiredAt(reports[0].at, inc.openedAtMs + 120 * MINUTE);
    await eventually(() => {
      const mails = mailsFor(h, inc.id, 'status-report:');
      expect(mails).toHaveLength(1);
      expect(mails[0].parsed.text).toContain('고객사 회신 수신, 트렁크 재점검 진행');
    });
  });

  test('a P3 (business hours, no report interval) gets none', async () => {
    const inc = await openIncident(h, 'P3', 'complex');
    expect(inc.input.sla).toMatchObject({ clock: 'business', statusReportIntervalSeconds: null });
    // Three days: any report interval at all would have fired many times by then.
    await sleepTo(h, inc.openedAtMs + 3 * DAY);
    const state = await query(inc);
    expect(eventsOf(state, 'status-report')).toEqual([]);
    expect(mailsFor(h, inc.id, 'status-report:')).toEqual([]);
  });
});
