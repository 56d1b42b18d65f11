// "Export xlsx" and "Export csv" for any table or report (or an import's
// template): the file goes into the downloads folder and its path is shown.
import { useState } from "react";
import { type ExportFormat, type ExportWhat, ipc } from "../ipc";
import { ErrorNote, Notice, useAction } from "./common";
import { JobProgressBar } from "./JobProgressBar";

export function ExportButtons({
  what,
  label = "Export",
  testId = "export",
}: {
  what: ExportWhat;
  /** What the buttons say before the format: "Export xlsx", "Template xlsx"… */
  label?: string;
  testId?: string;
}) {
  const [saved, setSaved] = useState<string | null>(null);
  const action = useAction();
  async function save(format: ExportFormat) {
    setSaved(null);
    let path = "";
    if (
      await action.run(async () => {
        path = await ipc.exportsSave(what, format);
      })
    )
      setSaved(`Saved to ${path}`);
  }
  return (
    <div className="export-buttons">
      <button
        type="button"
        className="secondary"
        onClick={() => save("xlsx")}
        disabled={action.busy}
        data-testid={`${testId}-xlsx`}
      >
        {label} xlsx
      </button>
      <button
        type="button"
        className="secondary"
        onClick={() => save("csv")}
        disabled={action.busy}
        data-testid={`${testId}-csv`}
      >
        {label} csv
      </button>
      {action.busy && <JobProgressBar />}
      <Notice message={saved} />
      <ErrorNote message={action.error} />
    </div>
  );
}
