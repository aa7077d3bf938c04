import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { api, data } from '../../api/client';
import { bareColumnId, columnsOf, DataTable } from '../../components/data-table';
import { Field } from '../../components/field';
import { Pager, TextFilter } from '../../components/filters';
import { problemsByField } from '../../components/problems';
import { useUrlState } from '../../components/use-url-state';
import { useI18n } from '../../i18n';
import { useCan } from '../../me';
import { formatInstant } from '../../time';
import { REVIEW_STATUSES, type InspectionQuery, type InspectionRow, type QsrQuery, type QsrRow, type ReviewStatus } from './types';
import { AreaNav, FormAlert, StatusSelect, StatusText } from './parts';

const PAGE = 50;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const QUARTER = /^\d{4}-Q[1-4]$/;
type Tab = 'inspections' | 'qsr';

/** The status filter in the URL, unless the API would refuse it (the URL is typed by people too). */
function statusOf(status: string): ReviewStatus | undefined {
  return (REVIEW_STATUSES as readonly string[]).includes(status) ? (status as ReviewStatus) : undefined;
}

/** /reviews: the monthly inspections and the quarterly service reviews, a tab each; the tab, filters and page live in the URL. */
export function ReviewsHome() {
  const { t } = useI18n();
  const { get } = useUrlState();
  const tab: Tab = get('tab') === 'qsr' ? 'qsr' : 'inspections';
  return (
    <main className="reviews">
      <h1>{t('navTitle_reviews')}</h1>
      <AreaNav />
      <nav className="views" aria-label={t('rv_reviewsTabs')}>
        <Link to="/reviews" aria-current={tab === 'inspections' ? 'page' : undefined}>
          {t('rv_inspections')}
        </Link>
        <Link to="/reviews?tab=qsr" aria-current={tab === 'qsr' ? 'page' : undefined}>
          {t('rv_qsrs')}
        </Link>
      </nav>
      {tab === 'inspections' ? <InspectionsList /> : <QsrList />}
    </main>
  );
}

const inspectionColumns = columnsOf<InspectionRow>();

