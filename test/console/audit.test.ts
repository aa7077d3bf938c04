/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { testAuditSigner } from '../../runtime/embedded-worker';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { Page } from 'puppeteer-core';
import { createHistoryArchiver } from '../../runtime/history-archiver';
import { incidentBody, SUBJECTS, useHarness } from '../api/harness';
import { eventually } from '../support/eventually';
import { accessibilityViolations, pdfPagesDrawn, text, useBrowser } from './browser';

/**
 * The audit area of the console (감사), in a real browser against the real stack: an auditor finds a
 * closed incident's archived workflow by its INC- key, reads its timeline in Asia/Seoul, downloads
 * the exact history and checks its SHA-256, reads the SLA proof and the audit-trail PDF, exports a
 * running workflow, reads the audit log, and verifies the chain — intact, then broken at the entry
 * this test alters behind the API's back.
 */

const h = useHarness();
const browser = useBrowser(h);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let closed = '';
let running = '';
let archivedSha = '';

beforeAll(async () => {
  const open = async (title: string) =>
    (await h.call('post', '/api/v1/incidents', { token: h.tokens.spm, body: incidentBody({ title, severity: 'P2', complexity: 'simple' }) })).body.id as string;
  closed = await open('녹취 서버 응답 없음');
  running = await open('상담 2센터 IVR 안내 멘트 오류');
  for (const [action, body] of [
    ['assign', { assignee: 'eng-park' }],
    ['start', {}],
    ['resolve', { resolution: '녹취 서버 재기동' }],
  ] as const) {
    expect((await h.call('post', `/api/v1/incidents/${closed}/${action}`, { token: h.tokens.engineer, body })).status).toBe(200);
  }
  expect((await h.call('post', `/api/v1/incidents/${closed}/close`, { token: h.tokens.spm, body: {} })).status).toBe(200);
  await h.client.workflow.getHandle(`incident-${closed}`).result();
  // The archiver copies the closed run's history into PostgreSQL (in production, on a timer).
  const archiver = createHistoryArchiver({ pool: h.pool, client: h.client, auditSigner: testAuditSigner() });
  const archive = async () => {
    await archiver.runOnce();
    const { rows } = await h.pool.query<{ sha256: string }>(`SELECT sha256 FROM workflow_histories WHERE workflow_id = $1`, [`incident-${closed}`]);
    return rows[0]?.sha256 ?? '';
  };
  archivedSha = await eventually(archive, (sha) => sha !== '', 30_000);
  expect(archivedSha).toMatch(/^[0-9a-f]{64}$/);
});

/** Signed in as the auditor, in a browser whose own zone is New York: every time shown must still be Seoul's. */
async function auditor(at: string): Promise<Page> {
  const page = await browser.signedIn('auditor', at);
  await page.emulateTimezone('America/New_York');
  return page;
}

/** An instant's clock time in Seoul (UTC+9, no daylight saving), as HH:MM:SS. */
const seoulClock = (iso: string) => new Date(Date.parse(iso) + 9 * 3_600_000).toISOString().slice(11, 19);

