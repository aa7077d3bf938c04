import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Field } from '../../components/field';
import { useI18n } from '../../i18n';
import { seoulToday } from '../../seoul';
import { complaints, FormAlert } from './parts';
import type { ContractRequest } from './types';

const FIELDS = ['contractNo', 'carrier', 'monthlyFee', 'termMonths', 'signedAt'];

/** The carrier contract's fields (약정/계약), as the contract form and the batch request take them. */
export function useContractFields(prefix = '') {
  const [contract, setContract] = useState({ contractNo: '', carrier: '', monthlyFee: '', termMonths: '24', signedAt: seoulToday() });
  const body: ContractRequest = {
    contractNo: contract.contractNo,
    carrier: contract.carrier,
    monthlyFee: Number(contract.monthlyFee),
    termMonths: Number(contract.termMonths),
    signedAt: contract.signedAt,
  };
  const fields = FIELDS.map((f) => `${prefix}${f}`);
  return { contract, setContract, body, fields };
}

export function ContractFields({
  value,
  onChange,
  error,
  prefix = '',
}: {
  value: ReturnType<typeof useContractFields>['contract'];
  onChange: (next: ReturnType<typeof useContractFields>['contract']) => void;
  error: (field: string) => string | undefined;
  prefix?: string;
}) {
  const { t } = useI18n();
  const set = (key: keyof typeof value) => (e: { target: { value: string } }) => onChange({ ...value, [key]: e.target.value });
  return (
    <div className="form-grid">
      <Field label={t('ln_contractNo')} error={error(`${prefix}contractNo`)}>
        <input name="contractNo" value={value.contractNo} onChange={set('contractNo')} required />
      </Field>
      <Field label={t('ln_carrier')} error={error(`${prefix}carrier`)}>
        <input name="carrier" value={value.carrier} onChange={set('carrier')} required list="carriers" />
      </Field>
      <datalist id="carriers">
        <option value="KT" />
        <option value="SK브로드밴드" />
        <option value="LG U+" />
      </datalist>
      <Field label={t('ln_monthlyFee')} error={error(`${prefix}monthlyFee`)}>
        <input name="monthlyFee" type="number" min={0} inputMode="numeric" value={value.monthlyFee} onChange={set('monthlyFee')} required />
      </Field>
      <Field label={t('ln_termMonths')} error={error(`${prefix}termMonths`)}>
        <input name="termMonths" type="number" min={1} max={120} inputMode="numeric" value={value.termMonths} onChange={set('termMonths')} required />
      </Field>
      <Field label={t('ln_signedAt')} error={error(`${prefix}signedAt`)}>
        <input name="signedAt" type="date" value={value.signedAt} onChange={set('signedAt')} required />
      </Field>
    </div>
  );
}

/** Records a carrier contract (a line's or a batch's): the API's complaints beside the fields. */
export function ContractForm<T>({
  title,
  hint,
  submit,
  done,
}: {
  title: string;
  hint?: string;
  submit: (body: ContractRequest) => Promise<T>;
  done: (answer: T) => void;
}) {
  const { t } = useI18n();
  const { contract, setContract, body, fields } = useContractFields();
  const record = useMutation({ mutationFn: () => submit(body), onSuccess: done });
  const c = complaints(record.error, fields);
  return (
    <form
      className="action contract-form"
      aria-label={title}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        record.mutate();
      }}
    >
      <h3>{title}</h3>
      {hint && <p className="hint">{hint}</p>}
      <FormAlert messages={c.rest} />
      <ContractFields value={contract} onChange={setContract} error={c.at} />
      <button type="submit" disabled={record.isPending}>
        {t('ln_recordContract')}
      </button>
    </form>
  );
}
