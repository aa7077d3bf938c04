import type { Response } from 'express';
import { z } from 'zod';
import { listAnchors, listAudit, verifyAuditChain } from '../db/audit.repo';
import { AuditAnchor } from '../domain/audit/seal';
import { NotFoundError } from '../domain/errors';
import { listArchived } from '../db/histories.repo';
import type { StoredHistory } from '../domain/audit/archived-history';
import { historyTimeline } from '../domain/audit/timeline';
import { AnchorListView, ArchivedWorkflowPage, AuditLogPage, ChainVerdictView, HistoryExportView, SlaProofView, TimelineView } from '../domain/audit/views';
import { ID_PREFIX, idParams } from '../domain/ids';
import { ReportLocale } from '../domain/report/contracts';
import { incidentWorkflowId } from '../workflows/incident/messages';
import { exportHistory, getStoredHistory, requestAnchor, proveIncidentSla, renderAuditTrailOnce, type AuditServiceDeps } from './audit-service';
import { PDF_SUCCESS, sendReportPdf } from './report-pdf';
import { route, type AnyRoute } from './route';
import { InstantParam } from './instant-param';

const AUDITORS = ['admin', 'auditor'] as const;

const LogQuery = z
  .object({
    from: InstantParam.optional(),
    to: InstantParam.optional(),
    actor: z.string().trim().min(1).max(100).optional(),
    order: z.enum(['asc', 'desc']).default('asc'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  })
  .strict();

const WorkflowsQuery = z
  .object({
    type: z.string().trim().min(1).max(100).optional(),
    status: z.enum(['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT']).optional(),
    key: z.string().trim().min(1).max(100).optional(),
    from: InstantParam.optional(),
    to: InstantParam.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  })
  .strict();

const WorkflowParams = z.object({ workflowId: z.string().regex(/^[A-Za-z0-9._:-]{1,200}$/, 'expected a workflow id like incident-INC-000001') });
const IncidentParams = idParams(ID_PREFIX.incident, 'an incident');
const HistoryQuery = z
  .object({
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'expected a sha256 in lower-case hex')
      .optional(),
  })
  .strict();
const TrailQuery = z.object({ sha256: HistoryQuery.shape.sha256, locale: ReportLocale.default('ko') }).strict();
const AnchorParams = z.object({ no: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }).strict();
const AnchorRequest = z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict();
const ExportRequest = z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict();

/** What a stored history is, for headers and JSON answers (everything but the history itself). */
function provenance(h: StoredHistory) {
  return {
    source: h.source,
    workflowId: h.workflowId,
    runId: h.runId,
    workflowType: h.workflowType,
    status: h.status,
    events: h.events,
    sha256: h.sha256,
    capturedAt: h.capturedAt,
  };
}

function setProvenanceHeaders(res: Response, h: StoredHistory): void {
  res.set({ 'X-History-Sha256': h.sha256, 'X-Run-Id': h.runId, 'X-History-Source': h.source });
}

