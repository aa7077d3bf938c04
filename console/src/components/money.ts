import { useI18n } from '../i18n';

/** An amount in KRW as people write it: 12,340원 (12,340 KRW in English). The lines' and the bills' pages. */
export function useKrw(): (amount: number) => string {
  const { t, locale } = useI18n();
  return (amount) => `${new Intl.NumberFormat(locale).format(amount)}${locale.startsWith('ko') ? '' : ' '}${t('krw')}`;
}
