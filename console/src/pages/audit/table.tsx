import { createColumnHelper, tableFeatures, useTable, type ColumnDef, type RowData } from '@tanstack/react-table';

/** The audit pages' tables: TanStack Table owns the columns, this file the markup (headers with scope). */
const features = tableFeatures({});
export type Features = typeof features;

export function columnHelper<T extends RowData>() {
  return createColumnHelper<Features, T>();
}

export function AuditTable<T extends RowData>({
  columns,
  rows,
  rowId,
  className,
  label,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each column keeps its own value type
  columns: ReadonlyArray<ColumnDef<Features, T, any>>;
  rows: readonly T[];
  rowId: (row: T) => string;
  className: string;
  label: string;
}) {
  const table = useTable({ features, columns, data: rows, getRowId: rowId });
  return (
    <table className={`audit-table ${className}`} aria-label={label}>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => (
              <th key={header.id} scope="col">
                {header.isPlaceholder ? null : <table.FlexRender header={header} />}
              </th>
            ))}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id} data-id={row.id}>
            {row.getAllCells().map((cell) => (
              <td key={cell.id} className={`col-${cell.column.id}`}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
