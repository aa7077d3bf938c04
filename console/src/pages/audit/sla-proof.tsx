import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, data } from '../../api/client';
import { columnsOf, DataTable } from '../../components/data-table';
import { useUrlState } from '../../components/use-url-state';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { formatCountdown, formatInstant } from '../../time';
import { LoadError, Sha } from './parts';
import type { ProvenClock, SlaProof } from './types';

type ClockEvent = SlaProof['clockEvents'][number];
type Interval = ProvenClock['intervals'][number];
const eventColumn = columnsOf<ClockEvent>();
const intervalColumn = columnsOf<Interval>();

/** A duration as h:mm:ss. */
const duration = (seconds: number) => formatCountdown(seconds * 1000);

/**
 * /audit/incidents/:id/sla — the incident's SLA recomputed from its stored history alone (?sha256=
 * names which): the verdict against the workflow's own record, and every step of how it was computed.
 */
export function SlaProofPage() {
  const { id = '' } = useParams();
  const { params } = useUrlState();
  const sha256 = params.get('sha256') ?? undefined;
  const { t, locale } = useI18n();
  const proof = useQuery({
    queryKey: ['audit-sla', id, sha256 ?? null],
    queryFn: () => data(api.GET('/api/v1/audit/incidents/{id}/sla', { params: { path: { id }, query: sha256 ? { sha256 } : {} } })),
    staleTime: sha256 ? Infinity : 0,
  });
  const workflowLink = `/audit/workflows/incident-${id}${sha256 ? `?sha256=${sha256}` : ''}`;
  return (
    <main>
      <p>
        <Link to={workflowLink}>{`← ${t('audit_slaWorkflow')}`}</Link>
      </p>
      <h1>{`${id} ${t('audit_slaTitle')}`}</h1>
      <p className="hint">{t('audit_slaHint')}</p>
      {proof.isPending && <p>{t('loading')}</p>}
      {proof.isError &&
        (proof.error instanceof ApiError && proof.error.status === 409 ? (
          <p role="alert">{`${t('audit_cannotProve')}: ${proof.error.message}`}</p>
        ) : (
          <LoadError error={proof.error} notFound={<p role="alert">{t('audit_noHistory')}</p>} />
        ))}
      {proof.data && <Proof proof={proof.data} locale={locale} />}
    </main>
  );
}

