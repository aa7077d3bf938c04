import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, data } from '../../api/client';
import { columnsOf, DataTable } from '../../components/data-table';
import { Field } from '../../components/field';
import { PdfView } from '../../components/pdf-view';
import { problemsByField } from '../../components/problems';
import { useUrlState } from '../../components/use-url-state';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { useCan } from '../../me';
import { formatInstant } from '../../time';
import { incidentOf, LoadError, Sha, useTypeName } from './parts';
import type { Timeline } from './types';

type Line = Timeline['timeline'][number];
const column = columnsOf<Line>();

/**
 * /audit/workflows/:workflowId — one workflow's stored history (?sha256= names exactly which): its
 * timeline in Asia/Seoul, the exact history to download with its SHA-256 checked in the browser,
 * the audit-trail PDF, and for an incident the link to its SLA proof.
 */
export function WorkflowPage() {
  const { workflowId = '' } = useParams();
  const { params, get, set } = useUrlState();
  const sha256 = params.get('sha256') ?? undefined;
  const { t, locale } = useI18n();
  const typeName = useTypeName();
  const timeline = useQuery({
    queryKey: ['audit-timeline', workflowId, sha256 ?? null],
    queryFn: () => data(api.GET('/api/v1/audit/workflows/{workflowId}/timeline', { params: { path: { workflowId }, query: sha256 ? { sha256 } : {} } })),
    // A stored history never changes; the latest one of a workflow may (a new export).
    staleTime: sha256 ? Infinity : 0,
  });
  const incident = incidentOf(workflowId);
  const canExport = useCan()('postAuditWorkflowsByWorkflowIdExport');

  return (
    <main>
      <p>
        <Link to="/audit">{`← ${t('audit_back')}`}</Link>
      </p>
      <h1>{workflowId}</h1>
      {timeline.isPending && <p>{t('loading')}</p>}
      {timeline.isError && (
        <>
          <LoadError error={timeline.error} notFound={<p role="status">{t('audit_noHistory')}</p>} />
          {canExport && <ExportNow workflowId={workflowId} />}
        </>
      )}
      {timeline.data && (
        <>
          <dl className="facts">
            <dt>{t('audit_colType')}</dt>
            <dd>{typeName(timeline.data.workflowType)}</dd>
            <dt>{t('audit_colStatus')}</dt>
            <dd>{timeline.data.status}</dd>
            <dt>{t('audit_source')}</dt>
            <dd>{t(`audit_source_${timeline.data.source}` as MessageKey)}</dd>
            <dt>{t('audit_runId')}</dt>
            <dd>
              <code>{timeline.data.runId}</code>
            </dd>
            <dt>{t('audit_capturedAt')}</dt>
            <dd>{formatInstant(timeline.data.capturedAt, locale)}</dd>
            <dt>{t('audit_events')}</dt>
            <dd>{timeline.data.events}</dd>
            <dt>{t('audit_apiSha')}</dt>
            <dd>
              <Sha value={timeline.data.sha256} full />
            </dd>
          </dl>
          {incident && (
            <p>
              <Link className="sla-proof-link" to={`/audit/incidents/${incident}/sla?sha256=${timeline.data.sha256}`}>
                {`${t('audit_slaProofLink')} (${incident}) →`}
              </Link>
            </p>
          )}
          <HistoryDownload workflowId={workflowId} sha256={timeline.data.sha256} />
          {timeline.data.source === 'export' && canExport && <ExportNow workflowId={workflowId} />}
          <TimelineTable lines={timeline.data.timeline} />
          <section aria-labelledby="audit-trail-title">
            <h2 id="audit-trail-title">{t('audit_trailTitle')}</h2>
            {get('pdf') === '1' ? (
              <PdfView
                url={`/api/v1/audit/workflows/${encodeURIComponent(workflowId)}/trail.pdf?sha256=${timeline.data.sha256}&locale=${locale.startsWith('ko') ? 'ko' : 'en'}`}
                title={`${t('audit_trailPdf')} ${workflowId}`}
              />
            ) : (
              <button type="button" onClick={() => set('pdf', '1', { replace: true })}>
                {t('audit_trailShow')}
              </button>
            )}
          </section>
        </>
      )}
    </main>
  );
}

function TimelineTable({ lines }: { lines: Line[] }) {
  const { t, locale } = useI18n();
  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('eventId', { header: t('audit_colEventId') }),
        column.accessor('at', {
          header: t('audit_colAt'),
          cell: ({ row }) => <time dateTime={row.original.at}>{formatInstant(row.original.at, locale)}</time>,
        }),
        column.accessor('event', { header: t('audit_colEvent'), cell: ({ row }) => <code>{row.original.event}</code> }),
        column.accessor('actor', { header: t('audit_colActor'), cell: ({ row }) => row.original.actor ?? '—' }),
        column.accessor('summary', { header: t('audit_colSummary') }),
      ]),
    [t, locale],
  );
  return (
    <section aria-labelledby="audit-timeline-title">
      <h2 id="audit-timeline-title">{t('audit_timelineTitle')}</h2>
      <DataTable className="audit-table timeline" label={t('audit_timelineTitle')} columns={columns} rows={lines} rowId={(l) => String(l.eventId)} />
    </section>
  );
}

