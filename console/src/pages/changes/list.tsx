import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { api, data } from '../../api/client';
import { columnsOf, DataTable } from '../../components/data-table';
import { Pager, TextFilter } from '../../components/filters';
import { offsetOf, useUrlState } from '../../components/use-url-state';
import { useI18n } from '../../i18n';
import { useCan } from '../../me';
import { ChoiceFilter, EmergencyMark, RetroMark, StatusBadge, useLabels, windowText } from './parts';
import { CHANGE_STATUSES, type ChangeList, type ChangeQuery, type ChangeStatus } from './types';

const PAGE = 50;
type Row = ChangeList['items'][number];

const column = columnsOf<Row>();

/** The URL's filters as the API's query; what the API would refuse (a status it does not know, a negative offset) is dropped. */
function queryOf(params: URLSearchParams): ChangeQuery {
  const offset = offsetOf(params);
  const query: ChangeQuery = { limit: PAGE, offset };
  const status = params.get('status');
  const target = params.get('target')?.trim().slice(0, 100);
  const emergency = params.get('emergency');
  if (status && (CHANGE_STATUSES as readonly string[]).includes(status)) query.status = status as ChangeStatus;
  if (target) query.target = target;
  if (emergency === 'true' || emergency === 'false') query.emergency = emergency;
  return query;
}

/** /changes: change requests, newest first; status, target and emergency filters and the page live in the URL. */
export function ChangeListPage() {
  const { t, lang, locale } = useI18n();
  const labels = useLabels();
  const can = useCan();
  const { params, get, set, setOffset } = useUrlState();
  const query = queryOf(params);
  const list = useQuery({
    queryKey: ['changes', query],
    queryFn: () => data(api.GET('/api/v1/changes', { params: { query } })),
    placeholderData: keepPreviousData,
    // The event stream refreshes on change (live.ts); this only catches what it missed.
    refetchInterval: 60_000,
  });

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('id', { header: t('changeColId'), cell: (c) => <Link to={`/changes/${c.getValue()}`}>{c.getValue()}</Link> }),
        column.accessor((r) => `${labels.type(r.type)} · ${r.target}`, { id: 'what', header: t('changeColWhat') }),
        column.accessor((r) => windowText(r.window, locale), { id: 'window', header: t('changeColWindow') }),
        column.accessor('status', { header: t('changeColStatus'), cell: (c) => <StatusBadge status={c.getValue()} /> }),
        column.accessor('step', { header: t('changeColStep') }),
        column.display({ id: 'emergency', header: t('changeColEmergency'), cell: (c) => <EmergencyMark emergency={c.row.original.emergency} /> }),
        column.display({ id: 'retro', header: t('changeColRetro'), cell: (c) => <RetroMark change={c.row.original} /> }),
      ]),
    // The labels change with the language only.
    [lang],
  );

  return (
    <main>
      <h1>{t('navTitle_changes')}</h1>
      <nav className="change-links" aria-label={t('changeAreaLinks')}>
        <Link to="/changes/calendar">{t('changeCalendar')}</Link>
        {can('postChanges') && <Link to="/changes/new">{t('changeNew')}</Link>}
      </nav>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <ChoiceFilter
          label={t('changeColStatus')}
          value={query.status ?? ''}
          options={CHANGE_STATUSES.map((s) => ({ value: s, label: labels.status(s) }))}
          onChange={(v) => set('status', v)}
          any={t('any')}
        />
        <TextFilter label={t('changeTarget')} value={get('target')} onChange={(v) => set('target', v, { replace: true })} />
        <ChoiceFilter
          label={t('changeColEmergency')}
          value={query.emergency ?? ''}
          options={[
            { value: 'true', label: t('changeEmergencyOnly') },
            { value: 'false', label: t('changeNotEmergency') },
          ]}
          onChange={(v) => set('emergency', v)}
          any={t('any')}
        />
      </form>
      {list.isError && <p role="alert">{`${t('loadFailed')}: ${list.error.message}`}</p>}
      {list.isPending && <p>{t('loading')}</p>}
      {list.data && (
        <>
          <p className="meta">{`${t('total')} ${list.data.total}${t('cases')}`}</p>
          {list.data.items.length === 0 ? (
            <p>{t('changeNone')}</p>
          ) : (
            <DataTable className="changes" rows={list.data.items} columns={columns} rowId={(r) => r.id} />
          )}
          <Pager total={list.data.total} offset={query.offset ?? 0} page={PAGE} onOffset={setOffset} />
        </>
      )}
    </main>
  );
}
