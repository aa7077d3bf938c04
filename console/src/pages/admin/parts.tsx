import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n';

/** What the admin pages share: a confirm-before-acting button, durations, the way back. */

/**
 * An action that asks first: the button reveals what will happen, with a confirm and a cancel.
 * `label` names the thing acted on for screen readers (several rows have the same button).
 */
export function ConfirmButton({
  action,
  confirm,
  question,
  label,
  busy,
  onConfirm,
}: {
  action: string;
  confirm: string;
  question: string;
  label: string;
  busy?: boolean;
  onConfirm: () => void;
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className="danger-outline" aria-label={`${action}: ${label}`} onClick={() => setAsking(true)}>
        {action}
      </button>
    );
  return (
    <span className="confirm" role="group" aria-label={`${question} ${label}`}>
      <span>{question}</span>{' '}
      <button
        type="button"
        className="danger"
        disabled={busy}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirm}
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>
        {t('adm_cancel')}
      </button>
    </span>
  );
}

/** 4h 30m as "4시간 30분" / "4 h 30 min": days, hours, minutes, and seconds only when there are some. */
export function useDuration(): (seconds: number | null | undefined) => string {
  const { t } = useI18n();
  return (seconds) => {
    if (seconds === null || seconds === undefined) return t('adm_none');
    const parts: string[] = [];
    const d = Math.floor(seconds / 86_400);
    const h = Math.floor((seconds % 86_400) / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    if (d) parts.push(`${d}${t('adm_unitDay')}`);
    if (h) parts.push(`${h}${t('adm_unitHour')}`);
    if (m) parts.push(`${m}${t('adm_unitMin')}`);
    if (s || parts.length === 0) parts.push(`${s}${t('adm_unitSec')}`);
    return parts.join(' ');
  };
}

/** The page's top: the way back to the area and its heading. */
export function PageTop({ title, children }: { title: string; children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin">{`← ${t('adm_back')}`}</Link>
      </p>
      <h1>{title}</h1>
      {children}
    </>
  );
}

/** A failed read: the role's refusal said plainly, anything else with the API's message. */
export function LoadError({ error }: { error: Error }) {
  const { t } = useI18n();
  const forbidden = error instanceof ApiError && error.status === 403;
  return <p role="alert">{forbidden ? t('adm_forbidden') : `${t('loadFailed')}: ${error.message}`}</p>;
}

/** The problems a form's fields cannot show: what names none of them, above the form. */
export function Unplaced({ problems, fields, error }: { problems: Map<string, string>; fields: readonly string[]; error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const rest = [...problems].filter(([path]) => !fields.includes(path));
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="form-problems">
      <p>{problems.size > 0 ? t('adm_fixFields') : message}</p>
      {rest.length > 0 && (
        <ul>
          {rest.map(([path, text]) => (
            <li key={path}>{`${path}: ${text}`}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
