import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, data } from '../../api/client';
import { Field } from '../../components/field';
import { problemsByField } from '../../components/problems';
import { UnreadPage } from '../../components/unread-page';
import { useI18n } from '../../i18n';
import { useCan } from '../../me';
import { IndicatorTable } from './indicators';
import { AreaNav, FormAlert, ReviewPanel } from './parts';
import { RunFacts, RunReport } from './run';
import type { Qsr } from './types';

/** One quarterly service review: indicators, call volume anomalies, improvement proposals, the report and its review. */
export function QsrPage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const qsr = useQuery({
    queryKey: ['qsr', id],
    queryFn: () => data(api.GET('/api/v1/qsr/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data?.status === 'RUNNING' ? 3_000 : 60_000),
  });
  if (qsr.isPending || qsr.isError) return <UnreadPage error={qsr.error} />;
  const s = qsr.data;
  return (
    <main className="reviews">
      <p>
        <Link to="/reviews?tab=qsr">{`← ${t('rv_qsrs')}`}</Link>
      </p>
      <h1>{`${s.id} ${t('rv_qsrOf')} ${s.quarter}`}</h1>
      <AreaNav />
      <RunFacts state={s}>
        <dt>{t('rv_quarter')}</dt>
        <dd>{s.quarter}</dd>
      </RunFacts>
      {s.notes.length > 0 && (
        <ul className="notes" aria-label={t('rv_notes')}>
          {s.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      <section aria-labelledby="indicators-title">
        <h2 id="indicators-title">{t('rv_indicators')}</h2>
        {s.kpis ? <IndicatorTable kpis={s.kpis} /> : <p>{t('rv_indicatorsAfterRun')}</p>}
        {s.kpis && s.kpis.breaches.length > 0 && (
          <details>
            <summary>{`${t('rv_kpiBreaches')} (${s.kpis.breaches.length})`}</summary>
            <table className="breaches">
              <thead>
                <tr>
                  <th scope="col">{t('colId')}</th>
                  <th scope="col">{t('colSeverity')}</th>
                  <th scope="col">{t('colTitle')}</th>
                  <th scope="col">{t('rv_clock')}</th>
                  <th scope="col">{t('rv_targetElapsed')}</th>
                </tr>
              </thead>
              <tbody>
                {s.kpis.breaches.map((b) => (
                  <tr key={`${b.incidentId}/${b.clock}`}>
                    <td>
                      <Link to={`/incidents/${b.incidentId}`}>{b.incidentId}</Link>
                    </td>
                    <td>{b.severity}</td>
                    <td>{b.title}</td>
                    <td>{b.clock === 'response' ? t('clockResponse') : t('clockRestore')}</td>
                    <td>{`${Math.round(b.targetSeconds / 60)}${t('rv_minutes')} / ${Math.round(b.elapsedSeconds / 60)}${t('rv_minutes')}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        )}
      </section>
      <section aria-labelledby="anomalies-title">
        <h2 id="anomalies-title">{t('rv_anomalies')}</h2>
        {s.anomalies.length === 0 ? (
          <p>{t('rv_noAnomalies')}</p>
        ) : (
          <table className="anomalies">
            <thead>
              <tr>
                <th scope="col">{t('rv_date')}</th>
                <th scope="col">{t('colCenter')}</th>
                <th scope="col">{t('rv_anomalyKind')}</th>
                <th scope="col">{t('rv_offered')}</th>
                <th scope="col">{t('rv_expected')}</th>
                <th scope="col">{t('rv_score')}</th>
              </tr>
            </thead>
            <tbody>
              {s.anomalies.map((a) => (
                <tr key={`${a.date}/${a.center}`}>
                  <td>{a.date}</td>
                  <td>{a.center}</td>
                  <td>{a.kind === 'spike' ? t('rv_anomalySpike') : t('rv_anomalyDrop')}</td>
                  <td>{a.offered.toLocaleString(locale)}</td>
                  <td>{a.expected.toLocaleString(locale)}</td>
                  <td>{a.score.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <Proposals qsr={s} />
      <RunReport kind="qsr" state={s} />
      <ReviewPanel kind="qsr" state={s} />
    </main>
  );
}

/** The SPM's improvement proposals, and a form adding one (the API takes the whole list; the report is rendered again). */
function Proposals({ qsr: s }: { qsr: Qsr }) {
  const { t } = useI18n();
  const can = useCan();
  const queries = useQueryClient();
  const [title, setTitle] = useState('');
  const [detail, setDetail] = useState('');
  const [owner, setOwner] = useState('');
  const index = s.proposals.length;
  const add = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/qsr/{id}/proposals', {
          params: { path: { id: s.id } },
          body: { proposals: [...s.proposals, { title, detail, ...(owner.trim() ? { owner } : {}) }] },
        }),
      ),
    onSuccess: (next) => {
      queries.setQueryData(['qsr', s.id], next);
      void queries.invalidateQueries({ queryKey: ['qsrs'] });
      setTitle('');
      setDetail('');
      setOwner('');
    },
  });
  const problems = problemsByField(add.error);
  const at = (field: string) => problems.get(`proposals.${index}.${field}`);
  return (
    <section aria-labelledby="proposals-title">
      <h2 id="proposals-title">{t('rv_proposals')}</h2>
      {s.proposals.length === 0 ? (
        <p>{t('rv_noProposals')}</p>
      ) : (
        <ol className="proposals">
          {s.proposals.map((p, i) => (
            <li key={i}>
              <strong>{p.title}</strong>
              {p.owner && <span className="meta">{` · ${t('rv_owner')}: ${p.owner}`}</span>}
              <p className="text-block">{p.detail}</p>
            </li>
          ))}
        </ol>
      )}
      {can('postQsrByIdProposals') && s.status === 'AWAITING_REVIEW' && (
        <form
          className="proposal-form"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <h3>{t('rv_addProposal')}</h3>
          <FormAlert error={add.error} problems={problems} fields={[`proposals.${index}`]} />
          <Field label={t('rv_proposalTitle')} error={at('title')}>
            <input type="text" value={title} onChange={(e) => setTitle(e.target.value)} />
          </Field>
          <Field label={t('rv_proposalDetail')} error={at('detail')}>
            <textarea rows={3} value={detail} onChange={(e) => setDetail(e.target.value)} />
          </Field>
          <Field label={t('rv_proposalOwner')} error={at('owner')}>
            <input type="text" value={owner} onChange={(e) => setOwner(e.target.value)} />
          </Field>
          <button type="submit" disabled={add.isPending}>
            {t('rv_addProposalSubmit')}
          </button>
        </form>
      )}
    </section>
  );
}
