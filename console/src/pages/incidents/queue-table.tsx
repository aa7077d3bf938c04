import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { api, data } from '../../api/client';
import type { IncidentRow, Me } from '../../api/types';
import { columnsOf, DataTable } from '../../components/data-table';
import { useI18n } from '../../i18n';
import { bandOf, formatCountdown, useNow } from '../../time';
import { statusLabel } from './labels';

const column = columnsOf<IncidentRow>();

/**
 * The queue's rows (TanStack Table owns the columns; this file the markup): a selection box where
 * the role may assign, the restore countdown ticking in the browser from the absolute due instant.
 */
export function QueueTable({
  rows,
  me,
  canAssign,
  selected,
  onSelect,
}: {
  rows: IncidentRow[];
  me: Me | undefined;
  canAssign: boolean;
  selected: ReadonlySet<string>;
  onSelect: (ids: string[], on: boolean) => void;
}) {
  const { t } = useI18n();
  const columns = useMemo(
    () =>
      column.columns([
        ...(canAssign
          ? [
              column.display({
                id: 'select',
                header: () => (
                  <input
                    type="checkbox"
                    aria-label={t('selectAll')}
                    checked={rows.length > 0 && rows.every((r) => selected.has(r.id))}
                    onChange={(e) =>
                      onSelect(
                        rows.map((r) => r.id),
                        e.target.checked,
                      )
                    }
                  />
                ),
                cell: ({ row }) => (
                  <input
                    type="checkbox"
                    aria-label={`${t('selectRow')} ${row.original.id}`}
                    checked={selected.has(row.original.id)}
                    onChange={(e) => onSelect([row.original.id], e.target.checked)}
                  />
                ),
              }),
            ]
          : []),
        column.accessor('id', { header: t('colId'), cell: ({ row }) => <Link to={`/incidents/${row.original.id}`}>{row.original.id}</Link> }),
        column.accessor('severity', { header: t('colSeverity') }),
        column.accessor('title', { header: t('colTitle') }),
        column.accessor('system', { header: t('colSystem') }),
        column.accessor('center', { header: t('colCenter'), cell: ({ row }) => row.original.center ?? '—' }),
        column.accessor('status', { header: t('colStatus'), cell: ({ row }) => t(statusLabel(row.original.status)) }),
        column.accessor('level', { header: t('colLevel') }),
        column.accessor('assignee', {
          header: t('colAssignee'),
          cell: ({ row }) => <Assignee row={row.original} me={me} canAssign={canAssign} />,
        }),
        column.display({ id: 'restore', header: t('colRestore'), cell: ({ row }) => <Countdown row={row.original} /> }),
      ]),
    [canAssign, me, rows, selected, onSelect, t],
  );
  return (
    <DataTable
      className="queue"
      rows={rows}
      columns={columns}
      rowId={(row) => row.id}
      // The severity cell is coloured by its value.
      cellClass={(id, row) => (id === 'severity' ? `col-severity severity ${row.severity}` : `col-${id}`)}
    />
  );
}

function Assignee({ row, me, canAssign }: { row: IncidentRow; me: Me | undefined; canAssign: boolean }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const assign = useMutation({
    mutationFn: () => data(api.POST('/api/v1/incidents/{id}/assign', { params: { path: { id: row.id } }, body: { assignee: me!.id } })),
    onSettled: () => queries.invalidateQueries({ queryKey: ['incidents'] }),
  });
  if (row.assignee) return <>{row.assignee}</>;
  if (!canAssign || !me || row.status !== 'OPEN') return <>—</>;
  return (
    <button type="button" disabled={assign.isPending} onClick={() => assign.mutate()}>
      {t('assignToMe')}
    </button>
  );
}

/** Time to restore-breach, from the absolute due instant; paused clocks say so instead. */
function Countdown({ row }: { row: IncidentRow }) {
  const { t } = useI18n();
  const now = useNow();
  if (row.sla.paused) return <span className="band paused">{`⏸ ${t('paused')}`}</span>;
  if (!row.sla.restoreDueAt) return <>—</>;
  const due = Date.parse(row.sla.restoreDueAt) - now;
  return (
    <span className={`band ${bandOf(due)}`} data-due={row.sla.restoreDueAt}>
      {formatCountdown(due)}
    </span>
  );
}