/** The SHA-256 of bytes, in lower-case hex, where the browser can compute it (a secure context). */
async function sha256Hex(bytes: ArrayBuffer): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

interface Downloaded {
  href: string;
  file: string;
  bytes: number;
  fromApi: string | null;
  computed: string | null;
}

/**
 * The exact history as a file: fetched with the token (a link cannot send one), its SHA-256 as the
 * API names it and as this browser computes it over the very bytes saved, side by side.
 */
function HistoryDownload({ workflowId, sha256 }: { workflowId: string; sha256: string }) {
  const { t } = useI18n();
  const [got, setGot] = useState<Downloaded | null>(null);
  const save = useRef<HTMLAnchorElement>(null);
  const download = useMutation({
    mutationFn: async (): Promise<Downloaded> => {
      const {
        data: body,
        error,
        response,
      } = await api.GET('/api/v1/audit/workflows/{workflowId}/history', {
        params: { path: { workflowId }, query: { sha256 } },
        parseAs: 'arrayBuffer',
      });
      if (error !== undefined || !body) {
        const message = (error as { error?: { message?: string } } | undefined)?.error?.message;
        throw new Error(message ?? `${response.status} ${response.statusText}`);
      }
      return {
        href: URL.createObjectURL(new Blob([body], { type: 'application/json' })),
        file: `${workflowId}.${sha256.slice(0, 12)}.history.json`,
        bytes: body.byteLength,
        fromApi: response.headers.get('X-History-Sha256'),
        computed: await sha256Hex(body),
      };
    },
    onSuccess: setGot,
  });
  // Saved as soon as it arrives; the link stays for saving again.
  useEffect(() => {
    if (got) save.current?.click();
  }, [got]);
  useEffect(() => () => (got ? URL.revokeObjectURL(got.href) : undefined), [got]);

  const verdict = got?.fromApi && got.computed ? got.fromApi === got.computed : null;
  return (
    <section aria-labelledby="audit-download-title" className="history-download">
      <h2 id="audit-download-title">{t('audit_downloadTitle')}</h2>
      <p className="hint">{t('audit_downloadHint')}</p>
      <button type="button" disabled={download.isPending} onClick={() => download.mutate()}>
        {download.isPending ? t('audit_downloading') : t('audit_download')}
      </button>
      {download.isError && <p role="alert">{`${t('loadFailed')}: ${download.error.message}`}</p>}
      {got && (
        <div role="status" className="history-hashes">
          <dl className="facts">
            <dt>{t('audit_shaFromApi')}</dt>
            <dd className="sha-api">{got.fromApi ? <Sha value={got.fromApi} full /> : '—'}</dd>
            <dt>{t('audit_shaComputed')}</dt>
            <dd className="sha-computed">{got.computed ? <Sha value={got.computed} full /> : t('audit_shaNotComputed')}</dd>
          </dl>
          {verdict !== null && (
            <p className={verdict ? 'verdict ok' : 'verdict broken'}>{verdict ? `✔ ${t('audit_shaMatch')}` : `✘ ${t('audit_shaMismatch')}`}</p>
          )}
          <p className="meta">
            {`${got.bytes.toLocaleString()} ${t('audit_bytes')} · `}
            <a ref={save} href={got.href} download={got.file}>
              {`${t('audit_saveFile')}: ${got.file}`}
            </a>
          </p>
        </div>
      )}
    </section>
  );
}

/** Captures the workflow's history as it stands now (a running one); the page then shows that export. */
function ExportNow({ workflowId }: { workflowId: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [reason, setReason] = useState('');
  const exported = useMutation({
    mutationFn: () =>
      data(api.POST('/api/v1/audit/workflows/{workflowId}/export', { params: { path: { workflowId } }, body: reason.trim() ? { reason: reason.trim() } : {} })),
    onSuccess: (e) => {
      void queries.invalidateQueries({ queryKey: ['audit-timeline', workflowId] });
      void navigate(`/audit/workflows/${encodeURIComponent(workflowId)}?sha256=${e.sha256}`);
    },
  });
  const problems = problemsByField(exported.error);
  const reasonProblem = problems.get('reason');
  return (
    <section aria-labelledby="audit-export-now-title" className="audit-export">
      <h2 id="audit-export-now-title">{t('audit_exportTitle')}</h2>
      <p className="hint">{t('audit_exportHint')}</p>
      {exported.isError && !reasonProblem && <p role="alert">{`${t('loadFailed')}: ${exported.error.message}`}</p>}
      {exported.data && <p role="status">{exported.data.created ? t('audit_exportDone') : t('audit_exportAgain')}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          exported.mutate();
        }}
      >
        <Field label={t('audit_exportReason')} error={reasonProblem}>
          <input name="reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <button type="submit" disabled={exported.isPending}>
          {t('audit_exportSubmit')}
        </button>
      </form>
    </section>
  );
}
