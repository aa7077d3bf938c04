import { FormAlert as SharedFormAlert } from '../../components/form-alert';
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

export { useKrw } from '../../components/money';
export { describeDetails } from '../../components/history-table';

/** A status in words, coloured by its group (never by colour alone); the code stays in data-status. */
export function StatusBadge({ status }: { status: BillStatus }) {
  const label = useLabels().status(status);
  return (
    <span className={`bill-status ${status}`} data-status={status}>
      {label}
    </span>
  );
}

/** An action's refusal in words above its form (a 409: the bill has moved on). */
export function FormAlert(props: { error: Error | null; problems: Map<string, string>; fields: string[] }) {
  const { t } = useI18n();
  return <SharedFormAlert {...props} refused={t('bill_refused')} failed={t('bill_actionFailed')} />;
}

/** A whole number typed into a form, as the API takes it: '' is absent, anything else is sent for the API to judge. */
export function amountOf(typed: string): number | undefined {
  const trimmed = typed.replaceAll(',', '').trim();
  return trimmed === '' ? undefined : Number(trimmed);
}
