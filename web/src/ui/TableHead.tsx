/**
 * A table's header row: one column heading per name, then (unless `actions` is false) a last column
 * for each row's buttons, whose heading only screen readers need. A table whose rows have no such
 * cell passes `actions={false}`: else the header has a column more than its rows, and its rule
 * runs past them.
 */
export function TableHead({ columns, actions = true }: { columns: string[]; actions?: boolean }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
        {actions ? (
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        ) : null}
      </tr>
    </thead>
  );
}
