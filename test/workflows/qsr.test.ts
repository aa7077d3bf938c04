import type { AuditAnchor } from '../../domain/audit/seal';
import { verifyAuditChain } from '../../db/audit.repo';
import { testAuditSigner } from '../../runtime/embedded-worker';
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { saveIncident } from '../../db/incidents.repo';
import { seedLines } from '../../db/line-seed';
import type { IncidentState } from '../../domain/incident/contracts';
import type { QsrState } from '../../domain/qsr/contracts';
import { quarterBounds } from '../../domain/report/periods';
import { computeKpis } from '../../domain/qsr/kpis';
import { fieldPaths, SUBJECTS, useHarness } from '../api/harness';
import { mailWithKey, useSmtpReceiver } from '../activities/notifications/local-receivers';
import { pdfBytesText } from '../reports/pdf-harness';
import { seedEmergencyChange } from '../support/emergency-changes';
import { HOUR, incidentThrough, MIN } from '../domain/incident-fixture';

/**
 * The quarterly service review (domain.md process 6) over HTTP with a real worker:
 * incidents of the quarter in the read model, call volume from the CTI emulator's
 * statistics and from CSV uploads (one planted spike, one planted drop), the SPM's
 * proposals re-rendering the report, approval e-mailing it to the customer.
 */

const QUARTER = '2026-Q3';
const { from: FROM, to: TO } = quarterBounds(QUARTER); // 2026-07-01 and 2026-10-01, Seoul midnights
const CUSTOMER = 'cc-manager@customer.example';
const C1 = '상담1센터';
const C2 = '상담2센터';

const smtp = useSmtpReceiver();
const h = useHarness({ vendors: true, mail: smtp.mail });

// ---- the quarter's incidents, written to the read model as the workflow would have --------------

const incident = incidentThrough;

/** Every clock stopped (resolved, closed or cancelled): the figures do not depend on when they are computed. */
const INCIDENTS: IncidentState[] = [
  // In the quarter: restored within 4 h, closed.
  incident('INC-900001', 'P1', 'complex', 'PBX', '상담 1센터', '2026-07-06T01:00:00.000Z', [
    ['assign', 10 * MIN],
    ['start', 15 * MIN],
    ['resolve', 3 * HOUR],
    ['close', 5 * 24 * HOUR],
  ]),
  // Answered late (40 min of 30) and restored late (5 h of 4): two breaches.
  incident('INC-900002', 'P1', 'complex', 'CTI', '상담 2센터', '2026-08-04T02:00:00.000Z', [
    ['assign', 40 * MIN],
    ['start', 50 * MIN],
    ['resolve', 5 * HOUR],
  ]),
  // Escalated before it was resolved: not an L1 resolution.
  incident('INC-900003', 'P2', 'simple', 'IVR', '상담 1센터', '2026-07-21T03:00:00.000Z', [
    ['assign', 20 * MIN],
    ['start', 30 * MIN],
    ['escalate', HOUR],
    ['resolve', 90 * MIN],
  ]),
  // Reopened once, resolved again.
  incident('INC-900004', 'P3', 'simple', 'PBX', undefined, '2026-09-02T01:00:00.000Z', [
    ['assign', 30 * MIN],
    ['start', 40 * MIN],
    ['resolve', 2 * HOUR],
    ['reopen', 26 * HOUR],
    ['resolve', 27 * HOUR],
  ]),
  // Cancelled (a duplicate) two hours in, its response already late: out of the volumes and shares, not out of the breaches.
  incident('INC-900005', 'P2', 'simple', 'NET', '상담 2센터', '2026-08-20T00:00:00.000Z', [['cancel', 2 * HOUR]]),
  // Opened an hour before the quarter (Seoul): out of scope.
  incident('INC-900006', 'P1', 'simple', 'PBX', '상담 1센터', '2026-06-30T14:00:00.000Z', [
    ['assign', 5 * MIN],
    ['resolve', HOUR],
  ]),
  // Opened a minute before the quarter ends: in scope.
  incident('INC-900007', 'P4', 'complex', 'REC', '상담 3센터', '2026-09-30T14:59:00.000Z', [
    ['assign', 20 * MIN],
    ['resolve', 2 * HOUR],
  ]),
];

