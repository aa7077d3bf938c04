import { createHash } from 'node:crypto';
import { mailWithKey, useSmtpReceiver } from '../activities/notifications/local-receivers';
import { pdfBytesText } from '../reports/pdf-harness';
import { fieldPaths, incidentBody, SUBJECTS, useHarness } from './harness';
import type { Json } from '../support/json';

/**
 * The incident's root-cause analysis and report over HTTP (domain.md process 1, "after
 * restoration"): the RCA is validated and recorded, the report is published by the SPM,
 * stored with its hash, served as a PDF and e-mailed to the customer contact.
 */

const smtp = useSmtpReceiver();
const h = useHarness({ mail: smtp.mail });

const CUSTOMER = 'it-ops@customer.example';
const RCA = {
  cause: '녹취 스토리지 볼륨 사용률 100% 도달로 녹취 파일 저장 실패',
  actions: '볼륨 확장 및 90일 경과 녹취 아카이브 이전',
  prevention: [
    { item: '스토리지 사용률 80% 경보 추가', owner: '인프라 운영', dueDate: '2026-12-31' },
    { item: '월간 정기점검 항목에 녹취 스토리지 추가', owner: 'SPM', dueDate: '2027-01-15' },
  ],
};

async function open(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body: incidentBody(overrides) });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function act(id: string, action: string, body: Record<string, unknown> = {}, token = h.tokens.engineer) {
  const res = await h.call('post', `/api/v1/incidents/${id}/${action}`, { token, body });
  expect({ action, status: res.status }).toEqual({ action, status: 200 });
  return res.body;
}

async function read(id: string) {
  const res = await h.call('get', `/api/v1/incidents/${id}`, { token: h.tokens.auditor });
  expect(res.status).toBe(200);
  return res.body;
}

/** The read model's row: what an auditor sees whatever the API's view shows. */
async function stored(id: string): Promise<{ rca: Json; reports: Json[] }> {
  const { rows } = await h.pool.query('SELECT rca, reports FROM incidents WHERE id = $1', [id]);
  expect(rows).toHaveLength(1);
  return rows[0];
}

