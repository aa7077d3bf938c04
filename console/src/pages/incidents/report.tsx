import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, data } from '../../api/client';
import type { Incident } from '../../api/types';
import { PdfView } from '../../components/pdf-view';
import { useI18n } from '../../i18n';
import { useCan } from '../../me';
import { formatInstant } from '../../time';
import type { ReportLocale } from './types';

/** 장애 보고서: publish (once resolved, with an RCA) and read every published version inline. */
export function ReportSection({ incident }: { incident: Incident }) {
  const { t, locale } = useI18n();
  const can = useCan();
  const queries = useQueryClient();
  const [language, setLanguage] = useState<ReportLocale>('ko');
  const newest = incident.reports.at(-1)?.version;
  const [shown, setShown] = useState<number | undefined>(undefined);
  const version = shown ?? newest;
  const publish = useMutation({
    mutationFn: () => data(api.POST('/api/v1/incidents/{id}/report/publish', { params: { path: { id: incident.id } }, body: { locale: language } })),
    onSuccess: async () => {
      setShown(undefined);
      await queries.invalidateQueries({ queryKey: ['incident', incident.id] });
    },
  });
  const publishable = incident.actions.includes('publishReport') && can('postIncidentsByIdReportPublish');
  if (!publishable && incident.reports.length === 0) return null;
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title">{t('report')}</h2>
      {publishable && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            publish.mutate();
          }}
        >
          <label>
            {t('reportLanguage')}
            <select value={language} onChange={(e) => setLanguage(e.target.value as ReportLocale)}>
              <option value="ko">한국어</option>
              <option value="en">English</option>
            </select>
          </label>
          <button type="submit" disabled={publish.isPending}>
            {incident.reports.length ? t('republish') : t('publish')}
          </button>
          {publish.isPending && <span>{t('publishing')}</span>}
          {publish.isError && (
            <span role="alert" className="error">
              {publish.error.message}
            </span>
          )}
        </form>
      )}
      {version !== undefined && (
        <>
          <label>
            {t('reportVersion')}
            <select value={version} onChange={(e) => setShown(Number(e.target.value))}>
              {incident.reports.map((r) => (
                <option key={r.version} value={r.version}>
                  {`v${r.version} · ${formatInstant(r.publishedAt, locale)} · ${r.publishedBy.id} · ${r.locale}`}
                </option>
              ))}
            </select>
          </label>
          <PdfView url={`/api/v1/incidents/${incident.id}/report.pdf?version=${version}`} title={`${incident.id} ${t('report')} v${version}`} />
        </>
      )}
    </section>
  );
}
