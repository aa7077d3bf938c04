import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/ko';
import { formatInstant } from '../time';

/** An event of a process's history, as every read model lists them (incident, change, line). */
interface HistoryEvent {
  seq: number;
  at: string;
  type: string;
  actor: { id: string; role: string };
}

const HEADERS: readonly MessageKey[] = ['at', 'event', 'actor', 'details'];

/**
 * A process's history in the order the API lists it, one row an event: when (in Seoul), what, who, and
 * its details. Each page says what an event and its details read as; the row carries the event's code.
 */
export function HistoryTable<E extends HistoryEvent>({
  className,
  events,
  what = (e) => e.type,
  details,
  detailsClass,
  headers = HEADERS,
}: {
  className: string;
  events: readonly E[];
  what?: (event: E) => ReactNode;
  details: (event: E) => ReactNode;
  detailsClass?: string;
  /** The column headings, when an area words them its own way. */
  headers?: readonly MessageKey[];
}) {
  const { t, locale } = useI18n();
  return (
    <table className={className}>
      <thead>
        <tr>
          {headers.map((h) => (
            <th key={h} scope="col">
              {t(h)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.seq}>
            <td>{formatInstant(e.at, locale)}</td>
            <td data-type={e.type}>{what(e)}</td>
            <td>{`${e.actor.id} (${e.actor.role})`}</td>
            <td className={detailsClass}>{details(e)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Details of a history event, readable: `key: value` pairs (nested values as compact JSON). */
export function describeDetails(details: Record<string, unknown> | undefined): string {
  if (!details) return '';
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)}`)
    .join(' · ');
}
