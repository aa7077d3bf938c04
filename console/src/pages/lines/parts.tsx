import type { ReactNode } from 'react';
import { ApiError } from '../../api/client';
import { problemsByField } from '../../components/problems';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import type { LineStatus } from './types';

/** What the lines pages share: status labels, money, the API's complaints. */

export function StatusBadge({ status }: { status: LineStatus }) {
  const { t } = useI18n();
  return <span className={`line-status ${status}`} data-status={status}>{`${t(`ln_status_${status}` as MessageKey)}`}</span>;
}

export { useKrw } from '../../components/money';
export { describeDetails } from '../../components/history-table';

/**
 * The API's complaint as a form shows it: each problem goes to the form's field whose path is the
 * longest prefix of the problem's (`agent.skills.1.name` → `agent.skills`; `lines.3.dn` →
 * `lines.3.dn`), `at(field)` gives its message; `rest` is what no field takes, for the alert above.
 */
export function complaints(error: unknown, fields: readonly string[]): { at: (field: string) => string | undefined; rest: string[] } {
  const byField = new Map<string, string[]>();
  const rest: string[] = [];
  const all = problemsByField(error);
  for (const [path, message] of all) {
    const field = fields.filter((f) => path === f || path.startsWith(`${f}.`)).sort((a, b) => b.length - a.length)[0];
    if (field) byField.set(field, [...(byField.get(field) ?? []), message]);
    else rest.push(path === '(body)' ? message : `${path}: ${message}`);
  }
  if (!all.size && error instanceof Error) rest.push(error instanceof ApiError ? `${error.status} ${error.message}` : error.message);
  return { at: (field) => byField.get(field)?.join('; '), rest };
}

/** What the API said that no field of the form names, above the form. */
export function FormAlert({ messages }: { messages: string[] }) {
  const { t } = useI18n();
  if (!messages.length) return null;
  return (
    <div role="alert" className="form-alert">
      <strong>{t('ln_problems')}</strong>
      <ul>
        {messages.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </div>
  );
}

export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="line-section">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
