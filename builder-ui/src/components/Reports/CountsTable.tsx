import type { JSX, ReactNode } from 'react';

/** One row of a counts table: a stable key and its cells, in heading order. */
export interface CountsRow {
  key: string;
  cells: ReactNode[];
}

/** A labelled table of counts with column headings, as the Reports view shows them. */
export function CountsTable(props: {
  label: string;
  headings: string[];
  rows: CountsRow[];
}): JSX.Element {
  return (
    <table aria-label={props.label}>
      <thead>
        <tr>
          {props.headings.map((heading) => (
            <th key={heading} scope="col">
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.key}>
            {row.cells.map((cell, column) => (
              <td key={props.headings[column]}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
