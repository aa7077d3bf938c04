import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, data } from '../../api/client';
import { problemsByField } from '../../components/problems';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { useCan } from '../../me';
import { seoulQuarter } from '../../seoul';
import { session } from '../../session';
import { AreaNav } from './parts';
import type { WhatIfBody, WhatIfResult } from './types';

/** One severity × complexity of the candidate set, as typed: minutes, and whether it is part of the candidate. */
interface Row {
  severity: 'P1' | 'P2' | 'P3' | 'P4';
  complexity: 'simple' | 'complex';
  on: boolean;
  clock: '24x7' | 'business';
  response: string;
  restore: string;
}

/** The language of the explanations and the PDF: Korean unless the console speaks something else. */
const reportLocale = (locale: string): 'ko' | 'en' => (locale.startsWith('ko') ? 'ko' : 'en');

const minutes = (v: string) => (v.trim() === '' ? Number.NaN : Math.round(Number(v) * 60));
const dates = (v: string) =>
  v
    .split(/[\s,]+/)
    .map((d) => d.trim())
    .filter(Boolean);

/**
 * /reviews/what-if — the SLA what-if for the customer meeting: a period, a candidate set of policies
 * (the current ones to start from) and holiday corrections; the answer per severity and complexity,
 * the incidents that flip with their explanation, and the same as a PDF. Nothing stored changes.
 */
