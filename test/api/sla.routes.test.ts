import { incidentStateQuery, incidentWorkflowId } from '../../workflows/incident/messages';
import { fieldPaths, incidentBody, useHarness, SUBJECTS } from './harness';

// Nothing here may reach the 500 / UNAVAILABLE log; emptied each time so one failure is reported once.
const h = useHarness();

const HOUR = 3_600_000;
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** Friday 2026-02-13 16:00 KST, two working hours before the 설날 long weekend (Mon 16 – Wed 18 are holidays). */
const FRIDAY_4PM_KST = '2026-02-13T16:00:00+09:00';

async function preview(severity: string, complexity: string, startAt = FRIDAY_4PM_KST) {
  const res = await h.call('post', '/api/v1/sla/preview', { token: h.tokens.auditor, body: { severity, complexity, startAt } });
  expect(res.status).toBe(200);
  return res.body;
}

async function holidays2026() {
  const res = await h.call('get', '/api/v1/calendar/holidays?year=2026', { token: h.tokens.engineer });
  expect(res.status).toBe(200);
  return res.body.items as Array<{ date: string; name: string; kind: string; source: string; updatedBy: string | null }>;
}

async function openIncident(severity: string, complexity: string) {
  const res = await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body: incidentBody({ severity, complexity }) });
  expect(res.status).toBe(201);
  return res.body;
}

async function readIncident(id: string) {
  const res = await h.call('get', `/api/v1/incidents/${id}`, { token: h.tokens.auditor });
  expect(res.status).toBe(200);
  return res.body;
}

