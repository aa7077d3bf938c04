import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, data } from '../../api/client';
import { Pager } from '../../components/filters';
import { UnreadPage } from '../../components/unread-page';
import { useI18n } from '../../i18n';
import { formatInstant } from '../../time';
import { AreaNav, ReviewPanel } from './parts';
import { RunFacts, RunReport } from './run';
import type { Finding, Inspection } from './types';

const SEVERITIES = ['critical', 'warning'] as const;

/** One monthly inspection: status and progress, findings by severity, incidents it opened, readings, the report and its review. */
export function InspectionPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const inspection = useQuery({
    queryKey: ['inspection', id],
    queryFn: () => data(api.GET('/api/v1/inspections/{id}', { params: { path: { id } } })),
    // The event stream refreshes on change (live.ts); while it runs, progress is also read every few seconds.
    refetchInterval: (q) => (q.state.data?.status === 'RUNNING' ? 3_000 : 60_000),
  });
  if (inspection.isPending || inspection.isError) return <UnreadPage error={inspection.error} />;
  const s = inspection.data;
  return (
    <main className="reviews">
      <p>
        <Link to="/reviews">{`← ${t('rv_inspections')}`}</Link>
      </p>
      <h1>{`${s.id} ${t('rv_inspectionOf')} ${s.period}`}</h1>
      <AreaNav />
      <RunFacts state={s}>
        <dt>{t('rv_period')}</dt>
        <dd>{s.period}</dd>
        <dt>{t('rv_centers')}</dt>
        <dd>{s.centers.length ? s.centers.join(', ') : t('rv_allCenters')}</dd>
      </RunFacts>
      <Progress inspection={s} />
      <Findings findings={s.findings} />
      <section aria-labelledby="incidents-title">
        <h2 id="incidents-title">{t('rv_openedIncidents')}</h2>
        {s.incidents.length === 0 ? (
          <p>{t('rv_noOpenedIncidents')}</p>
        ) : (
          <ul>
            {s.incidents.map((i) => (
              <li key={i.incidentId}>
                <Link to={`/incidents/${i.incidentId}`}>{i.incidentId}</Link> <span className="meta">{i.findingKey}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <ReadingsSection key={s.id} id={s.id} />
      <RunReport kind="inspection" state={s} />
      <ReviewPanel kind="inspection" state={s} />
    </main>
  );
}

/** Collectors done of all, while it runs (and the collectors' table, which stays for reference). */
function Progress({ inspection: s }: { inspection: Inspection }) {
  const { t } = useI18n();
  const label = `${t('rv_progress')}: ${s.progress.done}/${s.progress.total}`;
  return (
    <section aria-labelledby="progress-title">
      <h2 id="progress-title">{t('rv_collectors')}</h2>
      {s.status === 'RUNNING' && (
        <p className="progress">
          <progress value={s.progress.done} max={Math.max(1, s.progress.total)} aria-label={label} /> <span>{label}</span>
        </p>
      )}
      <details>
        <summary>{`${t('rv_collectorsDetail')} (${s.progress.done}/${s.progress.total})`}</summary>
        <table className="collectors">
          <thead>
            <tr>
              <th scope="col">{t('colCenter')}</th>
              <th scope="col">{t('colSystem')}</th>
              <th scope="col">{t('colStatus')}</th>
              <th scope="col">{t('rv_devices')}</th>
              <th scope="col">{t('rv_readings')}</th>
              <th scope="col">{t('rv_error')}</th>
            </tr>
          </thead>
          <tbody>
            {s.collectors.map((c) => (
              <tr key={`${c.center}/${c.system}`}>
                <td>{c.center}</td>
                <td>{c.system}</td>
                <td>{t(`rv_collector_${c.status}`)}</td>
                <td>{c.devices}</td>
                <td>{c.readings}</td>
                <td>{c.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

/** Findings grouped by severity, the severity named in words in each group's heading and each row. */
function Findings({ findings }: { findings: Finding[] }) {
  const { t, lang } = useI18n();
  return (
    <section aria-labelledby="findings-title">
      <h2 id="findings-title">{`${t('rv_findings')} (${findings.length})`}</h2>
      {findings.length === 0 && <p>{t('rv_noFindings')}</p>}
      {SEVERITIES.map((severity) => {
        const group = findings.filter((f) => f.severity === severity);
        if (group.length === 0) return null;
        const name = t(`rv_findingSeverity_${severity}`);
        return (
          <section key={severity} className={`finding-group ${severity}`} aria-labelledby={`findings-${severity}`}>
            <h3 id={`findings-${severity}`}>{`${name} (${group.length})`}</h3>
            <table className="findings">
              <thead>
                <tr>
                  <th scope="col">{t('colSeverity')}</th>
                  <th scope="col">{t('colCenter')}</th>
                  <th scope="col">{t('colSystem')}</th>
                  <th scope="col">{t('rv_device')}</th>
                  <th scope="col">{t('rv_metric')}</th>
                  <th scope="col">{t('rv_valueThreshold')}</th>
                  <th scope="col">{t('rv_proposal')}</th>
                </tr>
              </thead>
              <tbody>
                {group.map((f) => (
                  <tr key={f.key}>
                    <td>
                      <span className={`severity-tag ${severity}`}>{name}</span>
                    </td>
                    <td>{f.center}</td>
                    <td>{f.system}</td>
                    <td>{f.deviceId ?? '—'}</td>
                    <td>{[f.metric, f.item].filter(Boolean).join(' · ') || f.ruleId}</td>
                    <td>{f.error ?? (f.value === null ? '—' : `${formatValue(f.value)} / ${formatValue(f.threshold)}`)}</td>
                    <td>{f.proposal[lang]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </section>
  );
}

const formatValue = (v: number | null) => (v === null ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(2));

/** Readings a page: an inspection of 10,000 devices has about 53,000. */
const READINGS_PAGE = 500;

/** What the collectors read, fetched a page at a time when asked for (GET …/readings). */
function ReadingsSection({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const [offset, setOffset] = useState(0);
  const readings = useQuery({
    queryKey: ['inspection', id, 'readings', offset],
    queryFn: () => data(api.GET('/api/v1/inspections/{id}/readings', { params: { path: { id }, query: { limit: READINGS_PAGE, offset } } })),
    enabled: open,
  });
  return (
    <section aria-labelledby="readings-title">
      <h2 id="readings-title">{t('rv_readings')}</h2>
      <details onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>{t('rv_showReadings')}</summary>
        {readings.isPending && open && <p>{t('loading')}</p>}
        {readings.isError && <p role="alert">{`${t('loadFailed')}: ${readings.error.message}`}</p>}
        {readings.data && (
          <>
            {readings.data.simulated && <p className="simulated">{t('rv_simulatedReadings')}</p>}
            <table className="readings">
              <thead>
                <tr>
                  <th scope="col">{t('colCenter')}</th>
                  <th scope="col">{t('colSystem')}</th>
                  <th scope="col">{t('rv_device')}</th>
                  <th scope="col">{t('rv_metric')}</th>
                  <th scope="col">{t('rv_value')}</th>
                  <th scope="col">{t('rv_measuredBy')}</th>
                  <th scope="col">{t('rv_collectedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {readings.data.items.map((r) => (
                  <tr key={`${r.deviceId}/${r.metric}/${r.item ?? ''}`}>
                    <td>{r.center}</td>
                    <td>{r.system}</td>
                    <td>{r.deviceId}</td>
                    <td>{[r.metric, r.item].filter(Boolean).join(' · ')}</td>
                    <td>{`${formatValue(r.value)}${r.capacity === null ? '' : ` / ${formatValue(r.capacity)}`} ${r.unit}`}</td>
                    <td>{`${r.measuredBy} (${r.source === 'simulated' ? t('rv_sourceSimulated') : t('rv_sourceVendor')})`}</td>
                    <td>{formatInstant(r.collectedAt, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager total={readings.data.total} offset={offset} page={READINGS_PAGE} onOffset={setOffset} />
          </>
        )}
      </details>
    </section>
  );
}
