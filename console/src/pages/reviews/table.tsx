import { createColumnHelper, tableFeatures, useTable, type ColumnDef, type RowData } from '@tanstack/react-table';

/** The lists' tables: TanStack Table's core (no client-side sorting or paging: the API pages, the URL keeps the page). */
export const features = tableFeatures({});
export type Features = typeof features;
export const columnsOf = <T extends RowData>() => createColumnHelper<Features, T>();

// Columns of several value types in one list, as the column helper's `columns` returns them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Columns<T extends RowData> = Array<ColumnDef<Features, T, any>>;

export function DataTable<T extends RowData>({
  data,
  columns,
  className,
  caption,
}: {
  data: readonly T[];
  columns: Columns<T>;
  className: string;
  caption: string;
}) {
  const table = useTable({ features, columns, data });
  return (
    <table className={className}>
      <caption className="visually-hidden">{caption}</caption>
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