describe('POST /api/v1/sla/preview and the holiday calendar', () => {
  let seededVersion: string;

  it('P3 complex from Friday 16:00 KST: 2 h on Friday, then 설날 and the weekend, restored by Thursday 11:00 KST', async () => {
    // Business hours Mon–Fri 09:00–18:00 KST. Restore target 4 h: Fri 16:00–18:00 counts 2 h;
    // Sat 14, Sun 15 are the weekend; Mon 16, Tue 17, Wed 18 are 설날; Thu 19 09:00 + 2 h = 11:00 KST = 02:00 UTC.
    // Response target 2 h: used up exactly at Friday 18:00 KST = 09:00 UTC.
    const body = await preview('P3', 'complex');
    expect(body).toMatchObject({
      clock: 'business',
      responseDueAt: '2026-02-13T09:00:00.000Z',
      restoreDueAt: '2026-02-19T02:00:00.000Z',
      responseTargetSeconds: 7200,
      restoreTargetSeconds: 14_400,
    });
    seededVersion = body.calendarVersion;
    expect(seededVersion).toMatch(/^[0-9a-f]{16}$/);
  });

  it('P1 complex runs 24×7: +15 min and +4 h from the start, holidays or not', async () => {
    const body = await preview('P1', 'complex');
    expect(body).toMatchObject({ clock: '24x7', responseDueAt: '2026-02-13T07:15:00.000Z', restoreDueAt: '2026-02-13T11:00:00.000Z' });
  });

  it('a preview with bad input → 400 naming each field', async () => {
    const res = await h.call('post', '/api/v1/sla/preview', {
      token: h.tokens.auditor,
      body: { severity: 'P5', complexity: 'easy', startAt: '2026-02-13T16:00:00' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(fieldPaths(res.body)).toEqual(['complexity', 'severity', 'startAt']);
    const empty = await h.call('post', '/api/v1/sla/preview', { token: h.tokens.auditor, body: {} });
    expect(fieldPaths(empty.body)).toEqual(['complexity', 'severity', 'startAt']);
    for (const startAt of [
      '2027-02-29T10:00:00+09:00',
      '2026-02-13T24:00:00+09:00',
      '2026-02-13',
      'yesterday',
      '9999-12-31T23:59:59+09:00',
      '0000-01-01T00:00:00Z',
    ]) {
      const res = await h.call('post', '/api/v1/sla/preview', { token: h.tokens.auditor, body: { severity: 'P3', complexity: 'complex', startAt } });
      expect({ startAt, status: res.status, paths: fieldPaths(res.body) }).toEqual({ startAt, status: 400, paths: ['startAt'] });
    }
  });

  it('lists the seeded 2026 holidays, 설날 included', async () => {
    const items = await holidays2026();
    expect(items.filter((d) => d.date.startsWith('2026-02'))).toEqual([
      { date: '2026-02-16', name: '설날 전날', kind: 'lunar', source: 'seed', updatedBy: 'seed' },
      { date: '2026-02-17', name: '설날', kind: 'lunar', source: 'seed', updatedBy: 'seed' },
      { date: '2026-02-18', name: '설날 다음날', kind: 'lunar', source: 'seed', updatedBy: 'seed' },
    ]);
    expect(items.every((d) => d.date.startsWith('2026-'))).toBe(true);
  });

  it('a non-admin may not remove or add a holiday; the calendar stays as it was', async () => {
    const before = await holidays2026();
    for (const role of ['spm', 'engineer', 'automation', 'auditor'] as const) {
      const del = await h.call('delete', '/api/v1/calendar/holidays/2026-02-17', { token: h.tokens[role] });
      expect({ role, status: del.status, code: del.body.error?.code }).toEqual({ role, status: 403, code: 'FORBIDDEN' });
      const put = await h.call('put', '/api/v1/calendar/holidays/2026-02-17', { token: h.tokens[role], body: { name: '바뀐 이름', kind: 'company' } });
      expect({ role, status: put.status, code: put.body.error?.code }).toEqual({ role, status: 403, code: 'FORBIDDEN' });
    }
    expect(await holidays2026()).toEqual(before);
    expect((await preview('P3', 'complex')).restoreDueAt).toBe('2026-02-19T02:00:00.000Z');
  });

  it('impossible or malformed dates → 400 naming params.date; bad bodies name the field', async () => {
    // A malformed date may be named twice (wrong shape, and not a calendar date); only params.date is named.
    const named = (body: unknown) => [...new Set(fieldPaths(body as never))];
    for (const date of ['2026-02-30', '2027-02-29', '2026-13-01', '2026-00-10', '2026-2-17', 'tomorrow']) {
      const put = await h.call('put', `/api/v1/calendar/holidays/${date}`, { token: h.tokens.admin, body: { name: '없는 날' } });
      expect({ date, status: put.status, code: put.body.error?.code, paths: named(put.body) }).toEqual({
        date,
        status: 400,
        code: 'VALIDATION',
        paths: ['params.date'],
      });
      const del = await h.call('delete', `/api/v1/calendar/holidays/${date}`, { token: h.tokens.admin });
      expect({ date, status: del.status, code: del.body.error?.code, paths: named(del.body) }).toEqual({
        date,
        status: 400,
        code: 'VALIDATION',
        paths: ['params.date'],
      });
    }
    const leapDay = await h.call('put', '/api/v1/calendar/holidays/2028-02-29', { token: h.tokens.admin, body: { name: '윤일 휴무', kind: 'company' } });
    expect(leapDay.status).toBe(201);
    expect((await h.call('delete', '/api/v1/calendar/holidays/2028-02-29', { token: h.tokens.admin })).status).toBe(204);
    const bad = await h.call('put', '/api/v1/calendar/holidays/2026-05-04', { token: h.tokens.admin, body: { name: ' ', kind: 'bogus', extra: true } });
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad.body)).toEqual(['extra', 'kind', 'name']);
    const year = await h.call('get', '/api/v1/calendar/holidays?year=twenty', { token: h.tokens.admin });
    expect(year.status).toBe(400);
    expect(fieldPaths(year.body)).toEqual(['query.year']);
    expect((await holidays2026()).map((d) => d.date)).not.toContain('2026-05-04');
  });

  it('an admin removes 2026-02-17: the preview then restores on Tuesday 17th 11:00 KST; incidents already open keep their calendar', async () => {
    const openedBefore = await openIncident('P3', 'complex');
    expect(openedBefore.sla.policy.calendarVersion).toBe(seededVersion);

    const del = await h.call('delete', '/api/v1/calendar/holidays/2026-02-17', { token: h.tokens.admin });
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await holidays2026()).map((d) => d.date)).not.toContain('2026-02-17');

    // Fri 16:00–18:00 = 2 h; Mon 16 is still 설날 전날; Tue 17 09:00 + 2 h = 11:00 KST = 02:00 UTC.
    const body = await preview('P3', 'complex');
    expect(body.restoreDueAt).toBe('2026-02-17T02:00:00.000Z');
    expect(body.responseDueAt).toBe('2026-02-13T09:00:00.000Z');
    expect(body.calendarVersion).not.toBe(seededVersion);

    const openedAfter = await openIncident('P3', 'complex');
    expect(openedAfter.sla.policy.calendarVersion).toBe(body.calendarVersion);
    expect((await readIncident(openedBefore.id)).sla.policy.calendarVersion).toBe(seededVersion);
  });

  it('removing it again → 404 NOT_FOUND', async () => {
    const res = await h.call('delete', '/api/v1/calendar/holidays/2026-02-17', { token: h.tokens.admin });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', details: { resource: 'holiday', id: '2026-02-17' } });
  });

  it('putting it back (201, then 200 for a correction) restores the original due instant and calendar version', async () => {
    const created = await h.call('put', '/api/v1/calendar/holidays/2026-02-17', { token: h.tokens.admin, body: { name: '설날', kind: 'lunar' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ date: '2026-02-17', name: '설날', kind: 'lunar', source: 'admin', updatedBy: SUBJECTS.admin });

    const corrected = await h.call('put', '/api/v1/calendar/holidays/2026-02-17', {
      token: h.tokens.admin,
      body: { name: '설날 (음력 1월 1일)', kind: 'lunar' },
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body.name).toBe('설날 (음력 1월 1일)');
    expect((await holidays2026()).find((d) => d.date === '2026-02-17')).toEqual({
      date: '2026-02-17',
      name: '설날 (음력 1월 1일)',
      kind: 'lunar',
      source: 'admin',
      updatedBy: SUBJECTS.admin,
    });

    const body = await preview('P3', 'complex');
    expect(body.restoreDueAt).toBe('2026-02-19T02:00:00.000Z');
    expect(body.calendarVersion).toBe(seededVersion);
  });
});

describe('SLA policies', () => {
  const P2_COMPLEX = '/api/v1/sla-policies/P2/complex';

  it('GET one policy and the whole list', async () => {
    const one = await h.call('get', P2_COMPLEX, { token: h.tokens.engineer });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      severity: 'P2',
      complexity: 'complex',
      clock: '24x7',
      responseTargetSeconds: 1800,
      restoreTargetSeconds: 14_400,
      statusReportIntervalSeconds: 3600,
      updatedBy: 'seed',
    });
    const all = await h.call('get', '/api/v1/sla-policies', { token: h.tokens.engineer });
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(8);
    expect(all.body.autoCloseAfterSeconds).toBe(5 * 24 * 3600);
  });

  it('unknown severity or complexity in the path → 400 naming params.*', async () => {
    const res = await h.call('get', '/api/v1/sla-policies/P9/hard', { token: h.tokens.engineer });
    expect(res.status).toBe(400);
    expect(fieldPaths(res.body)).toEqual(['params.complexity', 'params.severity']);
  });

  it('a bad policy body → 400 naming each field; a non-admin → 403; the policy is unchanged', async () => {
    const before = (await h.call('get', P2_COMPLEX, { token: h.tokens.admin })).body;
    const bad = await h.call('put', P2_COMPLEX, {
      token: h.tokens.admin,
      body: { clock: 'weekly', responseTargetSeconds: 0, restoreTargetSeconds: '2h', statusReportIntervalSeconds: 1.5, tier: 'gold' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION');
    expect(fieldPaths(bad.body)).toEqual(['clock', 'responseTargetSeconds', 'restoreTargetSeconds', 'statusReportIntervalSeconds', 'tier']);
    const missing = await h.call('put', P2_COMPLEX, { token: h.tokens.admin, body: { clock: '24x7' } });
    expect(fieldPaths(missing.body)).toEqual(['responseTargetSeconds', 'restoreTargetSeconds']);

    const good = { clock: '24x7', responseTargetSeconds: 1800, restoreTargetSeconds: 7200, statusReportIntervalSeconds: 3600 };
    for (const role of ['spm', 'engineer', 'automation', 'auditor'] as const) {
      const res = await h.call('put', P2_COMPLEX, { token: h.tokens[role], body: good });
      expect({ role, status: res.status }).toEqual({ role, status: 403 });
    }
    expect((await h.call('get', P2_COMPLEX, { token: h.tokens.admin })).body).toEqual(before);
  });

  it('an edit applies to incidents opened afterwards; one opened before keeps its due instant', async () => {
    const before = await openIncident('P2', 'complex');
    expect(before.sla.restoreDueAt).toBe(plus(before.openedAt, 4 * HOUR));

    const put = await h.call('put', P2_COMPLEX, {
      token: h.tokens.admin,
      body: { clock: '24x7', responseTargetSeconds: 1800, restoreTargetSeconds: 7200, statusReportIntervalSeconds: 3600 },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ severity: 'P2', complexity: 'complex', restoreTargetSeconds: 7200, updatedBy: SUBJECTS.admin });
    expect((await h.call('get', P2_COMPLEX, { token: h.tokens.auditor })).body.restoreTargetSeconds).toBe(7200);
    expect((await preview('P2', 'complex')).restoreDueAt).toBe('2026-02-13T09:00:00.000Z');

    const after = await openIncident('P2', 'complex');
    expect(after.sla.restoreDueAt).toBe(plus(after.openedAt, 2 * HOUR));
    expect(after.sla.policy.restoreTargetSeconds).toBe(7200);

    const reread = await readIncident(before.id);
    expect(reread.sla.restoreDueAt).toBe(plus(before.openedAt, 4 * HOUR));
    expect(reread.sla.policy.restoreTargetSeconds).toBe(14_400);
    // The workflow that judges it holds the old target too, not only the read model.
    const live = await h.client.workflow.getHandle(incidentWorkflowId(before.id)).query(incidentStateQuery);
    expect(live.sla.restoreTargetSeconds).toBe(14_400);
  });

  it('auto-close: an admin sets it, bad values are named, others are refused, and only new incidents take it', async () => {
    const before = await openIncident('P1', 'simple');
    expect(before.sla.policy.autoCloseAfterSeconds).toBe(5 * 24 * 3600);

    for (const [body, paths] of [
      [{ afterSeconds: 10 }, ['afterSeconds']],
      [{ afterSeconds: '1h' }, ['afterSeconds']],
      [{ afterSeconds: 3600.5 }, ['afterSeconds']],
      [{}, ['afterSeconds']],
      [{ afterSeconds: 3600, when: 'now' }, ['when']],
    ] as const) {
      const res = await h.call('put', '/api/v1/sla-policies/auto-close', { token: h.tokens.admin, body });
      expect({ body, status: res.status, paths: fieldPaths(res.body) }).toEqual({ body, status: 400, paths });
    }
    const spm = await h.call('put', '/api/v1/sla-policies/auto-close', { token: h.tokens.spm, body: { afterSeconds: 3600 } });
    expect(spm.status).toBe(403);
    expect((await h.call('get', '/api/v1/sla-policies', { token: h.tokens.admin })).body.autoCloseAfterSeconds).toBe(5 * 24 * 3600);

    const put = await h.call('put', '/api/v1/sla-policies/auto-close', { token: h.tokens.admin, body: { afterSeconds: 3600 } });
    expect(put).toMatchObject({ status: 200, body: { afterSeconds: 3600 } });
    expect((await h.call('get', '/api/v1/sla-policies', { token: h.tokens.auditor })).body.autoCloseAfterSeconds).toBe(3600);

    const after = await openIncident('P1', 'simple');
    expect(after.sla.policy.autoCloseAfterSeconds).toBe(3600);
    expect((await readIncident(before.id)).sla.policy.autoCloseAfterSeconds).toBe(5 * 24 * 3600);
  });
});