/** The audit trail, read-only: its entries, a re-walk of the hash chain, and the archived workflow histories. */
export function auditRoutes(deps: AuditServiceDeps): AnyRoute[] {
  /** The stored history asked for, its provenance already in the answer's headers. */
  const answerWith = async (res: Response, workflowId: string, sha256?: string) => {
    const stored = await getStoredHistory(deps, workflowId, sha256);
    setProvenanceHeaders(res, stored);
    return stored;
  };
  return [
    route({
      method: 'get',
      path: '/api/v1/audit/verify',
      summary:
        'Re-walk the hash-chained audit log, checking each entry’s link, its seal (the audit key’s signature, the key not being in the database) and every stored anchor; reports the first entry that differs and why',
      tag: 'audit',
      roles: AUDITORS,
      success: { status: 200, schema: ChainVerdictView },
      handle: (): Promise<z.infer<typeof ChainVerdictView>> => verifyAuditChain(deps.pool, deps.auditSigner.publicKey),
    }),
    route({
      method: 'get',
      path: '/api/v1/audit/anchors',
      summary: 'The signed anchors of the audit chain, oldest first: each the chain’s head signed with the audit key (daily, on demand, and in the reports)',
      tag: 'audit',
      roles: AUDITORS,
      success: { status: 200, schema: AnchorListView },
      handle: async () => ({ items: await listAnchors(deps.pool) }),
    }),
    route({
      method: 'get',
      path: '/api/v1/audit/anchors/:no',
      summary: 'One anchor as the file `npm run audit:verify -- --anchor <file>` takes',
      tag: 'audit',
      roles: AUDITORS,
      params: AnchorParams,
      success: { status: 200, schema: AuditAnchor },
      handle: async ({ params, res }) => {
        const [stored] = await listAnchors(deps.pool, params.no);
        if (!stored) throw new NotFoundError('audit anchor', String(params.no));
        res.set('Content-Disposition', `attachment; filename="butler-audit-anchor-${params.no}.json"`);
        return stored.anchor;
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/audit/anchors',
      summary: 'Sign the audit chain’s head now and mail the anchor to the auditors’ contact list (as the daily anchor is)',
      tag: 'audit',
      roles: AUDITORS,
      body: AnchorRequest,
      success: { status: 201, description: 'the anchor, signed and stored; its mail is on its way', schema: AuditAnchor },
      handle: ({ body, actor }) => requestAnchor(deps, { reason: body.reason ?? 'on demand', requestedBy: actor.id }),
    }),
    route({
      method: 'get',
      path: '/api/v1/audit/log',
      summary: 'Audit entries in order: who, role, what, when, from where, request id, and each entry’s chain hashes',
      tag: 'audit',
      roles: AUDITORS,
      query: LogQuery,
      success: { status: 200, description: 'a page of entries, in chain order or newest first, and how many match', schema: AuditLogPage },
      handle: async ({ query }): Promise<AuditLogPage> => listAudit(deps.pool, query),
    }),
    route({
      method: 'get',
      path: '/api/v1/audit/workflows',
      summary: 'Archived (closed) workflows: type, ids, business key, start/close, final status, history hash',
      tag: 'audit',
      roles: AUDITORS,
      query: WorkflowsQuery,
      success: { status: 200, description: 'a page of archived runs, last closed first, and how many match', schema: ArchivedWorkflowPage },
      handle: async ({ query }): Promise<ArchivedWorkflowPage> => listArchived(deps.pool, query),
    }),
    route({
      method: 'get',
      path: '/api/v1/audit/workflows/:workflowId/history',
      summary:
        'The event history (the JSON the Temporal CLI and UI export; replayable): the archive of the closed run, else the latest on-demand export, or exactly the one with ?sha256=. X-History-Sha256, X-Run-Id and X-History-Source say which',
      tag: 'audit',
      roles: AUDITORS,
      params: WorkflowParams,
      query: HistoryQuery,
      success: {
        status: 200,
        schema: z.object({}).passthrough(),
        description: 'the history JSON, byte for byte as hashed: its SHA-256 is X-History-Sha256',
      },
      handle: async ({ params, query, res }) => {
        const stored = await answerWith(res, params.workflowId, query.sha256);
        res.status(200).type('application/json').send(stored.history);
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/audit/workflows/:workflowId/timeline',
      summary: 'The same history, readable: event, time in Asia/Seoul, actor, summary',
      tag: 'audit',
      roles: AUDITORS,
      params: WorkflowParams,
      query: HistoryQuery,
      success: { status: 200, schema: TimelineView },
      handle: async ({ params, query, res }): Promise<TimelineView> => {
        const stored = await answerWith(res, params.workflowId, query.sha256);
        return { ...provenance(stored), timeline: historyTimeline(JSON.parse(stored.history)) };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/audit/workflows/:workflowId/trail.pdf',
      summary:
        'The audit-trail PDF of the same history (every event with time, actor and summary; for an incident, its SLA recomputed from the history), rendered once per history hash and language',
      tag: 'audit',
      roles: AUDITORS,
      params: WorkflowParams,
      query: TrailQuery,
      success: PDF_SUCCESS,
      handle: async ({ params, query, res }) => {
        const stored = await getStoredHistory(deps, params.workflowId, query.sha256);
        const subject = await renderAuditTrailOnce(deps, { workflowId: params.workflowId, sha256: stored.sha256, locale: query.locale });
        setProvenanceHeaders(res, stored);
        await sendReportPdf(deps.pool, res, subject, 1);
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/audit/workflows/:workflowId/export',
      summary:
        'Capture the history of a workflow as it stands now (a running one, typically) and keep it, hash-chained in the audit log; exporting the same events again returns the same export',
      tag: 'audit',
      roles: AUDITORS,
      params: WorkflowParams,
      body: ExportRequest,
      success: { status: 201, description: 'the export (or the earlier one of the same events, created false)', schema: HistoryExportView },
      handle: async ({ params, body, actor, req, res }): Promise<HistoryExportView> => {
        const exported = await exportHistory(deps, params.workflowId, {
          actor,
          reason: body.reason,
          requestId: String(res.get('X-Request-Id') ?? '') || null,
          remote: req.ip ?? null,
        });
        res.set({ 'X-History-Sha256': exported.sha256, 'X-Run-Id': exported.runId });
        return exported;
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/audit/incidents/:id/sla',
      summary:
        'The incident’s SLA result recomputed from its archived (or exported) history alone — policy snapshot, calendar version, clock events and counted intervals with their history event ids — and whether it matches what the workflow recorded',
      tag: 'audit',
      roles: AUDITORS,
      params: IncidentParams,
      query: HistoryQuery,
      success: { status: 200, schema: SlaProofView },
      handle: async ({ params, query, res }): Promise<SlaProofView> => {
        const stored = await answerWith(res, incidentWorkflowId(params.id), query.sha256);
        return { history: provenance(stored), ...(await proveIncidentSla(deps, stored)) };
      },
    }),
  ];
}
