import { createColumnHelper, tableFeatures, useTable, type ColumnDef, type RowData } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { ApiError } from '../../api/client';
import { problemsByField } from '../../components/problems';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import type { LineStatus } from './types';

/** What the lines pages share: a TanStack table, status labels, money, the API's complaints. */

export const features = tableFeatures({});
export type Features = typeof features;
export const columnsOf = <T extends RowData>() => createColumnHelper<Features, T>();

/** A read-only table over `data` (TanStack Table v9, core features only: the API pages and filters). */
export function DataTable<T extends RowData>({
  data,
  columns,
  rowId,
  className,
  caption,
}: {
  data: T[];
  // The columns' values differ in type; each is checked where it is defined.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: Array<ColumnDef<Features, T, any>>;
  rowId: (row: T) => string;
  className: string;
  caption?: string;
}) {
  const table = useTable({ features, columns, data, getRowId: (row) => rowId(row) });
  return (
    <table className={className}>
      {caption && <caption className="visually-hidden">{caption}</caption>}
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => (
              <th key={header.id} scope="col" colSpan={header.colSpan}>
                {header.isPlaceholder ? null : <table.FlexRender header={header} />}
              </th>
            ))}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id}>
            {row.getAllCells().map((cell) => (
              <td key={cell.id} className={cell.column.id}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function StatusBadge({ status }: { status: LineStatus }) {
  const { t } = useI18n();
  return <span className={`line-status ${status}`} data-status={status}>{`${t(`ln_status_${status}` as MessageKey)}`}</span>;
}

export function useKrw(): (amount: number) => string {
  const { t, locale } = useI18n();
  return (amount) => `${new Intl.NumberFormat(locale).format(amount)}${locale.startsWith('ko') ? '' : ' '}${t('ln_krw')}`;
}

/** Details of a history event, readable: `key: value` pairs (nested values as compact JSON). */
export function describeDetails(details: Record<string, unknown> | undefined): string {
  if (!details) return '';
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)}`)
    .join(' · ');
}

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

/** Today in Asia/Seoul as YYYY-MM-DD (a date field's default: contracts are signed and lines end on Seoul days). */
export function seoulToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
