import { createColumnHelper, tableFeatures, useTable, type ColumnDef, type RowData } from '@tanstack/react-table';

/**
 * The console's read-only tables: TanStack Table (v9, core features only: the API pages, sorts and
 * filters, the URL keeps them) owns the columns, this file the markup. Every list of the console is one.
 */
export const features = tableFeatures({});
export type Features = typeof features;
export const columnsOf = <T extends RowData>() => createColumnHelper<Features, T>();

// Columns of several value types in one list, as the column helper's `columns` returns them; each is checked where it is defined.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Columns<T extends RowData> = ReadonlyArray<ColumnDef<Features, T, any>>;

/** A cell's class: `col-<column id>`, the name the pages' styles and tests find it by… */
const byColumn = (columnId: string) => `col-${columnId}`;
/** …or, in the lines and reviews lists, the column id alone (their tests find cells so). */
export const bareColumnId = (columnId: string) => columnId;

export function DataTable<T extends RowData>({
  rows,
  columns,
  rowId,
  className,
  caption,
  label,
  cellClass = byColumn,
}: {
  rows: readonly T[];
  columns: Columns<T>;
  /** The row's id, also on its `<tr data-id>`; without it rows are known by their place. */
  rowId?: (row: T) => string;
  className: string;
  /** The table's name for screen readers, as a visually hidden caption… */
  caption?: string;
  /** …or as its aria-label. */
  label?: string;
  /** A cell's class names, from its column and row. */
  cellClass?: (columnId: string, row: T) => string;
}) {
  const table = useTable({ features, columns, data: rows, getRowId: rowId });
  return (
    <table className={className} aria-label={label}>
      {caption && <caption className="visually-hidden">{caption}</caption>}
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
          <tr key={row.id} data-id={rowId ? row.id : undefined}>
            {row.getAllCells().map((cell) => (
              <td key={cell.id} className={cellClass(cell.column.id, row.original)}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
