import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import type { Bill, BillStatus, Dispute, FindingKind } from './types';

/** What the bill pages share: labels for the API's codes, amounts in won, a status in words, a refusal in words. */

export function useLabels() {
  const { t } = useI18n();
  return {
    status: (s: BillStatus) => t(`bill_status_${s}` as MessageKey),
    kind: (k: FindingKind) => t(`bill_kind_${k}` as MessageKey),
    dispute: (s: Dispute['status']) => t(`bill_dispute_${s}` as MessageKey),
    reminder: (k: Bill['reminders'][number]['kind']) => t(`bill_reminder_${k.replace('-', '')}` as MessageKey),
  };
}

/** An amount in KRW as people write it: 12,340원 (12,340 KRW in English). */
export function useKrw(): (amount: number) => string {
  const { t, locale } = useI18n();
  return (amount) => `${new Intl.NumberFormat(locale).format(amount)}${locale.startsWith('ko') ? '' : ' '}${t('bill_krw')}`;
}

/** A status in words, coloured by its group (never by colour alone); the code stays in data-status. */
export function StatusBadge({ status }: { status: BillStatus }) {
  const label = useLabels().status(status);
  return (
    <span className={`bill-status ${status}`} data-status={status}>
      {label}
    </span>
  );
}

/**
 * An action's refusal in words above its form: what the API named for a field of the form shows beside it
 * (Field), the rest here; a 409 says the bill has moved on.
 */
export function FormAlert({ error, problems, fields }: { error: Error | null; problems: Map<string, string>; fields: string[] }) {
  const { t } = useI18n();
  if (!error) return null;
  const mine = (path: string) => fields.some((f) => path === f || path.startsWith(`${f}.`));
  const rest = [...problems].filter(([path]) => !mine(path)).map(([path, m]) => (path === '(body)' ? m : `${path}: ${m}`));
  if (problems.size > 0 && rest.length === 0) return null;
  const status = error instanceof ApiError ? error.status : 0;
  const message = rest.length ? rest.join('; ') : error.message;
  return <p role="alert" className="error">{`${status === 409 ? t('bill_refused') : t('bill_actionFailed')}: ${message}`}</p>;
}

/** A whole number typed into a form, as the API takes it: '' is absent, anything else is sent for the API to judge. */
export function amountOf(typed: string): number | undefined {
  const trimmed = typed.replaceAll(',', '').trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

/** Details of a history event, readable: `key: value` pairs (nested values as compact JSON). */
export function describeDetails(details: Record<string, unknown> | undefined): string {
  if (!details) return '';
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)}`)
    .join(' · ');
}
