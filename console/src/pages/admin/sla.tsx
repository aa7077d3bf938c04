import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, data } from '../../api/client';
import { columnsOf, DataTable, type Columns } from '../../components/data-table';
import { Field } from '../../components/field';
import { problemsByField } from '../../components/problems';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { useCan } from '../../me';
import { formatInstant } from '../../time';
import { LoadError, PageTop, Unplaced, useDuration } from './parts';
import type { ClockKind, Complexity, Policy, PolicyBody, Severity } from './types';

const CLOCKS: readonly ClockKind[] = ['24x7', 'business'];
const POLICY_FIELDS = ['clock', 'responseTargetSeconds', 'restoreTargetSeconds', 'statusReportIntervalSeconds'] as const;
const column = columnsOf<Policy>();

export function usePolicies() {
  return useQuery({ queryKey: ['sla-policies'], queryFn: () => data(api.GET('/api/v1/sla-policies')) });
}

/** Minutes typed → seconds for the API; what is not a number goes as is (null), for the API to name. */
const minutesToSeconds = (v: string): number => (v.trim() === '' ? Number.NaN : Math.round(Number(v) * 60));
const secondsToMinutes = (s: number | null | undefined): string => (s === null || s === undefined ? '' : String(s / 60));

/** The SLA policies (severity × complexity), their targets and calendar; the auto-close delay. */
export function SlaPage() {
  const { t, locale } = useI18n();
  const can = useCan();
  const duration = useDuration();
  const policies = usePolicies();
  const canEdit = can('putSlaPoliciesBySeverityByComplexity');
  const columns = useMemo<Columns<Policy>>(
    () => [
      column.accessor('severity', { header: t('adm_colSeverity') }),
      column.accessor('complexity', { header: t('adm_colComplexity'), cell: ({ row }) => t(`adm_complexity_${row.original.complexity}` as MessageKey) }),
      column.accessor('responseTargetSeconds', { header: t('adm_colResponse'), cell: ({ row }) => duration(row.original.responseTargetSeconds) }),
      column.accessor('restoreTargetSeconds', { header: t('adm_colRestore'), cell: ({ row }) => duration(row.original.restoreTargetSeconds) }),
      column.accessor('statusReportIntervalSeconds', {
        header: t('adm_colStatusReport'),
        cell: ({ row }) => duration(row.original.statusReportIntervalSeconds),
      }),
      column.accessor('clock', { header: t('adm_colCalendar'), cell: ({ row }) => t(`adm_clock_${row.original.clock}` as MessageKey) }),
      column.accessor('updatedAt', {
        header: t('adm_colUpdated'),
        cell: ({ row }) => `${formatInstant(row.original.updatedAt, locale)}${row.original.updatedBy ? ` · ${row.original.updatedBy}` : ''}`,
      }),
      ...(canEdit
        ? [
            column.display({
              id: 'actions',
              header: t('adm_colActions'),
              cell: ({ row }) => (
                <Link
                  className="button-link"
                  to={`/admin/sla/${row.original.severity}/${row.original.complexity}`}
                  aria-label={`${t('adm_edit')}: ${row.original.severity} ${t(`adm_complexity_${row.original.complexity}` as MessageKey)}`}
                >
                  {t('adm_edit')}
                </Link>
              ),
            }),
          ]
        : []),
    ],
    [t, locale, canEdit, duration],
  );
  return (
    <main>
      <PageTop title={t('adm_sla')}>
        <p className="note" role="note">
          {t('adm_appliesLater')}
        </p>
      </PageTop>
      {policies.isPending && <p>{t('loading')}</p>}
      {policies.isError && <LoadError error={policies.error} />}
      {policies.data && (
        <>
          <DataTable className="admin-table sla-policies" rows={policies.data.items} columns={columns} rowId={(p) => `${p.severity}-${p.complexity}`} />
          <AutoClose seconds={policies.data.autoCloseAfterSeconds} canEdit={can('putSlaPoliciesAutoClose')} />
        </>
      )}
    </main>
  );
}

