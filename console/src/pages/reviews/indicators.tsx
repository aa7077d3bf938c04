import { useI18n } from '../../i18n';
import type { Kpis, Share } from './types';

/** The SLA indicators as a table: each share with what it was computed from, so a reader can check it. */

export const percent = (share: Share) => (share.ratio === null ? null : Math.round(share.ratio * 1000) / 10);

export function formatShare(share: Share, locale: string): string {
  const p = percent(share);
  return `${p === null ? '—' : `${p.toLocaleString(locale)}%`} (${share.numerator}/${share.denominator})`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The shares, named once for the table and the chart. */
export function useShares(kpis: Kpis): Array<{ key: string; label: string; share: Share }> {
  const { t } = useI18n();
  return [
    { key: 'restoredComplex', label: t('rv_kpiRestoredComplex'), share: kpis.restoredWithinTarget.complex },
    { key: 'restoredAll', label: t('rv_kpiRestoredAll'), share: kpis.restoredWithinTarget.all },
    { key: 'response', label: t('rv_kpiResponse'), share: kpis.responseAttainment },
    { key: 'l1', label: t('rv_kpiL1'), share: kpis.l1Resolution },
    { key: 'reopen', label: t('rv_kpiReopen'), share: kpis.reopenRate },
  ];
}

export function IndicatorTable({ kpis, caption }: { kpis: Kpis; caption?: string }) {
  const { t, locale } = useI18n();
  const shares = useShares(kpis);
  return (
    <table className="indicators">
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">{t('rv_indicator')}</th>
          <th scope="col">{t('rv_value')}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">{t('rv_kpiIncidents')}</th>
          <td>{kpis.incidents.total}</td>
        </tr>
        <tr>
          <th scope="row">{t('rv_kpiMttr')}</th>
          <td>{formatDuration(kpis.mttrMs)}</td>
        </tr>
        {shares.map((s) => (
          <tr key={s.key}>
            <th scope="row">{s.label}</th>
            <td>{formatShare(s.share, locale)}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">{t('rv_kpiBreaches')}</th>
          <td>{kpis.breaches.length}</td>
        </tr>
      </tbody>
    </table>
  );
}
