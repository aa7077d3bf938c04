import { useI18n } from '../../i18n';
import { useKrw } from './parts';
import type { Settlement } from './types';

/** A settlement (정산): the early-termination fee for an effective date and how it was reckoned. */
export function SettlementFacts({ settlement }: { settlement: Settlement }) {
  const { t } = useI18n();
  const krw = useKrw();
  return (
    <dl className="facts settlement">
      <dt>{t('ln_effectiveDate')}</dt>
      <dd>{settlement.effectiveDate}</dd>
      <dt>{t('ln_termEndDate')}</dt>
      <dd>{settlement.termEndDate ?? '—'}</dd>
      <dt>{t('ln_remainingMonths')}</dt>
      <dd>{settlement.remainingMonths}</dd>
      <dt>{t('ln_monthlyFee')}</dt>
      <dd>{krw(settlement.monthlyFee)}</dd>
      <dt>{t('ln_earlyTerminationFee')}</dt>
      <dd className="fee">{krw(settlement.earlyTerminationFee)}</dd>
      <dt>{t('ln_rule')}</dt>
      <dd>{settlement.rule}</dd>
    </dl>
  );
}
