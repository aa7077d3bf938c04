import { ApiError } from '../api/client';
import { useI18n } from '../i18n';

/** A record's page until its read arrives: loading, not found (a 404), or why the read failed. */
export function UnreadPage({ error }: { error: Error | null }) {
  const { t } = useI18n();
  if (!error) return <main>{t('loading')}</main>;
  const gone = error instanceof ApiError && error.status === 404;
  return <main role="alert">{gone ? t('notFound') : `${t('loadFailed')}: ${error.message}`}</main>;
}
