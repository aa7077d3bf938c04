import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, data } from '../../api/client';
import type { Incident } from '../../api/types';
import { HistoryTable } from '../../components/history-table';
import { UnreadPage } from '../../components/unread-page';
import { useI18n } from '../../i18n';
import { bandOf, formatCountdown, formatInstant, useNow } from '../../time';
import { IncidentActions, NoteForm } from './incident-actions';
import { eventLabel, statusLabel } from './labels';
import { AlertDetails, alertOf } from './alert-details';
import { RcaSection } from './rca';
import { ReportSection } from './report';

type Clock = Incident['sla']['response'];

/**
 * One incident: status, the actions valid now, SLA panel with live countdowns and the counted
 * intervals, the timeline with a note form, the RCA, the report, and similar past incidents.
 */
export function IncidentPage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const incident = useQuery({
    queryKey: ['incident', id],
    queryFn: () => data(api.GET('/api/v1/incidents/{id}', { params: { path: { id }, query: { explain: 'true' } } })),
    // The event stream refreshes on change (live.ts); this only catches what it missed.
    refetchInterval: 60_000,
  });
  if (incident.isPending || incident.isError) return <UnreadPage error={incident.error} />;
  const i = incident.data;
  return (
    <main>
      <p>
        <Link to="/">{`← ${t('navQueue')}`}</Link>
      </p>
      <h1>{`${i.id} ${i.title}`}</h1>
      <dl className="facts">
        <dt>{t('colStatus')}</dt>
        <dd className="status" data-status={i.status}>
          {t(statusLabel(i.status))}
        </dd>
        <dt>{t('colSeverity')}</dt>
        <dd>{i.severity}</dd>
        <dt>{t('colLevel')}</dt>
        <dd>{i.level}</dd>
        <dt>{t('colAssignee')}</dt>
        <dd>{i.assignee ?? '—'}</dd>
        <dt>{t('colSystem')}</dt>
        <dd>{i.system}</dd>
        <dt>{t('colCenter')}</dt>
        <dd>{i.center ?? '—'}</dd>
        <dt>{t('openedAt')}</dt>
        <dd>{formatInstant(i.openedAt, locale)}</dd>
      </dl>
      <IncidentActions id={i.id} actions={i.actions} />
      <h2>{t('description')}</h2>
      <p className="text-block">{i.description}</p>
      <section aria-labelledby="sla-title">
        <h2 id="sla-title">{t('slaPanel')}</h2>
        <table className="sla">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">{t('dueAt')}</th>
              <th scope="col">{t('elapsed')}</th>
              <th scope="col">{t('remaining')}</th>
            </tr>
          </thead>
          <tbody>
            <ClockRow name={t('clockResponse')} clock={i.sla.response} />
            <ClockRow name={t('clockRestore')} clock={i.sla.restore} />
          </tbody>
        </table>
        <p className="meta">{`${t('calendar')}: ${i.sla.policy.calendarVersion}`}</p>
        {i.sla.explanation && (
          <details>
            <summary>{t('explanation')}</summary>
            <ul>
              {i.sla.explanation.map((line, n) => (
                <li key={n}>{line}</li>
              ))}
            </ul>
          </details>
        )}
      </section>
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('timeline')}</h2>
        <HistoryTable
          className="timeline"
          events={i.timeline}
          what={(e) =>
            e.from || e.to ? `${t(eventLabel(e.type))} (${e.from ? t(statusLabel(e.from)) : ''} → ${e.to ? t(statusLabel(e.to)) : ''})` : t(eventLabel(e.type))
          }
          details={(e) => {
            const alert = alertOf(e.details);
            return alert ? <AlertDetails {...alert} /> : detailsText(e.details);
          }}
          detailsClass="text-block"
        />
        <NoteForm id={i.id} actions={i.actions} />
      </section>
      <RcaSection incident={i} />
      <ReportSection incident={i} />
      <SimilarIncidents id={i.id} />
    </main>
  );
}

function ClockRow({ name, clock }: { name: string; clock: Clock }) {
  const { t, locale } = useI18n();
  const now = useNow();
  const remaining = clock.dueAt && clock.running ? Date.parse(clock.dueAt) - now : null;
  const state = clock.breached ? t('breached') : clock.met ? t('met') : clock.paused ? t('paused') : clock.running ? t('running') : t('stopped');
  return (
    <tr>
      <th scope="row">{name}</th>
      <td>{formatInstant(clock.dueAt, locale)}</td>
      <td>{formatCountdown(clock.elapsedSeconds * 1000)}</td>
      <td>{remaining === null ? state : <span className={`band ${bandOf(remaining)}`}>{formatCountdown(remaining)}</span>}</td>
    </tr>
  );
}

/** A timeline entry's details as a person reads them: a note's text as written, the rest as "key: value". */
function detailsText(details: Record<string, unknown> | undefined): string {
  if (!details) return '';
  return Object.entries(details)
    .map(([key, value]) => (key === 'text' && typeof value === 'string' ? value : `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`))
    .join('\n');
}

/** Past incidents most like this one (shared title and description terms), to reuse what fixed them. */
function SimilarIncidents({ id }: { id: string }) {
  const { t } = useI18n();
  const similar = useQuery({
    queryKey: ['incident', id, 'similar'],
    queryFn: () => data(api.GET('/api/v1/incidents/{id}/similar', { params: { path: { id }, query: { limit: 5 } } })),
    staleTime: 5 * 60_000,
  });
  if (!similar.data?.items.length) return null;
  return (
    <section aria-labelledby="similar-title">
      <h2 id="similar-title">{t('similar')}</h2>
      <ul>
        {similar.data.items.map((s) => (
          <li key={s.id}>
            <Link to={`/incidents/${s.id}`}>{`${s.id} ${s.title}`}</Link>
            {` · ${t(statusLabel(s.status))} · ${t('similarity')} ${Math.round(s.similarity * 100)}%`}
          </li>
        ))}
      </ul>
    </section>
  );
}