function AutoClose({ seconds, canEdit }: { seconds: number; canEdit: boolean }) {
  const { t } = useI18n();
  const duration = useDuration();
  const queries = useQueryClient();
  const [hours, setHours] = useState(String(seconds / 3600));
  const save = useMutation({
    mutationFn: (afterSeconds: number) => data(api.PUT('/api/v1/sla-policies/auto-close', { body: { afterSeconds } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['sla-policies'] }),
  });
  const problems = problemsByField(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(hours.trim() === '' ? Number.NaN : Math.round(Number(hours) * 3600));
  };
  return (
    <section aria-labelledby="auto-close-title" className="panel">
      <h2 id="auto-close-title">{t('adm_autoClose')}</h2>
      <p>{t('adm_autoCloseIntro')}</p>
      <p>
        {`${t('adm_autoCloseCurrent')}: `}
        <strong className="auto-close-now">{duration(seconds)}</strong>
      </p>
      {canEdit && (
        <form className="admin-form inline" onSubmit={submit} noValidate>
          <Unplaced problems={problems} fields={['afterSeconds']} error={save.error} />
          <Field label={t('adm_fieldAutoCloseHours')} error={problems.get('afterSeconds')}>
            <input name="afterHours" type="number" step="any" inputMode="decimal" value={hours} onChange={(e) => setHours(e.target.value)} />
          </Field>
          <button type="submit" disabled={save.isPending}>
            {t('adm_save')}
          </button>
          {save.isSuccess && (
            <p role="status" className="saved">
              {t('adm_saved')}
            </p>
          )}
        </form>
      )}
    </section>
  );
}

/** One policy's form (/admin/sla/P1/complex): the API's complaint beside each field. */
export function PolicyEditPage() {
  const { severity = '', complexity = '' } = useParams();
  const { t } = useI18n();
  const policies = usePolicies();
  const policy = policies.data?.items.find((p) => p.severity === severity && p.complexity === complexity);
  const named = complexity === 'simple' || complexity === 'complex' ? t(`adm_complexity_${complexity}`) : complexity;
  const title = `${t('adm_editPolicy')}: ${severity} ${named}`;
  return (
    <main>
      <p className="breadcrumb">
        <Link to="/admin/sla">{`← ${t('adm_sla')}`}</Link>
      </p>
      <h1>{title}</h1>
      <p className="note" role="note">
        {t('adm_appliesLater')}
      </p>
      {policies.isPending && <p>{t('loading')}</p>}
      {policies.isError && <LoadError error={policies.error} />}
      {policies.data && !policy && <p role="alert">{t('notFound')}</p>}
      {policy && <PolicyForm key={`${policy.severity}-${policy.complexity}-${policy.updatedAt}`} policy={policy} />}
    </main>
  );
}

function PolicyForm({ policy }: { policy: Policy }) {
  const { t } = useI18n();
  const can = useCan();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [clock, setClock] = useState<ClockKind>(policy.clock);
  const [response, setResponse] = useState(secondsToMinutes(policy.responseTargetSeconds));
  const [restore, setRestore] = useState(secondsToMinutes(policy.restoreTargetSeconds));
  const [report, setReport] = useState(secondsToMinutes(policy.statusReportIntervalSeconds));
  const save = useMutation({
    mutationFn: (body: PolicyBody) =>
      data(
        api.PUT('/api/v1/sla-policies/{severity}/{complexity}', {
          params: { path: { severity: policy.severity as Severity, complexity: policy.complexity as Complexity } },
          body,
        }),
      ),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['sla-policies'] });
      void navigate('/admin/sla');
    },
  });
  const problems = problemsByField(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      clock,
      responseTargetSeconds: minutesToSeconds(response),
      restoreTargetSeconds: minutesToSeconds(restore),
      statusReportIntervalSeconds: report.trim() === '' ? null : minutesToSeconds(report),
    });
  };
  if (!can('putSlaPoliciesBySeverityByComplexity')) return <p role="alert">{t('adm_forbidden')}</p>;
  return (
    <form className="admin-form" onSubmit={submit} noValidate aria-label={t('adm_editPolicy')}>
      <Unplaced problems={problems} fields={POLICY_FIELDS} error={save.error} />
      <Field label={t('adm_fieldClock')} error={problems.get('clock')}>
        <select name="clock" value={clock} onChange={(e) => setClock(e.target.value as ClockKind)}>
          {CLOCKS.map((c) => (
            <option key={c} value={c}>
              {t(`adm_clock_${c}` as MessageKey)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('adm_fieldResponseMin')} error={problems.get('responseTargetSeconds')}>
        <input name="responseMinutes" type="number" step="any" inputMode="decimal" value={response} onChange={(e) => setResponse(e.target.value)} />
      </Field>
      <Field label={t('adm_fieldRestoreMin')} error={problems.get('restoreTargetSeconds')}>
        <input name="restoreMinutes" type="number" step="any" inputMode="decimal" value={restore} onChange={(e) => setRestore(e.target.value)} />
      </Field>
      <Field label={t('adm_fieldStatusReportMin')} error={problems.get('statusReportIntervalSeconds')}>
        <input name="statusReportMinutes" type="number" step="any" inputMode="decimal" value={report} onChange={(e) => setReport(e.target.value)} />
      </Field>
      <div className="form-actions">
        <button type="submit" disabled={save.isPending}>
          {t('adm_save')}
        </button>
        <Link to="/admin/sla">{t('adm_cancel')}</Link>
      </div>
    </form>
  );
}