test('an auditor finds the closed incident by its INC- key, reads its timeline in Asia/Seoul and downloads the exact history with its SHA-256', async () => {
  const page = await auditor('/audit');
  await page.waitForSelector('main h1');
  expect(await text(page, 'main h1')).toBe('보관된 워크플로 이력');
  expect(await page.$$eval('header nav a', (links) => links.map((a) => a.textContent))).toContain('감사');

  await page.type('form.filters input[type=search]', closed.toLowerCase());
  await page.waitForFunction((key) => new URL(location.href).searchParams.get('key') === key, {}, closed);
  const workflowId = `incident-${closed}`;
  await page.waitForFunction(
    (id) => [...document.querySelectorAll('table.workflows tbody tr')].map((tr) => tr.querySelector('a')?.textContent).join() === id,
    {},
    workflowId,
  );
  expect(await text(page, 'table.workflows tbody tr td.col-businessKey')).toBe(closed);
  expect(await text(page, 'table.workflows tbody tr td.col-workflowType')).toBe('장애');
  expect(await accessibilityViolations(page)).toEqual([]);
  // The search lives in the URL: a reload keeps it.
  await page.reload();
  await page.waitForFunction((id) => document.querySelector('table.workflows tbody tr a')?.textContent === id, {}, workflowId);
  expect(await page.$eval('form.filters input[type=search]', (i) => (i as HTMLInputElement).value)).toBe(closed);

  await Promise.all([page.waitForSelector('table.timeline tbody tr'), page.click('table.workflows tbody tr a')]);
  expect(new URL(page.url()).pathname).toBe(`/audit/workflows/${workflowId}`);
  expect(await text(page, 'main h1')).toBe(workflowId);

  // The timeline is the API's, each time in Seoul whatever the browser's zone.
  const api = await h.call('get', `/api/v1/audit/workflows/${workflowId}/timeline`, { token: h.tokens.auditor });
  expect(api.body.sha256).toBe(archivedSha);
  const rows = await page.$$eval('table.timeline tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  expect(rows).toHaveLength(api.body.timeline.length);
  api.body.timeline.forEach((line: { eventId: number; at: string; event: string }, n: number) => {
    expect(rows[n]![0]).toBe(String(line.eventId));
    expect(rows[n]![1]).toContain(seoulClock(line.at));
    expect(rows[n]![2]).toBe(line.event);
  });
  expect(rows.map((r) => r[4])).toEqual(expect.arrayContaining(['update "close" accepted']));
  expect(rows.find((r) => r[4] === 'update "assign" accepted')?.[3]).toBe(`${SUBJECTS.engineer} (engineer)`);
  expect(await accessibilityViolations(page)).toEqual([]);

  // The exact history: the hash the API names and the one this browser computes over the bytes it saves.
  const downloads = await mkdtemp(path.join(tmpdir(), 'butler-audit-'));
  const cdp = await page.browser().target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', {
    behavior: 'allow',
    downloadPath: downloads,
    browserContextId: page.browserContext().id,
    eventsEnabled: true,
  });
  const downloaded = new Promise<string>((resolve, reject) =>
    cdp.on('Browser.downloadProgress', (e) =>
      e.state === 'completed' ? resolve(e.filePath ?? '') : e.state === 'canceled' ? reject(new Error('download canceled')) : undefined,
    ),
  );
  await page.click('.history-download button');
  await page.waitForSelector('.history-hashes .sha-computed code');
  const bytes = Buffer.from(
    await (
      await fetch(`${h.baseUrl}/api/v1/audit/workflows/${workflowId}/history`, { headers: { authorization: `Bearer ${h.tokens.auditor}` } })
    ).arrayBuffer(),
  );
  expect(sha256(bytes)).toBe(archivedSha);
  expect(await text(page, '.history-hashes .sha-api')).toBe(archivedSha);
  expect(await text(page, '.history-hashes .sha-computed')).toBe(archivedSha);
  expect(await text(page, '.history-hashes .verdict')).toContain('일치');
  // The file the browser saved is those bytes, under the workflow's name and the start of its hash.
  const file = await downloaded;
  expect(path.basename(file)).toBe(`${workflowId}.${archivedSha.slice(0, 12)}.history.json`);
  expect((await readFile(file)).equals(bytes)).toBe(true);
  await cdp.detach();
  await rm(downloads, { recursive: true, force: true });
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.browserContext().close();
});