/** GET …/report.pdf as bytes (the harness's `call` reads bodies as text, which would mangle a PDF). */
async function pdf(id: string, query = '') {
  const res = await fetch(`${h.baseUrl}/api/v1/incidents/${id}/report.pdf${query}`, { headers: { authorization: `Bearer ${h.tokens.auditor}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, json: () => JSON.parse(bytes.toString('utf8')) };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('an incident from resolution to its published report', () => {
  let id: string;
  let v1: { reportId: string; sha256: string; bytes: Buffer };
  /** The answers of POST …/rca and of the first POST …/report/publish. */
  let rcaAnswer: Json;
  let publishAnswer: Json;

  it('the customer contact is on the roster; the incident is opened, assigned, started and resolved', async () => {
    const contact = await h.call('post', '/api/v1/contacts', {
      token: h.tokens.spm,
      body: { name: '고객사 IT 운영', email: CUSTOMER, audience: 'customer', hours: 'always' },
    });
    expect(contact.status).toBe(201);

    id = await open({
      title: '상담 2센터 녹취 저장 실패',
      description: '녹취 파일 저장 실패 경보',
      severity: 'P2',
      complexity: 'complex',
      system: 'REC',
      center: '상담 2센터',
    });
    expect((await act(id, 'assign', { assignee: 'eng-park' }, h.tokens.spm)).status).toBe('ASSIGNED');
    expect((await act(id, 'start')).status).toBe('IN_PROGRESS');
    const resolved = await act(id, 'resolve', { resolution: '스토리지 볼륨 확장' });
    expect(resolved).toMatchObject({ status: 'RESOLVED', resolvedAt: expect.any(String) });
    // Resolved but without an RCA: the report cannot be published yet, so it is not among the actions.
    expect(resolved.actions).toEqual(['reopen', 'close', 'notes', 'rca']);
  });

  it('an RCA with a bad body → 400 naming each bad field, and nothing is recorded', async () => {
    const badDate = await h.call('post', `/api/v1/incidents/${id}/rca`, {
      token: h.tokens.engineer,
      body: { ...RCA, prevention: [RCA.prevention[0], { ...RCA.prevention[1], dueDate: '15.01.2027' }] },
    });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.code).toBe('VALIDATION');
    expect(badDate.body.error.details).toEqual([{ path: 'prevention.1.dueDate', message: 'expected YYYY-MM-DD' }]);

    const several = await h.call('post', `/api/v1/incidents/${id}/rca`, {
      token: h.tokens.engineer,
      body: { cause: '   ', prevention: [{ item: '경보 추가', dueDate: '2026-12-31' }], rootCause: 'x' },
    });
    expect(several.status).toBe(400);
    expect(fieldPaths(several.body)).toEqual(['actions', 'cause', 'prevention.0.owner', 'rootCause']);

    const noPlan = await h.call('post', `/api/v1/incidents/${id}/rca`, { token: h.tokens.engineer, body: { ...RCA, prevention: [] } });
    expect(noPlan.status).toBe(400);
    expect(fieldPaths(noPlan.body)).toEqual(['prevention']);

    expect((await stored(id)).rca).toBeNull();
    expect((await read(id)).timeline.map((e: { type: string }) => e.type)).not.toContain('rca-recorded');
  });

  it('publishing before an RCA is recorded → 409 INVALID_TRANSITION that says to record the RCA; nothing is rendered', async () => {
    const res = await h.call('post', `/api/v1/incidents/${id}/report/publish`, { token: h.tokens.spm, body: {} });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { action: 'publish-report', status: 'RESOLVED' } });
    expect(res.body.error.message).toMatch(/RCA/);
    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM reports WHERE subject_id = $1', [id]);
    expect(rows[0].n).toBe(0);
  });

  it('POST rca → 200; the RCA is in the read model with who recorded it, and on the timeline', async () => {
    const res = await h.call('post', `/api/v1/incidents/${id}/rca`, { token: h.tokens.engineer, body: RCA });
    expect(res.status).toBe(200);
    rcaAnswer = res.body;
    const rca = { ...RCA, recordedBy: { id: SUBJECTS.engineer, role: 'engineer' }, recordedAt: expect.any(String), revision: 1 };
    expect((await stored(id)).rca).toEqual(rca);
    const event = res.body.timeline.at(-1);
    expect(event).toMatchObject({ type: 'rca-recorded', actor: { id: SUBJECTS.engineer, role: 'engineer' }, details: { revision: 1, preventionItems: 2 } });
    expect(res.body.status).toBe('RESOLVED');
    expect(res.body.actions).toContain('publishReport');
  });

  it('the API shows the recorded RCA: in the POST answer and on GET', async () => {
    // The RCA is what the report is made of; a caller must be able to read it back.
    const rca = { ...RCA, recordedBy: { id: SUBJECTS.engineer, role: 'engineer' }, revision: 1 };
    expect(rcaAnswer.rca).toMatchObject(rca);
    expect((await read(id)).rca).toMatchObject(rca);
  });

  it('an engineer may not publish the report → 403, and nothing is rendered', async () => {
    const res = await h.call('post', `/api/v1/incidents/${id}/report/publish`, { token: h.tokens.engineer, body: {} });
    expect(res.status).toBe(403);
    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM reports WHERE subject_id = $1', [id]);
    expect(rows[0].n).toBe(0);
    expect((await stored(id)).reports).toEqual([]);
  });

  it('the SPM publishes → 200; version 1 is stored with its hash and recorded on the incident', async () => {
    const res = await h.call('post', `/api/v1/incidents/${id}/report/publish`, { token: h.tokens.spm, body: { locale: 'ko' } });
    expect(res.status).toBe(200);
    publishAnswer = res.body;
    const published = res.body.timeline.at(-1);
    expect(published).toMatchObject({
      type: 'report-published',
      actor: { id: SUBJECTS.spm, role: 'spm' },
      details: { reportId: `${id}-R1`, version: 1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), locale: 'ko' },
    });

    const { rows } = await h.pool.query('SELECT id, kind, version, locale, sha256, pdf, bytes, pages FROM reports WHERE subject_id = $1', [id]);
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row).toMatchObject({ id: `${id}-R1`, kind: 'incident', version: 1, locale: 'ko', sha256: published.details.sha256 });
    expect(sha256(row.pdf)).toBe(row.sha256);
    expect(row.bytes).toBe(row.pdf.length);
    expect(row.pages).toBeGreaterThanOrEqual(1);
    v1 = { reportId: row.id, sha256: row.sha256, bytes: row.pdf };

    expect((await stored(id)).reports).toEqual([
      { reportId: `${id}-R1`, version: 1, sha256: row.sha256, publishedAt: published.at, publishedBy: { id: SUBJECTS.spm, role: 'spm' }, locale: 'ko' },
    ]);
  });

  it('the API shows what was published: `reports[0]` on the publish answer and on GET', async () => {
    const first = expect.objectContaining({
      reportId: `${id}-R1`,
      version: 1,
      sha256: v1.sha256,
      locale: 'ko',
      publishedBy: { id: SUBJECTS.spm, role: 'spm' },
    });
    expect(publishAnswer.reports).toEqual([first]);
    expect((await read(id)).reports).toEqual([first]);
  });

  it('GET report.pdf → the stored PDF; its sha256 is X-Report-Sha256 and the row; the text names the incident and its cause', async () => {
    const res = await pdf(id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-report-id')).toBe(`${id}-R1`);
    expect(res.headers.get('x-report-version')).toBe('1');
    expect(res.headers.get('x-report-sha256')).toBe(v1.sha256);
    expect(sha256(res.bytes)).toBe(v1.sha256);
    expect(res.bytes.equals(v1.bytes)).toBe(true);
    expect(res.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const text = pdfBytesText(res.bytes);
    expect(text).toContain(id);
    // A long cause may wrap in its block: compare without the line breaks pdftotext adds.
    expect(text.replace(/\s+/g, '')).toContain(RCA.cause.replace(/\s+/g, ''));
    expect(text.replace(/\s+/g, '')).toContain(RCA.prevention[0].item.replace(/\s+/g, ''));
  });

  it('the report cites the history it was built from: the hash in its header is a stored export an auditor can fetch', async () => {
    const { rows } = await h.pool.query(`SELECT input::text AS input FROM reports WHERE id = $1`, [`${id}-R1`]);
    const cited = JSON.parse(rows[0].input).sourceHistory as { workflowId: string; runId: string; events: number; sha256: string };
    expect(cited).toMatchObject({ workflowId: `incident-${id}`, events: expect.any(Number) });

    const history = await h.call('get', `/api/v1/audit/workflows/incident-${id}/history?sha256=${cited.sha256}`, { token: h.tokens.auditor });
    expect(history.status).toBe(200);
    expect(history.headers.get('x-history-source')).toBe('export');
    expect(sha256(Buffer.from(history.text))).toBe(cited.sha256);
    const events = JSON.parse(history.text).events as Array<{ eventType: string; activityTaskScheduledEventAttributes?: { activityType: { name: string } } }>;
    expect(events).toHaveLength(cited.events);
    // Captured while the report was being rendered: the rendering activity is the last thing scheduled.
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes).at(-1)!.activityTaskScheduledEventAttributes!.activityType.name).toBe(
      'renderIncidentReport',
    );

    const text = pdfBytesText(v1.bytes).replace(/\s+/g, '');
    expect(text).toContain(cited.sha256);
    const log = await h.call('get', '/api/v1/audit/log?actor=butler', { token: h.tokens.auditor });
    expect(log.body.items).toContainEqual(
      expect.objectContaining({
        action: 'export-history',
        subject: `incident-${id}`,
        details: expect.objectContaining({ sha256: cited.sha256, reason: `incident report ${id} version 1` }),
      }),
    );
  });

  it('the customer contact receives the report by e-mail, the PDF attached byte for byte', async () => {
    const received = await mailWithKey(smtp.mails, `${id}:report:1`);
    expect(received.envelopeTo).toEqual([CUSTOMER]);
    expect(received.parsed.subject).toBe('[P2] 장애 보고서: 상담 2센터 녹취 저장 실패');
    expect(received.parsed.attachments).toHaveLength(1);
    const [attachment] = received.parsed.attachments;
    expect(attachment).toMatchObject({ filename: `${id}-R1.pdf`, contentType: 'application/pdf' });
    expect(attachment!.content.equals(v1.bytes)).toBe(true);
  });

  it('publishing again → version 2 (the newest served by default); ?version=1 still serves version 1', async () => {
    const again = await h.call('post', `/api/v1/incidents/${id}/report/publish`, { token: h.tokens.admin, body: {} });
    expect(again.status).toBe(200);
    expect(again.body.timeline.at(-1)).toMatchObject({ type: 'report-published', details: { reportId: `${id}-R2`, version: 2 } });
    expect((await stored(id)).reports.map((r) => [r.reportId, r.version])).toEqual([
      [`${id}-R1`, 1],
      [`${id}-R2`, 2],
    ]);

    const newest = await pdf(id);
    expect(newest.status).toBe(200);
    expect(newest.headers.get('x-report-id')).toBe(`${id}-R2`);
    expect(newest.headers.get('x-report-version')).toBe('2');
    expect(sha256(newest.bytes)).toBe(newest.headers.get('x-report-sha256'));
    // Version 2 is a new document (published later, its timeline shows the first publication), not a copy.
    expect(newest.headers.get('x-report-sha256')).not.toBe(v1.sha256);

    const first = await pdf(id, '?version=1');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-report-version')).toBe('1');
    expect(first.headers.get('x-report-sha256')).toBe(v1.sha256);
    expect(first.bytes.equals(v1.bytes)).toBe(true);

    const missing = await pdf(id, '?version=3');
    expect(missing.status).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'NOT_FOUND', details: { resource: 'report', id: `${id} version 3` } });

    const received = await mailWithKey(smtp.mails, `${id}:report:2`);
    expect(received.parsed.attachments[0]!.content.equals(newest.bytes)).toBe(true);
  });
});

describe('what cannot be asked of the report', () => {
  it('report.pdf of an incident without a report → 404 NOT_FOUND naming the report', async () => {
    const id = await open();
    const res = await pdf(id);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json().error).toEqual({ code: 'NOT_FOUND', message: `report of ${id} not found`, details: { resource: 'report', id: `of ${id}` } });
  });

  it('a due date that is no calendar day (2026-13-45, 2026-02-30) → 400 naming prevention.0.dueDate', async () => {
    // On its own incident: an accepted impossible date could not be printed (2026-13-45) or would print another day (2026-02-30).
    const id = await open({ severity: 'P3', complexity: 'simple' });
    for (const dueDate of ['2026-13-45', '2026-02-30']) {
      const res = await h.call('post', `/api/v1/incidents/${id}/rca`, {
        token: h.tokens.engineer,
        body: { ...RCA, prevention: [{ ...RCA.prevention[0], dueDate }] },
      });
      expect({ dueDate, status: res.status, paths: fieldPaths(res.body) }).toEqual({ dueDate, status: 400, paths: ['prevention.0.dueDate'] });
    }
    expect((await stored(id)).rca).toBeNull();
  });

  it('an RCA or a publication on an OPEN incident: the RCA is accepted, the publication refused (409)', async () => {
    const id = await open({ severity: 'P3', complexity: 'simple' });
    const publish = await h.call('post', `/api/v1/incidents/${id}/report/publish`, { token: h.tokens.spm, body: {} });
    expect(publish.status).toBe(409);
    expect(publish.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { action: 'publish-report', status: 'OPEN', allowedFrom: ['RESOLVED'] } });
    const rca = await h.call('post', `/api/v1/incidents/${id}/rca`, { token: h.tokens.engineer, body: RCA });
    expect(rca.status).toBe(200);
    expect((await stored(id)).rca).toMatchObject({ revision: 1, cause: RCA.cause });
  });

  it.each([
    [
      'CLOSED',
      async (id: string) => {
        await act(id, 'assign', { assignee: 'eng-park' }, h.tokens.spm);
        await act(id, 'resolve', { resolution: '재기동' });
        await act(id, 'close', {}, h.tokens.spm);
      },
    ],
    [
      'CANCELLED',
      async (id: string) => {
        await act(id, 'cancel', { reason: '중복 접수' }, h.tokens.spm);
      },
    ],
  ] as const)('an RCA on a %s incident → 409 INVALID_TRANSITION; nothing is recorded', async (status, endIt) => {
    const id = await open({ severity: 'P3', complexity: 'simple' });
    await endIt(id);
    expect((await read(id)).status).toBe(status);
    const res = await h.call('post', `/api/v1/incidents/${id}/rca`, { token: h.tokens.engineer, body: RCA });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { status } });
    expect((await stored(id)).rca).toBeNull();
    const publish = await h.call('post', `/api/v1/incidents/${id}/report/publish`, { token: h.tokens.spm, body: {} });
    expect(publish.status).toBe(409);
  });

  it('an unknown incident → 404 for the RCA, the publication and the PDF', async () => {
    const rca = await h.call('post', '/api/v1/incidents/INC-999999/rca', { token: h.tokens.engineer, body: RCA });
    expect(rca.status).toBe(404);
    expect(rca.body.error.details).toEqual({ resource: 'incident', id: 'INC-999999' });
    const publish = await h.call('post', '/api/v1/incidents/INC-999999/report/publish', { token: h.tokens.spm, body: {} });
    expect(publish.status).toBe(404);
    expect((await pdf('INC-999999')).status).toBe(404);
  });
});
