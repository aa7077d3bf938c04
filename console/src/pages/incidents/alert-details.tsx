import { Link } from 'react-router';
import { useI18n } from '../../i18n';

/** What the timeline keeps of a monitoring alert (domain AlertReference): its labels and the link to where it fired. */
interface AlertDetailsProps {
  alert: { status?: string; labels?: Record<string, string>; generatorURL?: string | null; endsAt?: string | null };
  similarTo?: string;
}

/** A monitoring alert on the timeline: firing or resolved, its labels, and a link to the expression in Prometheus (or Grafana). */
export function AlertDetails({ alert, similarTo }: AlertDetailsProps) {
  const { t } = useI18n();
  // Sorted by name, as Prometheus and Alertmanager show them (stored JSON keeps no order).
  const labels = Object.entries(alert.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return (
    <div className="alert-details">
      <strong>{alert.status === 'resolved' ? t('alert_resolved') : t('alert_firing')}</strong>
      <ul className="labels" aria-label={t('alert_labels')}>
        {labels.map(([k, v]) => (
          <li key={k}>
            <code>
              {k}={v}
            </code>
          </li>
        ))}
      </ul>
      {alert.generatorURL && /^https?:\/\//.test(alert.generatorURL) && (
        <a href={alert.generatorURL} target="_blank" rel="noreferrer noopener">
          {t('alert_source')}
        </a>
      )}
      {similarTo && (
        <p>
          {t('alert_similarTo')} <Link to={`/incidents/${similarTo}`}>{similarTo}</Link>
        </p>
      )}
    </div>
  );
}

/** The alert a timeline entry carries, when it carries one (opened by monitoring, or an `alert` entry). */
export function alertOf(details: Record<string, unknown> | undefined): AlertDetailsProps | undefined {
  const alert = details?.alert;
  if (!alert || typeof alert !== 'object') return undefined;
  return { alert: alert as AlertDetailsProps['alert'], similarTo: typeof details?.similarTo === 'string' ? details.similarTo : undefined };
}