test('the SLA proof of the incident: recomputed from the archived history, matching the record, with how it was computed', async () => {
  const page = await auditor(`/audit/workflows/incident-${closed}`);
  await page.waitForSelector('a.sla-proof-link');
  await Promise.all([page.waitForSelector('.sla-verdict'), page.click('a.sla-proof-link')]);
  expect(new URL(page.url()).pathname).toBe(`/audit/incidents/${closed}/sla`);
  expect(await text(page, 'main h1')).toBe(`${closed} SLA 증명`);
  expect(await text(page, '.sla-verdict h2')).toContain('이력에서 재계산한 SLA 결과가 워크플로 기록과 일치합니다');
  const proof = (await h.call('get', `/api/v1/audit/incidents/${closed}/sla`, { token: h.tokens.auditor })).body;
  expect(proof.matches).toBe(true);
  const events = await page.$$eval('table.clock-events tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
  expect(events).toEqual(['opened', 'assigned', 'started', 'resolved', 'closed']);
  expect(await page.$$eval('table.clock-events tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent ?? ''))).toEqual(
    proof.clockEvents.map((e: { at: string }) => expect.stringContaining(seoulClock(e.at))),
  );
  expect(await page.$$eval('table.sla-recomputed tbody th', (ths) => ths.map((th) => th.textContent))).toEqual(['응답', '복구']);
  expect(await page.$$eval('ol.explanation li', (lis) => lis.length)).toBe(proof.explanation.length);
  expect(await text(page, 'main')).toContain(archivedSha);
  expect(await accessibilityViolations(page)).toEqual([]);

  // Back on the workflow page, the audit-trail PDF inline, with its hash.
  await Promise.all([page.waitForSelector('table.timeline'), page.goBack()]);
  await page.click('::-p-text(감사 추적 PDF 보기)');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('pdf') === '1');
  expect(await pdfPagesDrawn(page, 120_000)).toBeGreaterThan(0);
  expect(await text(page, '.pdf-view .meta code.sha')).toMatch(/^[0-9a-f]{64}$/);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.browserContext().close();
});

test('an auditor exports a running incident’s history from the console; the server keeps it and logs who and why', async () => {
  const page = await auditor('/audit');
  await page.waitForSelector('.audit-export input[name=workflowId]');
  await page.type('.audit-export input[name=workflowId]', `incident-${running}`);
  await page.type('.audit-export input[name=reason]', '분기 감사 표본');
  await Promise.all([page.waitForSelector('table.timeline tbody tr'), page.click('.audit-export button[type=submit]')]);
  expect(new URL(page.url()).pathname).toBe(`/audit/workflows/incident-${running}`);
  const sha = new URL(page.url()).searchParams.get('sha256');
  const { rows } = await h.pool.query(`SELECT sha256, exported_by, reason FROM workflow_history_exports WHERE workflow_id = $1`, [`incident-${running}`]);
  expect(rows).toEqual([{ sha256: sha, exported_by: SUBJECTS.auditor, reason: '분기 감사 표본' }]);
  expect(await text(page, 'main dl.facts')).toContain('내보낸 이력');
  expect(await accessibilityViolations(page)).toEqual([]);

  // An unknown workflow is refused, said in words above the form.
  await page.goto(`${h.baseUrl}/audit`);
  await page.waitForSelector('.audit-export input[name=workflowId]');
  await page.type('.audit-export input[name=workflowId]', 'incident-INC-424242');
  await page.click('.audit-export button[type=submit]');
  await page.waitForSelector('.audit-export [role=alert]');
  expect(await text(page, '.audit-export [role=alert]')).toContain('incident-INC-424242');
  await page.browserContext().close();
});

test('the audit log lists the entries, filtered by actor and newest first, all in the URL', async () => {
  const all = (await h.call('get', '/api/v1/audit/log?limit=1000', { token: h.tokens.auditor })).body;
  // That read is evidence read by an auditor: one entry more by the time the page asks.
  const total = all.total + 1;
  const page = await auditor('/audit/log');
  await page.waitForSelector('table.audit-log tbody tr');
  expect(await page.$$eval('table.audit-log tbody tr', (trs) => trs.length)).toBe(Math.min(50, total));
  expect(await text(page, 'main p.meta')).toContain(String(total));
  expect(await page.$$eval('table.audit-log tbody td.col-action', (tds) => tds.map((td) => td.textContent))).toEqual(
    expect.arrayContaining(['POST /api/v1/incidents', 'archive-history']),
  );
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.type('form.filters input[type=text]', SUBJECTS.spm);
  await page.waitForFunction((who) => new URL(location.href).searchParams.get('actor') === who, {}, SUBJECTS.spm);
  const spm = all.items.filter((e: { actor: string }) => e.actor === SUBJECTS.spm).map((e: { seq: number }) => String(e.seq));
  await page.waitForFunction(
    (seqs) => [...document.querySelectorAll('table.audit-log tbody td.col-seq')].map((td) => td.textContent).join() === seqs,
    {},
    spm.join(),
  );
  await page.select('form.filters select', 'desc');
  await page.waitForFunction(
    (seqs) => [...document.querySelectorAll('table.audit-log tbody td.col-seq')].map((td) => td.textContent).join() === seqs,
    {},
    [...spm].reverse().join(),
  );
  await page.reload();
  await page.waitForSelector('table.audit-log tbody tr');
  expect(new URL(page.url()).searchParams.get('order')).toBe('desc');
  expect(await page.$$eval('table.audit-log tbody td.col-seq', (tds) => tds.map((td) => td.textContent))).toEqual([...spm].reverse());
  await page.browserContext().close();
});

test('an auditor sees no action buttons outside the audit tools; the server refuses a forged one', async () => {
  const page = await auditor('/');
  await page.waitForSelector('table.queue tbody tr, main p');
  expect(await page.$$('table.queue tbody button, table.queue input[type=checkbox]')).toHaveLength(0);
  await page.goto(`${h.baseUrl}/incidents/${running}`);
  await page.waitForSelector('table.timeline');
  expect(await page.$$eval('main button, main form', (els) => els.map((el) => el.outerHTML.slice(0, 80)))).toEqual([]);
  const forged = await page.evaluate(
    async (id, token) =>
      (
        await fetch(`/api/v1/incidents/${id}/resolve`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ resolution: '위조' }),
        })
      ).status,
    running,
    h.tokens.auditor,
  );
  expect(forged).toBe(403);
  await page.browserContext().close();
});

