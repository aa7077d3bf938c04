import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, data } from '../../api/client';
import { bareColumnId, columnsOf, DataTable } from '../../components/data-table';
import { Pager, TextFilter } from '../../components/filters';
import { offsetOf, useUrlState } from '../../components/use-url-state';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { useCan } from '../../me';
import { formatInstant } from '../../time';
import { StatusBadge } from './parts';
import { LINE_STATUSES, type Line, type LineQuery } from './types';

const PAGE = 50;
const DN = /^[0-9]{2,15}$/;

/** The URL's filters as the API takes them; what it would refuse (a partial DN, a negative offset) is dropped. */
function queryOf(params: URLSearchParams): LineQuery {
  const offset = offsetOf(params);
  const query: LineQuery = { limit: PAGE, offset };
  const center = params.get('center')?.trim().slice(0, 100);
  const status = params.get('status');
  const dn = params.get('dn')?.trim();
  if (center) query.center = center;
  if (status && (LINE_STATUSES as readonly string[]).includes(status)) query.status = status as LineQuery['status'];
  if (dn && DN.test(dn)) query.dn = dn;
  return query;
}

const column = columnsOf<Line>();

/** The line inventory (GET /api/v1/lines) by center, status and DN, filters and page in the URL. */
export function InventoryPage() {
  const { t, locale } = useI18n();
  const can = useCan();
  const { params, get, set, setOffset } = useUrlState();
  const query = queryOf(params);
  const list = useQuery({
    queryKey: ['lines', query],
    queryFn: () => data(api.GET('/api/v1/lines', { params: { query } })),
    placeholderData: keepPreviousData,
    // The event stream refreshes on change (live.ts); this only catches what it missed.
    refetchInterval: 60_000,
  });
  const dn = get('dn');

  const columns = [
    column.accessor('id', { header: t('ln_colId'), cell: (c) => <Link to={`/lines/${c.getValue()}`}>{c.getValue()}</Link> }),
    column.accessor('dn', { header: t('ln_colDn') }),
    column.accessor('displayName', { header: t('ln_colName') }),
    column.accessor('lineType', { header: t('ln_colType'), cell: (c) => t(`ln_type_${c.getValue()}` as MessageKey) }),
    column.accessor('center', { header: t('ln_colCenter') }),
    column.accessor('status', { header: t('ln_colStatus'), cell: (c) => <StatusBadge status={c.getValue()} /> }),
    column.accessor('step', { header: t('ln_colStep') }),
    column.accessor('requestedAt', { header: t('ln_colRequested'), cell: (c) => formatInstant(c.getValue(), locale) }),
  ];

  return (
    <main>
      <div className="page-head">
        <h1>{t('ln_inventory')}</h1>
        {can('postLinesProvisioning') && (
          <Link className="button" to="/lines/new">
            {t('ln_newLine')}
          </Link>
        )}
      </div>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextFilter label={t('ln_colCenter')} value={get('center')} onChange={(v) => set('center', v, { replace: true })} />
        <label>
          {t('ln_colStatus')}
          <select value={get('status')} onChange={(e) => set('status', e.target.value)}>
            <option value="">{t('any')}</option>
            {LINE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`ln_status_${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <TextFilter label={t('ln_filterDn')} type="search" value={dn} onChange={(v) => set('dn', v, { replace: true })} />
        {dn && !DN.test(dn) && <p className="hint">{t('ln_filterDnHint')}</p>}
      </form>
      {list.isError && <p role="alert">{`${t('loadFailed')}: ${list.error.message}`}</p>}
      {list.data && (
        <>
          <p className="meta">{`${t('total')} ${list.data.total}${t('cases')}`}</p>
          {list.data.items.length === 0 ? (
            <p>{t('ln_none')}</p>
          ) : (
            <DataTable className="lines" cellClass={bareColumnId} rows={list.data.items} columns={columns} rowId={(l) => l.id} />
          )}
          <Pager total={list.data.total} offset={query.offset ?? 0} page={PAGE} onOffset={setOffset} />
        </>
      )}
      {list.isPending && <p>{t('loading')}</p>}
    </main>
  );
}
