import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, data } from '../../api/client';
import { columnsOf, DataTable } from '../../components/data-table';
import { Pager, TextFilter } from '../../components/filters';
import { offsetOf, useUrlState } from '../../components/use-url-state';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { addDays, startOfSeoulDay } from '../../seoul';
import { formatInstant } from '../../time';
import { LoadError, NamedSelect, Sha } from './parts';
import type { LogEntry, LogQuery } from './types';

const PAGE = 50;
const column = columnsOf<LogEntry>();
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The first instant of a Seoul day, as the API takes it (UTC). */
const seoulMidnight = (day: string) => new Date(startOfSeoulDay(day)).toISOString();

function queryOf(params: URLSearchParams): LogQuery {
  const query: LogQuery = { limit: PAGE, offset: offsetOf(params) };
  const actor = params.get('actor')?.trim().slice(0, 100);
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  if (actor) query.actor = actor;
  // Whole days in Seoul: from the first one's midnight up to (not including) the midnight after the last.
  if (DATE.test(from) && !Number.isNaN(Date.parse(from))) query.from = seoulMidnight(from);
  if (DATE.test(to) && !Number.isNaN(Date.parse(to))) query.to = seoulMidnight(addDays(to, 1));
  if (params.get('order') === 'desc') query.order = 'desc';
  return query;
}

/** What an entry's details say, as `key: value` pairs. */
function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

/** /audit/log — the audit log, a page at a time, filtered by actor and Seoul days, in chain order or newest first; all in the URL. */
export function AuditLogPage() {
  const { t, locale } = useI18n();
  const { params, get, set, setOffset } = useUrlState();
  const query = queryOf(params);
  const list = useQuery({
    queryKey: ['audit-log', query],
    queryFn: () => data(api.GET('/api/v1/audit/log', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('seq', { header: t('audit_colSeq') }),
        column.accessor('at', { header: t('audit_colAt'), cell: ({ row }) => formatInstant(row.original.at, locale) }),
        column.accessor('actor', { header: t('audit_colActor') }),
        column.accessor('actorRole', {
          header: t('audit_colRole'),
          cell: ({ row }) => {
            const role = row.original.actorRole;
            return ['admin', 'spm', 'engineer', 'auditor', 'automation'].includes(role) ? t(`role_${role}` as MessageKey) : role;
          },
        }),
        column.accessor('action', { header: t('audit_colAction'), cell: ({ row }) => <code>{row.original.action}</code> }),
        column.accessor('subject', { header: t('audit_colSubject'), cell: ({ row }) => row.original.subject ?? '—' }),
        column.accessor('requestId', { header: t('audit_colRequest'), cell: ({ row }) => row.original.requestId ?? '—' }),
        column.accessor('remote', { header: t('audit_colRemote'), cell: ({ row }) => row.original.remote ?? '—' }),
        column.accessor('details', { header: t('audit_colDetails'), cell: ({ row }) => <span className="details">{detailsText(row.original.details)}</span> }),
        column.accessor('hash', { header: t('audit_colHash'), cell: ({ row }) => <Sha value={row.original.hash} /> }),
      ]),
    [t, locale],
  );
  return (
    <main>
      <h1>{t('audit_logTitle')}</h1>
      <p className="hint">{t('audit_logHint')}</p>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextFilter label={t('audit_filterActor')} value={get('actor')} onChange={(v) => set('actor', v, { replace: true })} />
        <label>
          {t('audit_filterFrom')}
          <input type="date" value={get('from')} onChange={(e) => set('from', e.target.value)} />
        </label>
        <label>
          {t('audit_filterTo')}
          <input type="date" value={get('to')} onChange={(e) => set('to', e.target.value)} />
        </label>
        <NamedSelect
          label={t('audit_filterOrder')}
          value={query.order === 'desc' ? 'desc' : ''}
          options={[
            { value: '', name: t('audit_order_asc') },
            { value: 'desc', name: t('audit_order_desc') },
          ]}
          onChange={(v) => set('order', v)}
        />
      </form>
      {list.isError && <LoadError error={list.error} />}
      {list.isPending && <p>{t('loading')}</p>}
      {list.data && (
        <>
          <p className="meta">{`${t('total')} ${list.data.total}${t('cases')}`}</p>
          {list.data.items.length === 0 ? (
            <p>{t('audit_noEntries')}</p>
          ) : (
            <DataTable className="audit-table audit-log" label={t('audit_logTitle')} columns={columns} rows={list.data.items} rowId={(e) => String(e.seq)} />
          )}
          <Pager total={list.data.total} offset={query.offset ?? 0} page={PAGE} onOffset={setOffset} />
        </>
      )}
    </main>
  );
}
