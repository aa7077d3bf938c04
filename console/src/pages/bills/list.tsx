import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { api, data } from '../../api/client';
import { columnsOf, DataTable } from '../../components/data-table';
import { Pager, Select, TextFilter } from '../../components/filters';
import { offsetOf, useUrlState } from '../../components/use-url-state';
import { useI18n } from '../../i18n';
import { StatusBadge, useKrw, useLabels } from './parts';
import { BILL_STATUSES, type BillList, type BillQuery, type BillStatus } from './types';

const PAGE = 50;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
type Row = BillList['items'][number];

const column = columnsOf<Row>();

/** The URL's filters as the API's query; what the API would refuse (a status it does not know, a month not YYYY-MM) is dropped. */
function queryOf(params: URLSearchParams): BillQuery {
  const query: BillQuery = { limit: PAGE, offset: offsetOf(params) };
  const carrier = params.get('carrier')?.trim().slice(0, 30);
  const month = params.get('month')?.trim();
  const status = params.get('status');
  if (carrier) query.carrier = carrier;
  if (month && MONTH.test(month)) query.month = month;
  if (status && (BILL_STATUSES as readonly string[]).includes(status)) query.status = status as BillStatus;
  return query;
}

/** /bills: the carriers' monthly bills, newest month first; carrier, month and status filters and the page live in the URL. */
export function BillListPage() {
  const { t, lang, locale } = useI18n();
  const labels = useLabels();
  const krw = useKrw();
  const { params, get, set, setOffset } = useUrlState();
  const query = queryOf(params);
  const list = useQuery({
    queryKey: ['bills', query],
    queryFn: () => data(api.GET('/api/v1/bills', { params: { query } })),
    placeholderData: keepPreviousData,
    // The event stream refreshes on change (live.ts); this only catches what it missed.
    refetchInterval: 60_000,
  });

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('id', { header: t('bill_colId'), cell: (c) => <Link to={`/bills/${c.getValue()}`}>{c.getValue()}</Link> }),
        column.accessor('carrier', { header: t('bill_carrier') }),
        column.accessor('month', { header: t('bill_month') }),
        column.accessor('status', { header: t('bill_status'), cell: (c) => <StatusBadge status={c.getValue()} /> }),
        column.accessor('lines', { header: t('bill_lines'), cell: (c) => c.getValue().toLocaleString(locale) }),
        column.accessor('totalKrw', { id: 'total', header: t('bill_total'), cell: (c) => krw(c.getValue()) }),
        column.accessor((r) => r.findings?.count, {
          id: 'findings',
          header: t('bill_findings'),
          cell: (c) => (c.getValue() === undefined ? t('bill_notReconciled') : `${c.getValue()}${t('bill_findingsCount')}`),
        }),
        column.accessor((r) => r.findings?.amountAtStake, {
          id: 'atStake',
          header: t('bill_atStake'),
          cell: (c) => {
            const amount = c.getValue();
            return amount === undefined ? '—' : krw(amount);
          },
        }),
        column.accessor('dueDate', { header: t('bill_dueDate') }),
      ]),
    // The labels change with the language only.
    [lang],
  );

  return (
    <main>
      <h1>{t('navTitle_bills')}</h1>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextFilter label={t('bill_carrier')} value={get('carrier')} onChange={(v) => set('carrier', v, { replace: true })} />
        <TextFilter label={t('bill_month')} type="month" value={get('month')} onChange={(v) => set('month', v, { replace: true })} />
        <Select
          label={t('bill_status')}
          value={query.status ?? ''}
          options={BILL_STATUSES}
          labelOf={(s) => labels.status(s as BillStatus)}
          onChange={(v) => set('status', v)}
          any={t('any')}
        />
      </form>
      {list.isError && <p role="alert">{`${t('loadFailed')}: ${list.error.message}`}</p>}
      {list.isPending && <p>{t('loading')}</p>}
      {list.data && (
        <>
          <p className="meta">{`${t('total')} ${list.data.total}${t('cases')}`}</p>
          {list.data.items.length === 0 ? (
            <p>{t('bill_none')}</p>
          ) : (
            <DataTable className="bills" rows={list.data.items} columns={columns} rowId={(r) => r.id} />
          )}
          <Pager total={list.data.total} offset={query.offset ?? 0} page={PAGE} onOffset={setOffset} />
        </>
      )}
    </main>
  );
}
