// The problems an import found, row and column first, as the file shows them.
import type { Problem } from "../ipc";

export function ImportProblems({ problems, total }: { problems: Problem[]; total: number }) {
  if (problems.length === 0) return null;
  return (
    <div className="table-scroll">
      <table data-testid="problems-table">
        <thead>
          <tr>
            <th>Row</th>
            <th>Column</th>
            <th>Field</th>
            <th>Problem</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((problem) => (
            <tr key={`${problem.row}-${problem.column}-${problem.field}-${problem.kind}`}>
              <td className="number">{problem.row}</td>
              <td>{problem.column ? `${problem.column} (${problem.header})` : ""}</td>
              <td>{problem.field}</td>
              <td>{problem.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > problems.length && <p className="muted">… and {total - problems.length} more.</p>}
    </div>
  );
}
