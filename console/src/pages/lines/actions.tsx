import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, data } from '../../api/client';
import { Field } from '../../components/field';
import { useI18n } from '../../i18n';
import { useCan } from '../../me';
import { formatInstant } from '../../time';
import { ContractForm } from './contract-form';
import { SettlementFacts } from './settlement';
import { seoulToday } from '../../seoul';
import { complaints, FormAlert, Section } from './parts';
import type { Line } from './types';

/**
 * The actions valid now on the line for the signed-in role (the operations /api/v1/me lists, and the
 * statuses each is allowed from); the server still refuses what it must. None shown: no section.
 */
export function LineActions({ line }: { line: Line }) {
  const { t } = useI18n();
  const can = useCan();
  const queries = useQueryClient();
  const done = (answer: Line) => {
    queries.setQueryData(['line', line.id], answer);
    void queries.invalidateQueries({ queryKey: ['lines'] });
    void queries.invalidateQueries({ queryKey: ['line', line.id] });
  };
  const path = { params: { path: { id: line.id } } };
  const s = line.status;
  const forms: ReactNode[] = [];
  if (s === 'PENDING_CONTRACT' && can('postLinesByIdContract'))
    forms.push(
      <ContractForm
        key="contract"
        title={t('ln_recordContract')}
        submit={(body) => data(api.POST('/api/v1/lines/{id}/contract', { ...path, body }))}
        done={done}
      />,
    );
  if (s === 'PENDING_CONTRACT' && can('postLinesByIdCancel'))
    forms.push(
      <ReasonForm
        key="cancel"
        title={t('ln_cancelProvisioning')}
        label={t('ln_cancelReason')}
        field="reason"
        required
        submit={(reason) => data(api.POST('/api/v1/lines/{id}/cancel', { ...path, body: { reason } }))}
        done={done}
      />,
    );
  if (s === 'ACTIVE' && can('postLinesByIdTermination')) forms.push(<TerminationForm key="terminate" line={line} done={done} />);
  if (s === 'ACTIVE' && can('getLinesByIdSipCredentials')) forms.push(<SipCredentialsView key="sip" id={line.id} />);
  if (s === 'TERMINATION_SCHEDULED' && can('postLinesByIdTerminationCancel'))
    forms.push(
      <ReasonForm
        key="withdraw"
        title={t('ln_withdrawTermination')}
        label={t('ln_withdrawReason')}
        field="reason"
        required
        submit={(reason) => data(api.POST('/api/v1/lines/{id}/termination/cancel', { ...path, body: { reason } }))}
        done={done}
      />,
    );
  if (s === 'TERMINATING' && !line.termination?.equipmentReturnedAt && can('postLinesByIdEquipmentReturned'))
    forms.push(
      <ReasonForm
        key="equipment"
        title={t('ln_equipmentReturned')}
        label={t('ln_note')}
        field="note"
        submit={(note) => data(api.POST('/api/v1/lines/{id}/equipment-returned', { ...path, body: note ? { note } : {} }))}
        done={done}
      />,
    );
  if (s === 'TERMINATION_FAILED' && can('postLinesByIdTerminationRetry'))
    forms.push(
      <ReasonForm
        key="retry"
        title={t('ln_retryTermination')}
        label={t('ln_note')}
        field="note"
        submit={(note) => data(api.POST('/api/v1/lines/{id}/termination/retry', { ...path, body: note ? { note } : {} }))}
        done={done}
      />,
    );
  if (!forms.length) return null;
  return (
    <Section id="actions-title" title={t('ln_actions')}>
      <div className="actions">{forms}</div>
    </Section>
  );
}

/** An action that takes one text (a reason, required; or a note, optional). */
function ReasonForm({
  title,
  label,
  field,
  required = false,
  submit,
  done,
}: {
  title: string;
  label: string;
  field: string;
  required?: boolean;
  submit: (text: string) => Promise<Line>;
  done: (answer: Line) => void;
}) {
  const [text, setText] = useState('');
  const act = useMutation({ mutationFn: () => submit(text.trim()), onSuccess: done });
  const c = complaints(act.error, [field]);
  return (
    <form
      className="action"
      aria-label={title}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        act.mutate();
      }}
    >
      <h3>{title}</h3>
      <FormAlert messages={c.rest} />
      <Field label={label} error={c.at(field)}>
        <textarea name={field} rows={2} value={text} onChange={(e) => setText(e.target.value)} required={required} />
      </Field>
      <button type="submit" disabled={act.isPending}>
        {title}
      </button>
    </form>
  );
}