export function WhatIfPage() {
  const { t, locale } = useI18n();
  const can = useCan();
  const quarter = seoulQuarter(Date.now() - 92 * 86_400_000);
  const [from, setFrom] = useState(quarter.from);
  const [to, setTo] = useState(quarter.to);
  const [rows, setRows] = useState<Row[]>([]);
  const [addHolidays, setAdd] = useState('');
  const [removeHolidays, setRemove] = useState('');
  const policies = useQuery({ queryKey: ['sla-policies'], queryFn: () => data(api.GET('/api/v1/sla-policies')) });
  useEffect(() => {
    if (policies.data && rows.length === 0) {
      setRows(
        policies.data.items.map((p) => ({
          severity: p.severity,
          complexity: p.complexity,
          on: false,
          clock: p.clock,
          response: String(p.responseTargetSeconds / 60),
          restore: String(p.restoreTargetSeconds / 60),
        })),
      );
    }
  }, [policies.data, rows.length]);

  const body = (): WhatIfBody => ({
    from,
    to,
    policies: rows
      .filter((r) => r.on)
      .map((r) => ({
        severity: r.severity,
        complexity: r.complexity,
        clock: r.clock,
        responseTargetSeconds: minutes(r.response),
        restoreTargetSeconds: minutes(r.restore),
      })),
    calendar: { addHolidays: dates(addHolidays), removeHolidays: dates(removeHolidays) },
  });
  const run = useMutation({ mutationFn: (b: WhatIfBody) => data(api.POST('/api/v1/sla/what-if', { body: b })) });
  const pdf = useMutation({
    mutationFn: async (b: WhatIfBody) => {
      const res = await fetch(`/api/v1/sla/what-if/report.pdf?locale=${reportLocale(locale)}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${session.token() ?? ''}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(b),
      });
      if (!res.ok) {
        const error = ((await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string; details?: unknown } }).error;
        throw new ApiError(res.status, error?.code ?? 'ERROR', error?.message ?? res.statusText, error?.details ?? null);
      }
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([await res.arrayBuffer()], { type: 'application/pdf' }));
      link.download = `sla-what-if-${b.from}-${b.to}.pdf`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    },
  });
  const problems = problemsByField(run.error ?? pdf.error);
  const set = (i: number, patch: Partial<Row>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate(body());
  };
  if (!can('postSlaWhatIf')) return <p role="alert">{t('rv_whatIfNotAllowed')}</p>;
  const result = run.data;
  return (
    <main className="reviews what-if">
      <h1>{t('rv_whatIf')}</h1>
      <AreaNav />
      <p className="hint">{t('rv_whatIfHint')}</p>
      <form onSubmit={submit} aria-label={t('rv_whatIf')}>
        <fieldset>
          <legend>{t('rv_kpiPeriod')}</legend>
          <label>
            {t('rv_kpiFrom')} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-invalid={problems.has('from')} />
          </label>
          <label>
            {t('rv_kpiTo')} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-invalid={problems.has('to')} />
          </label>
          {(problems.get('from') ?? problems.get('to')) && <p role="alert">{problems.get('from') ?? problems.get('to')}</p>}
        </fieldset>
        <table className="what-if-policies">
          <caption>{t('rv_whatIfCandidate')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('rv_whatIfUse')}</th>
              <th scope="col">{t('colSeverity')}</th>
              <th scope="col">{t('rv_whatIfClock')}</th>
              <th scope="col">{t('rv_whatIfResponseMinutes')}</th>
              <th scope="col">{t('rv_whatIfRestoreMinutes')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const name = `${r.severity} ${t(`rv_complexity_${r.complexity}` as MessageKey)}`;
              return (
                <tr key={`${r.severity}/${r.complexity}`}>
                  <td>
                    <input type="checkbox" checked={r.on} onChange={(e) => set(i, { on: e.target.checked })} aria-label={`${t('rv_whatIfUse')}: ${name}`} />
                  </td>
                  <th scope="row">{name}</th>
                  <td>
                    <select value={r.clock} onChange={(e) => set(i, { clock: e.target.value as Row['clock'] })} aria-label={`${t('rv_whatIfClock')}: ${name}`}>
                      <option value="24x7">24×7</option>
                      <option value="business">{t('rv_whatIfBusiness')}</option>
                    </select>
                  </td>
                  <td>
                    <input
                      inputMode="decimal"
                      value={r.response}
                      onChange={(e) => set(i, { response: e.target.value })}
                      aria-label={`${t('rv_whatIfResponseMinutes')}: ${name}`}
                    />
                  </td>
                  <td>
                    <input
                      inputMode="decimal"
                      value={r.restore}
                      onChange={(e) => set(i, { restore: e.target.value })}
                      aria-label={`${t('rv_whatIfRestoreMinutes')}: ${name}`}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {[...problems.entries()]
          .filter(([p]) => p.startsWith('policies') || p.startsWith('calendar') || p === '(body)')
          .map(([p, m]) => (
            <p role="alert" key={p}>{`${p}: ${m}`}</p>
          ))}
        <label>
          {t('rv_whatIfAddHolidays')} <input value={addHolidays} onChange={(e) => setAdd(e.target.value)} placeholder="2026-08-14, 2026-10-02" />
        </label>
        <label>
          {t('rv_whatIfRemoveHolidays')} <input value={removeHolidays} onChange={(e) => setRemove(e.target.value)} placeholder="2026-09-24" />
        </label>
        <div className="actions">
          <button type="submit" disabled={run.isPending}>
            {run.isPending ? t('rv_whatIfRunning') : t('rv_whatIfRun')}
          </button>
          <button type="button" disabled={pdf.isPending} onClick={() => pdf.mutate(body())}>
            {pdf.isPending ? t('rv_whatIfRendering') : t('rv_whatIfPdf')}
          </button>
        </div>
      </form>
      {run.isError && !problems.size && <p role="alert">{`${t('loadFailed')}: ${run.error.message}`}</p>}
      {result && <WhatIfAnswer result={result} />}
    </main>
  );
}

function WhatIfAnswer({ result }: { result: WhatIfResult }) {
  const { t, locale } = useI18n();
  const hm = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)}h ${Math.round((s % 3600) / 60)}m` : `${Math.round(s / 60)}m`);
  return (
    <section aria-labelledby="what-if-answer" className="what-if-answer">
      <h2 id="what-if-answer">{`${t('rv_whatIfAnswer')} (${result.incidents}${t('cases')})`}</h2>
      <table className="what-if-groups">
        <caption>{t('rv_whatIfBreaches')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('colSeverity')}</th>
            <th scope="col">{t('rv_kpiIncidents')}</th>
            <th scope="col">{t('rv_whatIfResponseNow')}</th>
            <th scope="col">{t('rv_whatIfResponseCandidate')}</th>
            <th scope="col">{t('rv_whatIfRestoreNow')}</th>
            <th scope="col">{t('rv_whatIfRestoreCandidate')}</th>
            <th scope="col">{t('rv_whatIfRestoreP90')}</th>
          </tr>
        </thead>
        <tbody>
          {result.groups.map((g) => (
            <tr key={`${g.severity}/${g.complexity}`}>
              <th scope="row">{`${g.severity} ${t(`rv_complexity_${g.complexity}` as MessageKey)}`}</th>
              <td>{g.incidents}</td>
              <td>{g.breachedNow.response}</td>
              <td>{g.breachedCandidate.response}</td>
              <td>{g.breachedNow.restore}</td>
              <td>{g.breachedCandidate.restore}</td>
              <td>{hm(g.restore.p90Seconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('rv_whatIfFlips')}</h3>
      {result.flips.length === 0 ? (
        <p>{t('rv_whatIfNoFlips')}</p>
      ) : (
        <ul className="what-if-flips">
          {result.flips.map((f) => (
            <li key={`${f.incidentId}/${f.clock}`}>
              <strong>{`${f.incidentId} ${f.title}`}</strong> {f.explanation[reportLocale(locale)]}
            </li>
          ))}
        </ul>
      )}
      {result.skipped.length > 0 && (
        <>
          <h3>{t('rv_whatIfSkipped')}</h3>
          <ul>
            {result.skipped.map((s) => (
              <li key={s.incidentId}>{`${s.incidentId}: ${s.reason}`}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