test('the chain verifies intact with its count; after one row is altered behind the API’s back, the page names the first broken link', async () => {
  const page = await auditor('/audit/verify');
  await page.waitForSelector('.chain-verdict');
  const intact = (await h.call('get', '/api/v1/audit/verify', { token: h.tokens.auditor })).body;
  expect(intact.ok).toBe(true);
  expect(await text(page, '.chain-verdict h2')).toContain('무결함');
  expect(Number(await text(page, '.chain-verdict dd.checked'))).toBeGreaterThanOrEqual(3);
  // The page's own read of the verdict is in the chain now (an auditor's read of evidence), so the head moved on since it showed it.
  expect(await text(page, '.chain-verdict')).toMatch(/[0-9a-f]{12}/);
  expect(intact.checked).toBeGreaterThan(Number(await text(page, '.chain-verdict dd.checked')));
  expect(await accessibilityViolations(page)).toEqual([]);

  // A superuser with triggers off for the session: what a tamperer with database access could do.
  const tamper = new Client({ connectionString: h.ownerDatabaseUrl });
  await tamper.connect();
  try {
    await tamper.query(`SET session_replication_role = replica`);
    await tamper.query(`UPDATE audit_log SET actor = 'nobody' WHERE seq = 2`);
  } finally {
    await tamper.end();
  }
  await page.click('main > button');
  await page.waitForSelector('.chain-verdict.broken');
  expect(await text(page, '.chain-verdict h2')).toContain('끊긴 연결 발견');
  expect(await text(page, '.chain-verdict dd.broken-at')).toBe('#2');
  expect(await text(page, '.chain-verdict dd.broken-cause')).toBe('기록된 뒤 내용이 바뀌었습니다 (해시 불일치)');
  expect((await h.call('get', '/api/v1/audit/verify', { token: h.tokens.auditor })).body).toMatchObject({
    ok: false,
    brokenAt: 2,
    cause: 'changed',
    checked: 1,
  });
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.browserContext().close();
});
