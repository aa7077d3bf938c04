import type { ReactNode } from 'react';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { formatInstant } from '../../time';
import type { Approver, Change, ChangeStatus, ChangeType, RetroStatus } from './types';

/** What the change pages share: status by colour and by text, labels for the API's codes, a value shown as it is. */

export function useLabels() {
  const { t } = useI18n();
  return {
    status: (s: ChangeStatus) => t(`changeStatus_${s}` as MessageKey),
    type: (type: ChangeType) => t(`changeType_${type}` as MessageKey),
    approver: (a: Approver) => t(`changeApprover_${a}` as MessageKey),
    retro: (r: RetroStatus) => t(`changeRetro_${r}` as MessageKey),
  };
}

/** A status in words, coloured by its group (never by colour alone); the code stays in data-status. */
export function StatusBadge({ status }: { status: ChangeStatus }) {
  const label = useLabels().status(status);
  return (
    <span className={`change-status ${status}`} data-status={status}>
      {label}
    </span>
  );
}

export function EmergencyMark({ emergency }: { emergency?: boolean }) {
  const { t } = useI18n();
  return emergency ? <span className="change-emergency">{`⚡ ${t('changeEmergency')}`}</span> : null;
}

/** The customer's approval after an emergency change, in words (flagged when missing or refused). */
export function RetroMark({ change }: { change: Pick<Change, 'emergency' | 'retroApproval'> }) {
  const { locale } = useI18n();
  const labels = useLabels();
  const retro = change.retroApproval;
  if (!change.emergency || !retro) return <>{'—'}</>;
  const flagged = retro.status === 'missing' || retro.status === 'rejected';
  return (
    <span className={`change-retro ${retro.status}`} data-retro={retro.status}>
      {`${flagged ? '⚠ ' : ''}${labels.retro(retro.status)}`}
      {retro.status === 'pending' ? ` (~${formatInstant(retro.dueBy, locale)})` : ''}
    </span>
  );
}

/** A window as its start and end in Asia/Seoul. */
export function windowText(window: { start: string; end: string }, locale: string): string {
  return `${formatInstant(window.start, locale)} – ${formatInstant(window.end, locale)}`;
}

/** A choice for a list's filter whose options have labels (the URL keeps the value). */
export function ChoiceFilter({
  label,
  value,
  options,
  onChange,
  any,
}: {
  label: string;
  value: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  onChange: (v: string) => void;
  any: string;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A value read from a vendor or recorded in a history (a snapshot, a check's expectation), shown as nested lists. */
export function Value({ value }: { value: unknown }): ReactNode {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return (
      <ol className="value-list">
        {value.map((v, n) => (
          <li key={n}>
            <Value value={v} />
          </li>
        ))}
      </ol>
    );
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return (
      <dl className="value-map">
        {entries.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>
              <Value value={v} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return String(value);
}