/**
 * Termination (해지): the reason and the effective date, then the settlement for that date as the
 * termination will compute it (GET …/termination/settlement), and only then the confirmation.
 */
function TerminationForm({ line, done }: { line: Line; done: (answer: Line) => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [effectiveDate, setEffectiveDate] = useState(seoulToday);
  const [previewDate, setPreviewDate] = useState<string | null>(null);
  const preview = useQuery({
    queryKey: ['line-settlement', line.id, previewDate],
    queryFn: () =>
      data(api.GET('/api/v1/lines/{id}/termination/settlement', { params: { path: { id: line.id }, query: { effectiveDate: previewDate ?? undefined } } })),
    enabled: previewDate !== null,
  });
  const terminate = useMutation({
    mutationFn: () => data(api.POST('/api/v1/lines/{id}/termination', { params: { path: { id: line.id } }, body: { reason: reason.trim(), effectiveDate } })),
    onSuccess: done,
  });
  const c = complaints(terminate.error ?? preview.error, ['reason', 'effectiveDate', 'query.effectiveDate']);
  const shown = previewDate === effectiveDate && preview.data?.effectiveDate === effectiveDate ? preview.data : undefined;
  return (
    <form
      className="action termination-form"
      aria-label={t('ln_terminate')}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        if (shown) terminate.mutate();
        else setPreviewDate(effectiveDate);
      }}
    >
      <h3>{t('ln_terminate')}</h3>
      <FormAlert messages={c.rest} />
      <Field label={t('ln_terminationReason')} error={c.at('reason')}>
        <textarea name="reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} required />
      </Field>
      <Field label={t('ln_effectiveDate')} error={c.at('effectiveDate') ?? c.at('query.effectiveDate')}>
        <input name="effectiveDate" type="date" value={effectiveDate} onChange={(e) => setEffectiveDate(e.target.value)} required />
      </Field>
      <p className="hint">{t('ln_scheduledNote')}</p>
      {shown ? (
        <div className="settlement-preview" role="region" aria-label={t('ln_settlement')}>
          <h4>{t('ln_settlement')}</h4>
          <SettlementFacts settlement={shown} />
          <button type="submit" className="danger" disabled={terminate.isPending}>
            {t('ln_confirmTerminate')}
          </button>
        </div>
      ) : (
        <>
          <p className="hint">{t('ln_settlementFirst')}</p>
          <button type="submit" disabled={preview.isFetching}>
            {t('ln_showSettlement')}
          </button>
        </>
      )}
    </form>
  );
}

/** The SIP account of an ACTIVE line, handed out once: shown here, then Butler forgets the password. */
function SipCredentialsView({ id }: { id: string }) {
  const { t, locale } = useI18n();
  // The password is kept by this view only while it is shown: gone from the cache as soon as the view is.
  const collect = useMutation({ gcTime: 0, mutationFn: () => data(api.GET('/api/v1/lines/{id}/sip-credentials', { params: { path: { id } } })) });
  const gone =
    collect.error instanceof ApiError && collect.error.status === 410 ? (collect.error.details as { collectedBy?: string; collectedAt?: string }) : null;
  return (
    <div className="action sip">
      <h3>{t('ln_sip')}</h3>
      {collect.data ? (
        <>
          <p className="hint" role="status">
            {t('ln_sipOnce')}
          </p>
          <dl className="facts sip-credentials">
            <dt>{t('ln_sipUser')}</dt>
            <dd>{collect.data.username}</dd>
            <dt>{t('ln_sipDomain')}</dt>
            <dd>{collect.data.domain}</dd>
            <dt>{t('ln_sipPassword')}</dt>
            <dd>
              <code>{collect.data.password}</code>
            </dd>
          </dl>
        </>
      ) : (
        <>
          {gone && <p role="alert">{`${t('ln_sipGone')}: ${gone.collectedBy ?? ''} · ${formatInstant(gone.collectedAt, locale)}`}</p>}
          {collect.error && !gone && <p role="alert">{`${t('loadFailed')}: ${collect.error.message}`}</p>}
          <button type="button" disabled={collect.isPending || gone !== null} onClick={() => collect.mutate()}>
            {t('ln_sipShow')}
          </button>
        </>
      )}
    </div>
  );
}
