// The head row of a report's table: its row dimensions, then its columns. The
// Reports screen and a report pinned to the home draw it alike.
import type { ReportResult } from "../ipc";
import { DIMENSIONS } from "../reports";

export function ReportHead({ result }: { result: ReportResult }) {
  return (
    <thead>
      <tr>
        {result.definition.rows.map((dimension) => (
          <th key={dimension}>{DIMENSIONS.find(([key]) => key === dimension)?.[1]}</th>
        ))}
        {result.columns.map((column) => (
          <th key={column.label} className="number">
            {column.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
