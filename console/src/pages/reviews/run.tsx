import type { ReactNode } from 'react';
import { PdfView } from '../../components/pdf-view';
import { useI18n } from '../../i18n';
import { formatInstant } from '../../time';
import { StatusText, type Reviewed } from './parts';

/** What an inspection's page and a QSR's share: both are runs that make a report for the SPM to review. */

/** The run's facts: its status, what the kind adds (`children`, as dt/dd pairs), who asked and when; why it failed, if it did. */
export function RunFacts({ state: s, children }: { state: Reviewed['state']; children: ReactNode }) {
  const { t, locale } = useI18n();
  return (
    <>
      <dl className="facts">
        <dt>{t('colStatus')}</dt>
        <dd>
          <StatusText status={s.status} />
        </dd>
        {children}
        <dt>{t('rv_requestedBy')}</dt>
        <dd>{`${s.requestedBy.id} (${s.requestedBy.role})`}</dd>
        <dt>{t('rv_startedAt')}</dt>
        <dd>{formatInstant(s.startedAt, locale)}</dd>
        <dt>{t('rv_updatedAt')}</dt>
        <dd>{formatInstant(s.updatedAt, locale)}</dd>
      </dl>
      {s.failure && <p className="error">{`${t('rv_failure')}: ${s.failure}`}</p>}
    </>
  );
}

/** The run's report as PDF, once rendered (each version by its number). */
export function RunReport({ kind, state: s }: Reviewed) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title">{t('rv_report')}</h2>
      {s.report ? (
        <PdfView
          url={`/api/v1/${kind === 'inspection' ? 'inspections' : 'qsr'}/${s.id}/report.pdf?version=${s.report.version}`}
          title={`${s.id} ${t('rv_report')}`}
        />
      ) : (
        <p>{s.status === 'RUNNING' ? t('rv_reportAfterRun') : t('rv_noReport')}</p>
      )}
    </section>
  );
}