// ---- call volume -------------------------------------------------------------------------------

const SPIKE = { date: '2026-08-11', center: C1, offered: 9000, answered: 7100 }; // a Tuesday, ~10× the usual
const DROP = { date: '2026-09-08', center: C2, offered: 0, answered: 0 }; // a Tuesday without calls
const csv = (rows: Array<{ date: string; center: string; offered: number; answered: number }>) =>
  ['date,center,offered,answered', ...rows.map((r) => `${r.date},${r.center},${r.offered},${r.answered}`)].join('\r\n') + '\r\n';

async function upload(text: string, token = h.tokens.spm) {
  return h.call('post', '/api/v1/call-volume', { token, body: text, headers: { 'content-type': 'text/csv' } });
}

async function volumeRow(date: string, center: string) {
  const { rows } = await h.pool.query(`SELECT offered, answered, source, updated_by, updated_at FROM call_volume WHERE date = $1 AND center = $2`, [
    date,
    center,
  ]);
  return rows[0];
}

// ---- savings: a line the PBX's records never name ---------------------------------------------------

/** In service with a contract since before the quarter, and never on a call record of it: idle. */
const IDLE = { id: 'LN-970001', dn: '0239000001', carrier: 'KT', monthlyFee: 33_000, center: '상담 1센터', activatedAt: '2025-02-03T09:00:00+09:00' };

// ---- helpers -----------------------------------------------------------------------------------