function InspectionsList() {
  const { t, locale } = useI18n();
  const { get, set, offset, setOffset } = useUrlState();
  const can = useCan();
  const status = statusOf(get('status'));
  const period = get('period');
  const query: InspectionQuery = { limit: PAGE, offset, ...(status ? { status } : {}), ...(MONTH.test(period) ? { period } : {}) };
  const list = useQuery({
    queryKey: ['inspections', query],
    queryFn: () => data(api.GET('/api/v1/inspections', { params: { query } })),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const columns = inspectionColumns.columns([
    inspectionColumns.accessor('id', { header: t('colId'), cell: (c) => <Link to={`/reviews/inspections/${c.getValue()}`}>{c.getValue()}</Link> }),
    inspectionColumns.accessor('period', { header: t('rv_period') }),
    inspectionColumns.accessor((r) => (r.centers.length ? r.centers.join(', ') : t('rv_allCenters')), { id: 'centers', header: t('rv_centers') }),
    inspectionColumns.accessor('status', { header: t('colStatus'), cell: (c) => <StatusText status={c.getValue()} /> }),
    inspectionColumns.accessor((r) => `${r.progress.done}/${r.progress.total}`, { id: 'progress', header: t('rv_progress') }),
    inspectionColumns.accessor('findings', { header: t('rv_findingsCount') }),
    inspectionColumns.accessor((r) => formatInstant(r.startedAt, locale), { id: 'startedAt', header: t('rv_startedAt') }),
  ]);
  return (
    <section aria-labelledby="inspections-title">
      <h2 id="inspections-title">{t('rv_inspections')}</h2>
      {can('postInspections') && <RunInspectionForm />}
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <StatusSelect value={status ?? ''} onChange={(v) => set('status', v)} />
        <TextFilter label={t('rv_periodMonth')} type="month" value={period} onChange={(v) => set('period', v, { replace: true })} />
      </form>
      {list.isError && <p role="alert">{`${t('loadFailed')}: ${list.error.message}`}</p>}
      {list.isPending && <p>{t('loading')}</p>}
      {list.data &&
        (list.data.items.length === 0 ? (
          <p>{t('rv_noInspections')}</p>
        ) : (
          <>
            <p className="meta">{`${t('total')} ${list.data.total}${t('cases')}`}</p>
            <DataTable className="inspections" caption={t('rv_inspections')} cellClass={bareColumnId} rows={list.data.items} columns={columns} />
            <Pager total={list.data.total} offset={offset} page={PAGE} onOffset={setOffset} />
          </>
        ))}
    </section>
  );
}

const qsrColumns = columnsOf<QsrRow>();

function QsrList() {
  const { t, locale } = useI18n();
  const { get, set, offset, setOffset } = useUrlState();
  const can = useCan();
  const status = statusOf(get('status'));
  const quarter = get('quarter');
  const query: QsrQuery = { limit: PAGE, offset, ...(status ? { status } : {}), ...(QUARTER.test(quarter) ? { quarter } : {}) };
  const list = useQuery({
    queryKey: ['qsrs', query],
    queryFn: () => data(api.GET('/api/v1/qsr', { params: { query } })),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const columns = qsrColumns.columns([
    qsrColumns.accessor('id', { header: t('colId'), cell: (c) => <Link to={`/reviews/qsr/${c.getValue()}`}>{c.getValue()}</Link> }),
    qsrColumns.accessor('quarter', { header: t('rv_quarter') }),
    qsrColumns.accessor('status', { header: t('colStatus'), cell: (c) => <StatusText status={c.getValue()} /> }),
    qsrColumns.accessor((r) => r.incidents ?? '—', { id: 'incidents', header: t('rv_kpiIncidents') }),
    qsrColumns.accessor((r) => r.breaches ?? '—', { id: 'breaches', header: t('rv_kpiBreaches') }),
    qsrColumns.accessor('anomalies', { header: t('rv_anomaliesCount') }),
    qsrColumns.accessor('proposals', { header: t('rv_proposalsCount') }),
    qsrColumns.accessor((r) => formatInstant(r.startedAt, locale), { id: 'startedAt', header: t('rv_startedAt') }),
  ]);
  return (
    <section aria-labelledby="qsr-title">
      <h2 id="qsr-title">{t('rv_qsrs')}</h2>
      {can('postQsr') && <PrepareQsrForm />}
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <StatusSelect value={status ?? ''} onChange={(v) => set('status', v)} />
        <TextFilter label={t('rv_quarterFilter')} value={quarter} onChange={(v) => set('quarter', v.toUpperCase(), { replace: true })} />
      </form>
      {list.isError && <p role="alert">{`${t('loadFailed')}: ${list.error.message}`}</p>}
      {list.isPending && <p>{t('loading')}</p>}
      {list.data &&
        (list.data.items.length === 0 ? (
          <p>{t('rv_noQsrs')}</p>
        ) : (
          <>
            <p className="meta">{`${t('total')} ${list.data.total}${t('cases')}`}</p>
            <DataTable className="qsrs" caption={t('rv_qsrs')} cellClass={bareColumnId} rows={list.data.items} columns={columns} />
            <Pager total={list.data.total} offset={offset} page={PAGE} onOffset={setOffset} />
          </>
        ))}
    </section>
  );
}

/** Runs the inspection of a month now (all centers, or those named); the new run's page opens. */
function RunInspectionForm() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [period, setPeriod] = useState('');
  const [centers, setCenters] = useState('');
  const run = useMutation({
    mutationFn: () => {
      const named = centers
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean);
      return data(api.POST('/api/v1/inspections', { body: { period, ...(named.length ? { centers: named } : {}) } }));
    },
    onSuccess: (started) => {
      void queries.invalidateQueries({ queryKey: ['inspections'] });
      void navigate(`/reviews/inspections/${started.id}`);
    },
  });
  const problems = problemsByField(run.error);
  const centersError = [...problems].filter(([path]) => path.startsWith('centers')).map(([, m]) => m)[0];
  return (
    <details className="action-form">
      <summary>{t('rv_runInspection')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate();
        }}
      >
        <FormAlert error={run.error} problems={problems} fields={['period', 'centers']} />
        <Field label={t('rv_periodMonth')} error={problems.get('period')}>
          <input type="month" value={period} onChange={(e) => setPeriod(e.target.value)} />
        </Field>
        <Field label={t('rv_centersOptional')} error={centersError}>
          <input type="text" value={centers} onChange={(e) => setCenters(e.target.value)} />
        </Field>
        <button type="submit" disabled={run.isPending}>
          {t('rv_runInspectionSubmit')}
        </button>
      </form>
    </details>
  );
}

/** Prepares the review of a quarter now; the new run's page opens. */
function PrepareQsrForm() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [quarter, setQuarter] = useState('');
  const prepare = useMutation({
    mutationFn: () => data(api.POST('/api/v1/qsr', { body: { quarter: quarter.trim().toUpperCase() } })),
    onSuccess: (started) => {
      void queries.invalidateQueries({ queryKey: ['qsrs'] });
      void navigate(`/reviews/qsr/${started.id}`);
    },
  });
  const problems = problemsByField(prepare.error);
  return (
    <details className="action-form">
      <summary>{t('rv_prepareQsr')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          prepare.mutate();
        }}
      >
        <FormAlert error={prepare.error} problems={problems} fields={['quarter']} />
        <Field label={t('rv_quarterInput')} error={problems.get('quarter')}>
          <input type="text" value={quarter} placeholder="2026-Q3" onChange={(e) => setQuarter(e.target.value)} />
        </Field>
        <button type="submit" disabled={prepare.isPending}>
          {t('rv_prepareQsrSubmit')}
        </button>
      </form>
    </details>
  );
}
