import { lazy, Suspense } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, data } from '../../api/client';
import { TextFilter } from '../../components/filters';
import { useUrlState } from '../../components/use-url-state';
import { useI18n } from '../../i18n';
import { seoulQuarter } from '../../seoul';
import { formatInstant } from '../../time';
import { formatShare, IndicatorTable, percent, useShares } from './indicators';
import { AreaNav } from './parts';
import type { Kpis } from './types';

// echarts (its core, the bar chart, the SVG renderer) is loaded with this page only, not with the console or the area.
const KpiChart = lazy(() => import('./kpi-chart'));

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SEVERITIES = ['P1', 'P2', 'P3', 'P4'] as const;

/** /reviews/kpis?from&to: the SLA indicators of the incidents opened in a period, as charts and as the same numbers in tables. */
export function KpisPage() {
  const { t, locale } = useI18n();
  const { get, set } = useUrlState();
  const fallback = seoulQuarter(Date.now());
  const from = get('from', fallback.from);
  const to = get('to', fallback.to);
  const valid = DATE.test(from) && DATE.test(to) && to > from;
  const kpis = useQuery({
    queryKey: ['kpis', from, to],
    queryFn: () => data(api.GET('/api/v1/kpis', { params: { query: { from, to } } })),
    enabled: valid,
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  return (
    <main className="reviews">
      <h1>{t('rv_kpis')}</h1>
      <AreaNav />
      <form className="filters" aria-label={t('rv_kpiPeriod')} onSubmit={(e) => e.preventDefault()}>
        <TextFilter label={t('rv_kpiFrom')} type="date" value={from} onChange={(v) => set('from', v, { replace: true })} />
        <TextFilter label={t('rv_kpiTo')} type="date" value={to} onChange={(v) => set('to', v, { replace: true })} />
      </form>
      {!valid && <p role="alert">{t('rv_kpiBadPeriod')}</p>}
      {kpis.isError && <p role="alert">{`${t('loadFailed')}: ${kpis.error.message}`}</p>}
      {valid && kpis.isPending && <p>{t('loading')}</p>}
      {valid && kpis.data && (
        <>
          <p className="meta">{`${formatInstant(kpis.data.from, locale)} – ${formatInstant(kpis.data.to, locale)}`}</p>
          <KpiSections kpis={kpis.data} />
        </>
      )}
    </main>
  );
}

function KpiSections({ kpis }: { kpis: Kpis }) {
  const { t, locale } = useI18n();
  const shares = useShares(kpis);
  const bySeverity = SEVERITIES.map((s) => ({ label: s, value: kpis.incidents.bySeverity[s] }));
  const attained = shares.map((s) => ({ label: s.label, value: percent(s.share) }));
  return (
    <div className="kpi-grid">
      <section aria-labelledby="kpi-severity-title" className="kpi-pair">
        <h2 id="kpi-severity-title">{t('rv_kpiBySeverity')}</h2>
        <Suspense fallback={<p>{t('loading')}</p>}>
          <KpiChart title={t('rv_kpiBySeverity')} bars={bySeverity} unit="" />
        </Suspense>
        <table className="kpi-severity">
          <caption className="visually-hidden">{t('rv_kpiBySeverity')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('colSeverity')}</th>
              <th scope="col">{t('rv_kpiIncidents')}</th>
            </tr>
          </thead>
          <tbody>
            {bySeverity.map((b) => (
              <tr key={b.label}>
                <th scope="row">{b.label}</th>
                <td>{b.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="kpi-shares-title" className="kpi-pair">
        <h2 id="kpi-shares-title">{t('rv_kpiShares')}</h2>
        <Suspense fallback={<p>{t('loading')}</p>}>
          <KpiChart title={t('rv_kpiShares')} bars={attained} unit="%" max={100} />
        </Suspense>
        <table className="kpi-shares">
          <caption className="visually-hidden">{t('rv_kpiShares')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('rv_indicator')}</th>
              <th scope="col">{t('rv_value')}</th>
            </tr>
          </thead>
          <tbody>
            {shares.map((s) => (
              <tr key={s.key}>
                <th scope="row">{s.label}</th>
                <td>{formatShare(s.share, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="kpi-all-title">
        <h2 id="kpi-all-title">{t('rv_indicators')}</h2>
        <IndicatorTable kpis={kpis} />
      </section>
    </div>
  );
}