async function until(id: string, done: (s: QsrState) => boolean, timeoutMs = 60_000): Promise<QsrState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await h.call('get', `/api/v1/qsr/${id}`, { token: h.tokens.auditor });
    expect(res.status).toBe(200);
    if (done(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`QSR ${id} stayed ${res.body.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function pdf(id: string, query = '') {
  const res = await fetch(`${h.baseUrl}/api/v1/qsr/${id}/report.pdf${query}`, { headers: { authorization: `Bearer ${h.tokens.auditor}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

// ---- the review --------------------------------------------------------------------------------

describe(`the QSR of ${QUARTER}`, () => {
  let qsr: QsrState;
  let expectedKpis: ReturnType<typeof computeKpis>;

  beforeAll(async () => {
    for (const state of INCIDENTS) await saveIncident(h.pool, state);
    // An emergency change applied in the quarter without the customer's approval within 24 h.
    await seedEmergencyChange(h.pool, { id: 'CHG-700001', target: 'QSR 긴급 휴일', appliedAt: '2026-08-04T05:00:00.000Z', retro: 'missing' });
    const contact = await h.call('post', '/api/v1/contacts', {
      token: h.tokens.spm,
      body: { name: '고객사 센터장', email: CUSTOMER, audience: 'customer', hours: 'always' },
    });
    expect(contact.status).toBe(201);
    expectedKpis = computeKpis(INCIDENTS, { from: FROM, to: TO }, new Date().toISOString());
    // The quarter's calls over the test trunk (set 9), as the real Kamailio's acc module keeps them (UTC):
    // three overlapping on 2026-08-12 KST, one on 2026-09-30 23:50 KST running past the quarter's end.
    const kamailio = new Client({ connectionString: h.vendors!.kamailio.kamailio.databaseUrl });
    await kamailio.connect();
    try {
      for (const [start, end] of [
        ['2026-08-12 01:00:00', '2026-08-12 01:30:00'],
        ['2026-08-12 01:10:00', '2026-08-12 01:20:00'],
        ['2026-08-12 01:15:00', '2026-08-12 01:40:00'],
        ['2026-09-30 14:50:00', '2026-09-30 15:20:00'],
      ]) {
        await kamailio.query(
          `INSERT INTO acc_cdrs (start_time, end_time, duration, trunk, caller, callee, call_id)
           VALUES ($1, $2, extract(epoch FROM $2::timestamp - $1::timestamp), '9', '0990', '0999', md5($1::text))`,
          [start, end],
        );
      }
      // Every day of the quarter, a call between two extensions (no trunk): the PBX's records cover each day, so a
      // line they never name is idle, not unrecorded (savings: records on two thirds of the 90 days at least).
      await kamailio.query(
        `INSERT INTO acc_cdrs (start_time, end_time, duration, trunk, caller, callee, call_id)
         SELECT d + interval '2 hours', d + interval '2 hours 1 minute', 60, '', '2101', '2102', 'ext-' || to_char(d, 'YYYYMMDD')
           FROM generate_series('2026-07-01'::timestamp, '2026-09-30'::timestamp, '1 day') d`,
      );
    } finally {
      await kamailio.end();
    }
    await seedLines(h.pool, [IDLE]);
    const sized = await h.call('put', '/api/v1/trunks/9', { token: h.tokens.spm, body: { channels: 4, center: C1 } });
    expect(sized.status).toBe(200);
  });

  it('a malformed CSV → 400 naming each bad cell as `line N.column`; nothing is stored', async () => {
    const bad = await upload(
      'date,center,offered,answered\n' +
        '2026-08-12,상담1센터,abc,10\n' + // line 2: offered
        '2026-02-30,상담1센터,10,5\n' + // line 3: no such day
        '2026-08-13,상담1센터,10,11\n' + // line 4: more answered than offered
        '2026-08-14,,10,5\n', // line 5: no center
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION');
    expect(fieldPaths(bad.body)).toEqual(['line 2.offered', 'line 3.date', 'line 4.answered', 'line 5.center']);
    expect(bad.body.error.details.find((d: { path: string }) => d.path === 'line 4.answered').message).toBe('must not exceed offered (10)');

    const asJson = await h.call('post', '/api/v1/call-volume', { token: h.tokens.spm, body: { date: '2026-08-12' } });
    expect(asJson.status).toBe(400);
    expect(asJson.body.error.details[0].message).toMatch(/Content-Type: text\/csv/);

    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM call_volume');
    expect(rows[0].n).toBe(0);
  });

  it('a CSV upload → 200 with what was stored; the rows are the upload’s (source csv, who uploaded)', async () => {
    const res = await upload(csv([SPIKE, DROP]));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ stored: 2, from: SPIKE.date, to: DROP.date, days: 2 });
    expect(await volumeRow(SPIKE.date, C1)).toMatchObject({ offered: 9000, answered: 7100, source: 'csv', updated_by: SUBJECTS.spm });
    const byEngineer = await upload(csv([SPIKE]), h.tokens.engineer);
    expect(byEngineer.status).toBe(403);
  });

  it('POST /qsr → 201 RUNNING; it reaches AWAITING_REVIEW with the CTI statistics imported', async () => {
    const res = await h.call('post', '/api/v1/qsr', { token: h.tokens.spm, body: { quarter: QUARTER } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^QSR-\d{6}$/),
      quarter: QUARTER,
      status: 'RUNNING',
      requestedBy: { id: SUBJECTS.spm, role: 'spm' },
    });
    qsr = await until(res.body.id, (s) => s.status !== 'RUNNING');
    expect(qsr.status).toBe('AWAITING_REVIEW');
    expect(qsr.notes).toEqual([]);
    expect(qsr.failure).toBeNull();

    // Every day of the quarter (92) for both centers the CTI knows.
    const { rows } = await h.pool.query(
      `SELECT center, source, count(*)::int AS n FROM call_volume WHERE date >= '2026-07-01' AND date < '2026-10-01' GROUP BY center, source ORDER BY center, source`,
    );
    expect(rows).toEqual([
      { center: C1, source: 'csv', n: 1 },
      { center: C1, source: 'cti', n: 91 },
      { center: C2, source: 'csv', n: 1 },
      { center: C2, source: 'cti', n: 91 },
    ]);
  });

  it("the quarter's trunk usage comes from the PBX's call records: each Seoul day's calls and peak, in the report", async () => {
    const { rows } = await h.pool.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, trunk, calls, peak_concurrent, data_source FROM trunk_usage_daily ORDER BY date`,
    );
    expect(rows).toEqual([
      { date: '2026-08-12', trunk: '9', calls: 3, peak_concurrent: 3, data_source: 'vendor' },
      { date: '2026-09-30', trunk: '9', calls: 1, peak_concurrent: 1, data_source: 'vendor' },
    ]);
    const text = pdfBytesText((await pdf(qsr.id)).bytes);
    expect(text).toContain('트렁크 사용률 (일별 최대)');
    expect(text).toMatch(new RegExp(`9\\s+${C1}\\s+4\\s+4\\s+3 \\(75\\.0%\\)\\s+0`));
  });

  it("the savings proposals as of the quarter's last day are in the report: a line on no call record of the 90 days is proposed for termination", async () => {
    // The QSR took the quarter's line days from the PBX's records: the extensions' every day, the idle line's none.
    const { rows } = await h.pool.query(
      `SELECT count(DISTINCT date)::int AS days, count(*) FILTER (WHERE dn = $1)::int AS idle FROM line_usage_daily WHERE date >= '2026-07-01' AND date < '2026-10-01'`,
      [IDLE.dn],
    );
    expect(rows).toEqual([{ days: 92, idle: 0 }]);
    const { body } = await h.call('get', '/api/v1/savings-proposals?asOf=2026-09-30', { token: h.tokens.auditor });
    const proposal = body.items.find((p: { key: string }) => p.key === `idle-line:${IDLE.id}`);
    expect(proposal).toMatchObject({ kind: 'idle-line', dn: IDLE.dn, monthlySavingKrw: IDLE.monthlyFee });
    // The 90 days up to 2026-09-30 (07-03 on), every one with records.
    expect(proposal.detail).toContain('최근 90일 중 통화 기록이 수집된 90일 동안');

    const text = pdfBytesText((await pdf(qsr.id)).bytes).replace(/\s+/g, '');
    expect(text).toContain('절감제안');
    expect(text).toContain(`미사용회선해지`);
    expect(text).toContain(`회선${IDLE.id}`);
    expect(text).toContain(IDLE.dn);
    expect(text).toContain(proposal.detail.replace(/\s+/g, ''));
  });

  it('the CTI import did not overwrite the uploaded days', async () => {
    expect(await volumeRow(SPIKE.date, C1)).toMatchObject({ offered: SPIKE.offered, answered: SPIKE.answered, source: 'csv', updated_by: SUBJECTS.spm });
    expect(await volumeRow(DROP.date, C2)).toMatchObject({ offered: 0, answered: 0, source: 'csv' });
    expect(await volumeRow('2026-08-12', C1)).toMatchObject({ source: 'cti', updated_by: 'cti-statistics' });
  });

  it('statistics from the CTI EMULATOR are stored as simulated, and the QSR says so in its SIMULATED DATA banner', async () => {
    const { rows } = await h.pool.query(
      `SELECT source, data_source, count(*)::int AS n FROM call_volume WHERE date >= '2026-07-01' AND date < '2026-10-01' GROUP BY source, data_source ORDER BY source`,
    );
    expect(rows).toEqual([
      { source: 'csv', data_source: 'vendor', n: 2 },
      { source: 'cti', data_source: 'simulated', n: 182 },
    ]);
    const text = pdfBytesText((await pdf(qsr.id)).bytes);
    expect(text).toContain('모의 데이터 / SIMULATED DATA');
    expect(text.replace(/\s+/g, '')).toContain('CTI에뮬레이터');
  });

  it('the report lists the quarter’s emergency change and flags its missing customer approval', async () => {
    const text = pdfBytesText((await pdf(qsr.id)).bytes);
    expect(text).toContain('긴급 변경 내역');
    expect(text).toMatch(/CHG-700001\s+ivr-holidays\s+QSR 긴급 휴일\s+.*기한\(24시간\) 경과\s+고객 승인 누락/);
  });

  it('its indicators are computeKpis over the same incidents; the figures are the fixture’s', () => {
    expect(qsr.kpis).toEqual(expectedKpis);
    // Not only equal to the formula: what the fixture was built to give.
    expect(qsr.kpis!.incidents.total).toBe(5); // 1 2 3 4 7: 5 cancelled, 6 before the quarter
    expect(qsr.kpis!.incidents.bySeverity).toEqual({ P1: 2, P2: 1, P3: 1, P4: 1 });
    expect(qsr.kpis!.l1Resolution).toEqual({ numerator: 4, denominator: 5, ratio: 0.8 });
    expect(qsr.kpis!.reopenRate).toEqual({ numerator: 1, denominator: 5, ratio: 0.2 });
    expect(qsr.kpis!.restoredWithinTarget.complex).toEqual({ numerator: 2, denominator: 3, ratio: 2 / 3 });
    expect(qsr.kpis!.breaches.map((b) => [b.incidentId, b.clock, b.cancelled?.reason ?? null])).toEqual([
      ['INC-900002', 'response', null],
      ['INC-900002', 'restore', null],
      ['INC-900005', 'response', '중복 접수'],
    ]);
    expect(qsr.kpis!.cancelled).toEqual({ total: 1, breached: 1, byReason: [{ reason: '중복 접수', count: 1 }] });
  });

  it('the report keeps the cancelled incident in its breaches, by name, and says why it was cancelled', async () => {
    // pdftotext lays the page out in columns: read as one line of words.
    const text = pdfBytesText((await pdf(qsr.id)).bytes).replace(/\s+/g, ' ');
    expect(text).toMatch(
      /INC-900005 NET 장애 INC-900005 P2 NET 상담 2센터 응답 1시간 2시간 2026\. 08\. 20\. 10:00 \(취소됨 2026\. 08\. 20\. 11:00: 중복 접수\)/,
    );
    expect(text).toMatch(/취소된 장애 .{0,20} 1 위반 후 취소 1/);
    expect(text).toContain('취소 사유 건수 중복 접수 1');

    // The audit chain's head, signed as the report was rendered: a copy of an anchor outside the database, which holds.
    const { rows: anchors } = await h.pool.query<{ anchor: AuditAnchor }>(`SELECT anchor FROM audit_anchors WHERE reason = $1`, [
      `QSR report ${qsr.id} version 1`,
    ]);
    expect(anchors).toHaveLength(1);
    const anchor = anchors[0]!.anchor;
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain(`감사로그앵커#${anchor.no}·seq${anchor.seq}·${anchor.hash}·키${anchor.keyId}·${anchor.signedAt}·봉인시작${anchor.sealedFrom}`);
    expect(flat).toContain(anchor.signature);
    expect(await verifyAuditChain(h.pool, testAuditSigner().publicKey, [anchor])).toMatchObject({ ok: true, anchors: { checked: expect.any(Number) } });
  });

  it('the planted spike and drop are among the anomalies, by date, center and kind; the spike scores highest', () => {
    // The CTI emulator's made-up volume has a few borderline days of its own: asserted by key, not as the whole list.
    const spike = qsr.anomalies.filter((a) => a.date === SPIKE.date && a.center === C1);
    expect(spike).toEqual([expect.objectContaining({ kind: 'spike', offered: SPIKE.offered })]);
    const drop = qsr.anomalies.filter((a) => a.date === DROP.date && a.center === C2);
    expect(drop).toEqual([expect.objectContaining({ kind: 'drop', offered: 0 })]);
    expect(spike[0]!.score).toBeGreaterThanOrEqual(3.5);
    expect(drop[0]!.score).toBeLessThanOrEqual(-3.5);
    expect(Math.max(...qsr.anomalies.map((a) => a.score))).toBe(spike[0]!.score);
    // Expected is the median of the same weekday (Tuesdays of the quarter at 상담1센터), far below the spike.
    expect(spike[0]!.expected).toBeLessThan(SPIKE.offered / 3);
    // Sorted by date, then center.
    const order = qsr.anomalies.map((a) => `${a.date}|${a.center}`);
    expect(order).toEqual([...order].sort());
  });

  it('GET /kpis for the quarter’s dates gives the same figures', async () => {
    const res = await h.call('get', '/api/v1/kpis?from=2026-07-01&to=2026-10-01', { token: h.tokens.auditor });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expectedKpis);
    const instants = await h.call('get', `/api/v1/kpis?from=${encodeURIComponent('2026-07-01T00:00:00+09:00')}&to=${encodeURIComponent(TO)}`, {
      token: h.tokens.auditor,
    });
    expect(instants.body).toEqual(expectedKpis);
  });

  it('KPI queries: `to` before `from`, a range over 366 days, a missing bound or a bad date → 400 naming the field', async () => {
    const cases: Array<[string, string[]]> = [
      ['from=2026-10-01&to=2026-07-01', ['query.to']],
      ['from=2026-07-01&to=2026-07-01', ['query.to']],
      ['from=2025-01-01&to=2026-01-03', ['query.to']],
      ['from=2026-07-01', ['query.to']],
      ['from=2026-02-30&to=2026-07-01', ['query.from']], // no such day (not 2026-03-02)
      [`from=${encodeURIComponent('2026-02-30T00:00:00+09:00')}&to=2026-07-01`, ['query.from']],
      ['from=2026-13-01&to=2026-07-01', ['query.from']],
      ['from=2026-07-01&to=2026-10-01&center=x', ['query.center']],
    ];
    for (const [query, paths] of cases) {
      const res = await h.call('get', `/api/v1/kpis?${query}`, { token: h.tokens.auditor });
      expect({ query, status: res.status, paths: fieldPaths(res.body) }).toEqual({ query, status: 400, paths });
    }
    // Exactly 366 days is allowed (a leap year).
    const year = await h.call('get', '/api/v1/kpis?from=2028-01-01&to=2029-01-01', { token: h.tokens.auditor });
    expect(year.status).toBe(200);
  });

  it('approve without proposals → 409 INVALID_TRANSITION asking for them', async () => {
    const res = await h.call('post', `/api/v1/qsr/${qsr.id}/approve`, { token: h.tokens.spm, body: {} });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INVALID_TRANSITION');
    expect(res.body.error.message).toMatch(/proposals/);
    expect((await h.call('get', `/api/v1/qsr/${qsr.id}`, { token: h.tokens.auditor })).body.status).toBe('AWAITING_REVIEW');
  });

  it('proposals → the report is rendered again as version 2, with the proposals in it', async () => {
    expect(qsr.report).toMatchObject({ reportId: `${qsr.id}-R1`, version: 1 });
    const bad = await h.call('post', `/api/v1/qsr/${qsr.id}/proposals`, { token: h.tokens.spm, body: { proposals: [{ title: '', detail: 'x' }] } });
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad.body)).toEqual(['proposals.0.title']);

    const proposals = [
      { title: '2센터 PRI 회선 이중화', detail: '9월 통화 불가 재발 방지를 위해 PRI 회선 이중화를 검토합니다.', owner: '인프라 운영' },
      { title: '8월 인입 급증 대비 상담 인력 탄력 운영', detail: '카드 분실 신고 급증일 대응 인력 계획 수립' },
    ];
    const res = await h.call('post', `/api/v1/qsr/${qsr.id}/proposals`, { token: h.tokens.spm, body: { proposals } });
    expect(res.status).toBe(200);
    expect(res.body.proposals).toEqual(proposals);
    expect(res.body.report).toMatchObject({ reportId: `${qsr.id}-R2`, version: 2 });

    const v2 = await pdf(qsr.id);
    expect(v2.status).toBe(200);
    expect(v2.headers.get('x-report-version')).toBe('2');
    expect(sha256(v2.bytes)).toBe(res.body.report.sha256);
    const text = pdfBytesText(v2.bytes).replace(/\s+/g, '');
    for (const p of proposals) expect(text).toContain(p.title.replace(/\s+/g, ''));

    const v1 = await pdf(qsr.id, '?version=1');
    expect(v1.headers.get('x-report-sha256')).toBe(qsr.report!.sha256);
    expect(pdfBytesText(v1.bytes).replace(/\s+/g, '')).not.toContain(proposals[0]!.title.replace(/\s+/g, ''));
    qsr = res.body;
  });

  it('approve → DELIVERED; the customer contact receives version 2 attached', async () => {
    const byEngineer = await h.call('post', `/api/v1/qsr/${qsr.id}/approve`, { token: h.tokens.engineer, body: {} });
    expect(byEngineer.status).toBe(403);
    const res = await h.call('post', `/api/v1/qsr/${qsr.id}/approve`, { token: h.tokens.spm, body: { comments: '고객 보고 승인' } });
    expect(res.status).toBe(200);
    const delivered = await until(qsr.id, (s) => s.status === 'DELIVERED');
    expect(delivered.review).toMatchObject({ decision: 'approved', by: { id: SUBJECTS.spm, role: 'spm' }, comments: '고객 보고 승인' });

    const received = await mailWithKey(smtp.mails, `${qsr.id}:delivered`);
    expect(received.envelopeTo).toEqual([CUSTOMER]);
    expect(received.parsed.subject).toBe(`[분기 서비스 리뷰 ${QUARTER}] 보고서`);
    const { rows } = await h.pool.query('SELECT pdf FROM reports WHERE id = $1', [`${qsr.id}-R2`]);
    expect(received.parsed.attachments).toHaveLength(1);
    expect(received.parsed.attachments[0]).toMatchObject({ filename: `${qsr.id}-R2.pdf`, contentType: 'application/pdf' });
    expect(received.parsed.attachments[0]!.content.equals(rows[0].pdf)).toBe(true);

    const twice = await h.call('post', `/api/v1/qsr/${qsr.id}/approve`, { token: h.tokens.spm, body: {} });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'DELIVERED' } });
  });

  describe('uploads and imports afterwards', () => {
    const CORRECTED = { date: '2026-09-15', center: C2, offered: 777, answered: 700 };
    let ctiBefore: { updated_at: Date };

    it('a CSV upload replaces what the CTI statistics said for that day', async () => {
      expect(await volumeRow(CORRECTED.date, C2)).toMatchObject({ source: 'cti' });
      const res = await upload(csv([CORRECTED]), h.tokens.admin);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ stored: 1, from: CORRECTED.date, to: CORRECTED.date });
      expect(await volumeRow(CORRECTED.date, C2)).toMatchObject({ offered: 777, answered: 700, source: 'csv', updated_by: SUBJECTS.admin });
      ctiBefore = await volumeRow('2026-08-12', C1);
    });

    it('a second QSR of the quarter imports again: CTI days refreshed, every uploaded day kept', async () => {
      const res = await h.call('post', '/api/v1/qsr', { token: h.tokens.automation, body: { quarter: QUARTER } });
      expect(res.status).toBe(201);
      const second = await until(res.body.id, (s) => s.status !== 'RUNNING');
      expect(second.status).toBe('AWAITING_REVIEW');
      expect(second.notes).toEqual([]);

      const refreshed = await volumeRow('2026-08-12', C1);
      expect(refreshed).toMatchObject({ source: 'cti', updated_by: 'cti-statistics' });
      expect(refreshed.updated_at.getTime()).toBeGreaterThan(ctiBefore.updated_at.getTime());
      expect(await volumeRow(SPIKE.date, C1)).toMatchObject({ offered: SPIKE.offered, source: 'csv', updated_by: SUBJECTS.spm });
      expect(await volumeRow(DROP.date, C2)).toMatchObject({ offered: 0, source: 'csv' });
      expect(await volumeRow(CORRECTED.date, C2)).toMatchObject({ offered: 777, answered: 700, source: 'csv', updated_by: SUBJECTS.admin });
      expect(second.kpis).toEqual(expectedKpis);

      // One review of a quarter at a time.
      const again = await h.call('post', '/api/v1/qsr', { token: h.tokens.spm, body: { quarter: QUARTER } });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('CONFLICT');
      expect(again.body.error.message).toContain(second.id);

      const returned = await h.call('post', `/api/v1/qsr/${second.id}/return`, { token: h.tokens.spm, body: { comments: '9월 통화량 재확인' } });
      expect(returned.status).toBe(200);
      expect((await until(second.id, (s) => s.status === 'RETURNED')).review).toMatchObject({ decision: 'returned', comments: '9월 통화량 재확인' });
    });

    it('validation and unknown ids: a bad quarter → 400 naming quarter; an unknown QSR → 404', async () => {
      const bad = await h.call('post', '/api/v1/qsr', { token: h.tokens.spm, body: { quarter: '2026-Q5' } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details).toEqual([{ path: 'quarter', message: 'expected a quarter as YYYY-Qn' }]);
      const unknown = await h.call('get', '/api/v1/qsr/QSR-999999', { token: h.tokens.auditor });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.details).toEqual({ resource: 'QSR', id: 'QSR-999999' });
    });
  });
});
