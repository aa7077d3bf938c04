import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, data } from '../../api/client';
import { columnsOf, DataTable } from '../../components/data-table';
import { Field } from '../../components/field';
import { Pager, TextFilter } from '../../components/filters';
import { problemsByField } from '../../components/problems';
import { offsetOf, useUrlState } from '../../components/use-url-state';
import { useI18n } from '../../i18n';
import { useCan } from '../../me';
import { formatInstant } from '../../time';
import { FINAL_STATUSES, LoadError, NamedSelect, Sha, useTypeName, WORKFLOW_TYPES } from './parts';
import type { ArchivedWorkflow, WorkflowQuery } from './types';

const PAGE = 50;
const column = columnsOf<ArchivedWorkflow>();

function queryOf(params: URLSearchParams): WorkflowQuery {
  const query: WorkflowQuery = { limit: PAGE, offset: offsetOf(params) };
  const key = params.get('key')?.trim().toUpperCase().slice(0, 100);
  const type = params.get('type');
  const status = params.get('status');
  if (key) query.key = key;
  if (type && (WORKFLOW_TYPES as readonly string[]).includes(type)) query.type = type;
  if (status && (FINAL_STATUSES as readonly string[]).includes(status)) query.status = status as WorkflowQuery['status'];
  return query;
}

/** /audit: the archived (closed) workflows, searchable by business key, type and final status; all in the URL. */
export function WorkflowsPage() {
  const { t, locale } = useI18n();
  const typeName = useTypeName();
  const { params, get, set, setOffset } = useUrlState();
  const query = queryOf(params);
  const list = useQuery({
    queryKey: ['audit-workflows', query],
    queryFn: () => data(api.GET('/api/v1/audit/workflows', { params: { query } })),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('businessKey', { header: t('audit_colKey'), cell: ({ row }) => row.original.businessKey ?? '—' }),
        column.accessor('workflowType', { header: t('audit_colType'), cell: ({ row }) => typeName(row.original.workflowType) }),
        column.accessor('workflowId', {
          header: t('audit_colWorkflowId'),
          cell: ({ row }) => (
            <Link to={`/audit/workflows/${encodeURIComponent(row.original.workflowId)}?sha256=${row.original.sha256}`}>{row.original.workflowId}</Link>
          ),
        }),
        column.accessor('status', { header: t('audit_colStatus') }),
        column.accessor('startedAt', { header: t('audit_colStarted'), cell: ({ row }) => formatInstant(row.original.startedAt, locale) }),
        column.accessor('closedAt', { header: t('audit_colClosed'), cell: ({ row }) => formatInstant(row.original.closedAt, locale) }),
        column.accessor('events', { header: t('audit_colEvents') }),
        column.accessor('sha256', { header: t('audit_colSha'), cell: ({ row }) => <Sha value={row.original.sha256} /> }),
      ]),
    [t, locale, typeName],
  );

  return (
    <main>
      <h1>{t('audit_workflowsTitle')}</h1>
      <p className="hint">{t('audit_workflowsHint')}</p>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextFilter label={t('audit_filterKey')} type="search" value={get('key')} onChange={(v) => set('key', v.toUpperCase(), { replace: true })} />
        <NamedSelect
          label={t('audit_filterType')}
          value={query.type ?? ''}
          options={WORKFLOW_TYPES.map((type) => ({ value: type, name: typeName(type) }))}
          onChange={(v) => set('type', v)}
          any={t('any')}
        />
        <NamedSelect
          label={t('audit_filterStatus')}
          value={query.status ?? ''}
          options={FINAL_STATUSES.map((s) => ({ value: s, name: s }))}
          onChange={(v) => set('status', v)}
          any={t('any')}
        />
      </form>
      {list.isError && <LoadError error={list.error} />}
      {list.isPending && <p>{t('loading')}</p>}
      {list.data && (
        <>
          <p className="meta">{`${t('total')} ${list.data.total}${t('cases')}`}</p>
          {list.data.items.length === 0 ? (
            <p>{t('audit_noWorkflows')}</p>
          ) : (
            <DataTable className="audit-table workflows" label={t('audit_workflowsTitle')} columns={columns} rows={list.data.items} rowId={(r) => r.runId} />
          )}
          <Pager total={list.data.total} offset={query.offset ?? 0} page={PAGE} onOffset={setOffset} />
        </>
      )}
      {useCan()('postAuditWorkflowsByWorkflowIdExport') && <ExportForm />}
    </main>
  );
}

/** Export a running workflow's history by its id; the page of that history opens once it is kept. */
function ExportForm() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [workflowId, setWorkflowId] = useState('');
  const [reason, setReason] = useState('');
  const exported = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/audit/workflows/{workflowId}/export', {
          params: { path: { workflowId: workflowId.trim() } },
          body: reason.trim() ? { reason: reason.trim() } : {},
        }),
      ),
    onSuccess: (e) => void navigate(`/audit/workflows/${encodeURIComponent(e.workflowId)}?sha256=${e.sha256}`),
  });
  const problems = problemsByField(exported.error);
  const idProblem = problems.get('params.workflowId');
  const reasonProblem = problems.get('reason');
  const rest = [...problems].filter(([path]) => path !== 'params.workflowId' && path !== 'reason').map(([, m]) => m);
  return (
    <section aria-labelledby="audit-export-title" className="audit-export">
      <h2 id="audit-export-title">{t('audit_exportTitle')}</h2>
      <p className="hint">{t('audit_exportHint')}</p>
      {exported.isError && (rest.length > 0 || problems.size === 0) && (
        <p role="alert">{rest.length ? rest.join('; ') : `${t('loadFailed')}: ${exported.error.message}`}</p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          exported.mutate();
        }}
      >
        <Field label={t('audit_exportWorkflowId')} error={idProblem}>
          <input name="workflowId" required value={workflowId} onChange={(e) => setWorkflowId(e.target.value)} />
        </Field>
        <Field label={t('audit_exportReason')} error={reasonProblem}>
          <input name="reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <button type="submit" disabled={exported.isPending || !workflowId.trim()}>
          {t('audit_exportSubmit')}
        </button>
      </form>
    </section>
  );
}