function Proof({ proof, locale }: { proof: SlaProof; locale: string }) {
  const { t } = useI18n();
  const yesNo = (v: boolean) => (v ? t('audit_yes') : t('audit_no'));
  const eventColumns = useMemo(
    () =>
      eventColumn.columns([
        eventColumn.accessor('type', { header: t('audit_colType2'), cell: ({ row }) => <code>{row.original.type}</code> }),
        eventColumn.accessor('at', { header: t('audit_colAt'), cell: ({ row }) => formatInstant(row.original.at, locale) }),
        eventColumn.accessor('reason', { header: t('audit_colReason'), cell: ({ row }) => row.original.reason ?? '—' }),
        eventColumn.accessor('eventId', { header: t('audit_colEventId'), cell: ({ row }) => `#${row.original.eventId}` }),
        eventColumn.accessor('run', { header: t('audit_colRun') }),
      ]),
    [t, locale],
  );
  const intervalColumns = useMemo(
    () =>
      intervalColumn.columns([
        intervalColumn.accessor('from', { header: t('audit_colFrom'), cell: ({ row }) => formatInstant(row.original.from, locale) }),
        intervalColumn.accessor('to', { header: t('audit_colTo'), cell: ({ row }) => formatInstant(row.original.to, locale) }),
        intervalColumn.accessor('seconds', { header: t('audit_colSeconds'), cell: ({ row }) => duration(row.original.seconds) }),
        intervalColumn.accessor('fromEventId', {
          header: t('audit_colFromEvent'),
          cell: ({ row }) => (row.original.fromEventId === null ? '—' : `#${row.original.fromEventId}`),
        }),
        intervalColumn.accessor('toEventId', {
          header: t('audit_colToEvent'),
          cell: ({ row }) => (row.original.toEventId === null ? t('audit_stillCounting') : `#${row.original.toEventId}`),
        }),
      ]),
    [t, locale],
  );
  const clocks = ['response', 'restore'] as const;
  return (
    <>
      <section aria-labelledby="sla-verdict-title" className={`sla-verdict ${proof.matches ? 'ok' : 'broken'}`}>
        <div role="status">
          <h2 id="sla-verdict-title">{proof.matches ? `✔ ${t('audit_slaMatches')}` : `✘ ${t('audit_slaDiffers')}`}</h2>
        </div>
        {proof.differences.length > 0 && (
          <>
            <h3>{t('audit_slaDifferences')}</h3>
            <ul className="differences">
              {proof.differences.map((d, n) => (
                <li key={n}>{d}</li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="sla-basis-title">
        <h2 id="sla-basis-title">{t('audit_slaBasis')}</h2>
        <dl className="facts">
          <dt>{t('audit_source')}</dt>
          <dd>{t(`audit_source_${proof.history.source}` as MessageKey)}</dd>
          <dt>{t('audit_apiSha')}</dt>
          <dd>
            <Sha value={proof.history.sha256} full />
          </dd>
          <dt>{t('audit_runs')}</dt>
          <dd>
            {proof.runs.map((r) => (
              <code key={r}>{r} </code>
            ))}
          </dd>
          <dt>{t('audit_capturedAt')}</dt>
          <dd>{formatInstant(proof.history.capturedAt, locale)}</dd>
          <dt>{t('audit_asOf')}</dt>
          <dd>{formatInstant(proof.asOf, locale)}</dd>
          <dt>{t('audit_recordedAt')}</dt>
          <dd>{proof.recordedAt ? `#${proof.recordedAt.eventId} (${proof.recordedAt.kind})` : t('audit_recordedNone')}</dd>
        </dl>
      </section>

      <section aria-labelledby="sla-policy-title">
        <h2 id="sla-policy-title">{t('audit_policy')}</h2>
        <dl className="facts">
          <dt>{t('audit_severity')}</dt>
          <dd>{proof.policy.severity}</dd>
          <dt>{t('audit_complexity')}</dt>
          <dd>{proof.policy.complexity}</dd>
          <dt>{t('audit_clockKind')}</dt>
          <dd>{t(`audit_clock_${proof.policy.clock}` as MessageKey)}</dd>
          <dt>{t('audit_responseTarget')}</dt>
          <dd>{duration(proof.policy.responseTargetSeconds)}</dd>
          <dt>{t('audit_restoreTarget')}</dt>
          <dd>{duration(proof.policy.restoreTargetSeconds)}</dd>
          <dt>{t('audit_autoClose')}</dt>
          <dd>{duration(proof.policy.autoCloseAfterSeconds)}</dd>
        </dl>
        <h3>{t('audit_calendarTitle')}</h3>
        <dl className="facts">
          <dt>{t('audit_calendarVersion')}</dt>
          <dd>
            <code>{proof.calendar.version}</code>
          </dd>
          <dt>{t('audit_calendarRecomputed')}</dt>
          <dd>
            <code>{proof.calendar.recomputedVersion}</code>
            {` (${proof.calendar.versionMatches ? t('audit_matchYes') : t('audit_matchNo')})`}
          </dd>
          <dt>{t('audit_timezone')}</dt>
          <dd>{proof.calendar.timezone}</dd>
          <dt>{t('audit_workdays')}</dt>
          <dd>{proof.calendar.workdays.map((d) => weekday(d, locale)).join(', ')}</dd>
          <dt>{t('audit_hours')}</dt>
          <dd>{`${proof.calendar.dayStart}–${proof.calendar.dayEnd}`}</dd>
          <dt>{t('audit_holidays')}</dt>
          <dd>{proof.calendar.holidays}</dd>
        </dl>
      </section>

      <section aria-labelledby="sla-events-title">
        <h2 id="sla-events-title">{t('audit_clockEvents')}</h2>
        <DataTable
          className="audit-table clock-events"
          label={t('audit_clockEvents')}
          columns={eventColumns}
          rows={proof.clockEvents}
          rowId={(e) => `${e.run}-${e.eventId}-${e.type}`}
        />
      </section>

      <section aria-labelledby="sla-recomputed-title">
        <h2 id="sla-recomputed-title">{t('audit_recomputed')}</h2>
        <table className="audit-table sla-recomputed">
          <thead>
            <tr>
              <th scope="col">{t('audit_colClock')}</th>
              <th scope="col">{t('audit_colTarget')}</th>
              <th scope="col">{t('audit_colElapsed')}</th>
              <th scope="col">{t('audit_colBreached')}</th>
              <th scope="col">{t('audit_colDueAt')}</th>
              <th scope="col">{t('audit_colStoppedBy')}</th>
              <th scope="col">{t('audit_colRecorded')}</th>
            </tr>
          </thead>
          <tbody>
            {clocks.map((name) => {
              const c = proof.recomputed[name];
              return (
                <tr key={name}>
                  <th scope="row">{t(`audit_clock_${name}` as MessageKey)}</th>
                  <td>{duration(c.targetSeconds)}</td>
                  <td>{duration(c.elapsedSeconds)}</td>
                  <td>{yesNo(c.breached)}</td>
                  <td>{formatInstant(c.dueAt, locale)}</td>
                  <td>{c.stoppedBy ?? '—'}</td>
                  <td>{proof.recorded ? `${t('audit_colBreached')}: ${yesNo(proof.recorded.breached[name])}` : t('audit_recordedNone')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {clocks.map((name) => (
          <section key={name} aria-labelledby={`sla-intervals-${name}`}>
            <h3 id={`sla-intervals-${name}`}>{`${t(`audit_clock_${name}` as MessageKey)} — ${t('audit_intervals')}`}</h3>
            <DataTable
              className={`audit-table intervals intervals-${name}`}
              label={`${t(`audit_clock_${name}` as MessageKey)} — ${t('audit_intervals')}`}
              columns={intervalColumns}
              rows={proof.recomputed[name].intervals}
              rowId={(i) => i.from}
            />
          </section>
        ))}
      </section>

      <section aria-labelledby="sla-explanation-title">
        <h2 id="sla-explanation-title">{t('audit_explanation')}</h2>
        <ol className="explanation">
          {proof.explanation.map((line, n) => (
            <li key={n}>{line}</li>
          ))}
        </ol>
      </section>
    </>
  );
}

/** An ISO weekday (1 = Monday) by name in the page's language. */
function weekday(iso: number, locale: string): string {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, iso)));
}
