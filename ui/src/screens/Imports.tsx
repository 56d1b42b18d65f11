// Imports: the wizard (open a file, choose its sheet, see its first rows, check
// and edit the mapping, read the data-quality report, import with a progress bar
// and cancel, see the result), the import history with reversal, the watched
// folders and the alerts they leave.
import { type FormEvent, useEffect, useState } from "react";
import { BudgetDiffView } from "../components/BudgetDiffView";
import { ErrorNote, Field, Notice, Page, useAction, useLoad } from "../components/common";
import { ExportButtons } from "../components/ExportButtons";
import { ImportProblems } from "../components/ImportProblems";
import { JobProgressBar } from "../components/JobProgressBar";
import { Alerts, WatchedFolders } from "../components/WatchedFolders";
import { formatCount, formatInstant, plural } from "../format";
import { IMPORT_KIND_LABELS } from "../importKinds";
import {
  type Accept,
  type BudgetDiff,
  type BudgetRoundTrip,
  type DateOrder,
  type DecimalSeparator,
  type ImportKind,
  type ImportOutcome,
  type ImportReport,
  type ImportRequest,
  ipc,
  type Mapping,
  type OpenedFile,
  type SessionInfo,
} from "../ipc";
import { choiceOf, missingRequired, withChoice, withDefault } from "../mapping";

export function Imports({ session }: { session: SessionInfo }) {
  const [round, setRound] = useState(0);
  return (
    <Page title="Imports">
      <Alerts />
      <ImportWizard session={session} onImported={() => setRound((n) => n + 1)} />
      <History round={round} />
      <WatchedFolders importable={session.importable} />
    </Page>
  );
}

type Step = "open" | "map" | "report" | "budget" | "done";

function ImportWizard({ session, onImported }: { session: SessionInfo; onImported: () => void }) {
  // The kinds this role may import; the wizard opens on the first.
  const importable = session.importable;
  const [step, setStep] = useState<Step>("open");
  const [kind, setKind] = useState<ImportKind>(importable[0] ?? "actuals");
  const [path, setPath] = useState("");
  const [sheet, setSheet] = useState<string | null>(null);
  const [opened, setOpened] = useState<OpenedFile | null>(null);
  const [mapping, setMapping] = useState<Mapping>({ fields: {}, defaults: {} });
  const [decimals, setDecimals] = useState<DecimalSeparator>("auto");
  const [dates, setDates] = useState<DateOrder>("auto");
  const [force, setForce] = useState(false);
  const [budgetId, setBudgetId] = useState("");
  const budgets = useLoad(() => ipc.budgetsList(null), "import-budgets");
  const [report, setReport] = useState<ImportReport | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [diff, setDiff] = useState<BudgetDiff | null>(null);
  const [written, setWritten] = useState<BudgetRoundTrip | null>(null);
  const [running, setRunning] = useState(false);
  const action = useAction();

  // A file dropped on the window while the wizard waits for one becomes its file.
  useEffect(() => {
    if (step !== "open") return;
    let stop: (() => void) | null = null;
    let gone = false;
    ipc
      .onFileDropped(setPath)
      .then((unlisten) => {
        if (gone) unlisten();
        else stop = unlisten;
      })
      .catch(() => {});
    return () => {
      gone = true;
      stop?.();
    };
  }, [step]);

  const request = (): ImportRequest => ({
    kind,
    mapping,
    decimal_separator: decimals,
    date_order: dates,
    budget_id: kind === "budget" && budgetId ? budgetId : undefined,
    force,
  });

  async function open(event?: FormEvent, chosenSheet: string | null = sheet) {
    event?.preventDefault();
    await action.run(async () => {
      const file = await ipc.importsOpen(path, kind, chosenSheet, null);
      setOpened(file);
      setSheet(file.info.sheet);
      setMapping(file.mapping);
      setReport(null);
      // A budget exported by the app says so itself: it goes back into its budget, no columns to map.
      if (file.info.stamp) {
        setDiff(await ipc.importsBudgetCompare());
        setStep("budget");
      } else {
        setStep("map");
      }
    });
  }

  async function applyBudget(accept: Accept) {
    setRunning(true);
    const ok = await action.run(async () => setWritten(await ipc.importsBudgetApply(accept)));
    setRunning(false);
    if (ok) {
      setStep("done");
      onImported();
    }
  }

  async function check() {
    setRunning(true);
    const ok = await action.run(async () => setReport(await ipc.importsPreview(request())));
    setRunning(false);
    if (ok) setStep("report");
  }

  async function commit(accept: Accept) {
    setRunning(true);
    const ok = await action.run(async () => setOutcome(await ipc.importsCommit(request(), accept)));
    setRunning(false);
    if (ok) {
      setStep("done");
      onImported();
    }
  }

  function restart() {
    setStep("open");
    setOpened(null);
    setReport(null);
    setOutcome(null);
    setDiff(null);
    setWritten(null);
    setForce(false);
  }

  const missing = opened ? missingRequired(opened.fields, mapping) : [];
  return (
    <section className="card wizard" data-testid="import-wizard">
      <h2>{diff ? "Import an edited budget" : `Import ${IMPORT_KIND_LABELS[kind].toLowerCase()}`}</h2>
      <ol className="steps">
        {(["open", "map", "report", "done"] as const).map((s, i) => (
          <li key={s} className={s === step || (s === "report" && step === "budget") ? "current" : ""}>
            {i + 1}.{" "}
            {
              {
                open: "File",
                map: diff ? "Columns (none to map)" : "Columns",
                report: "Check",
                done: "Result",
              }[s]
            }
          </li>
        ))}
      </ol>
      {step === "open" && (
        <form className="inline-row" onSubmit={open} data-testid="import-open-form">
          <Field label="What">
            <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as ImportKind)}>
              {importable.map((k) => (
                <option key={k} value={k}>
                  {IMPORT_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </Field>
          {kind === "budget" && (
            <Field label="Into the budget">
              <select name="budget" value={budgetId} onChange={(e) => setBudgetId(e.target.value)}>
                <option value="">choose…</option>
                {(budgets.value ?? [])
                  .filter(({ budget }) => budget.status === "draft" || budget.status === "rejected")
                  .map(({ budget }) => (
                    <option key={budget.id} value={budget.id}>
                      {budget.fiscal_year} {budget.scenario}: {budget.owner_name}
                    </option>
                  ))}
              </select>
            </Field>
          )}
          <Field label="File (xlsx, xlsm, xlsb, xls, ods, csv, tsv): its full path, Browse…, or drop it on the window">
            <input
              name="path"
              value={path}
              onChange={(e) => setPath(e.target.value)}
              placeholder="/home/me/Downloads/sales-october.xlsx"
              size={60}
            />
          </Field>
          <button
            type="button"
            className="secondary"
            onClick={async () => {
              const picked = await ipc.pickImportFile().catch(() => null);
              if (picked) setPath(picked);
            }}
          >
            Browse…
          </button>
          <button type="submit" disabled={action.busy || !path.trim()} data-testid="import-open">
            Open
          </button>
        </form>
      )}
      {step === "open" && (
        <div className="template-row" data-testid="import-template">
          <span className="muted">
            No file yet? Start from a template: the columns this import reads, to fill in and import.
          </span>
          <ExportButtons what={{ what: "template", kind }} label="Template" testId="template" />
        </div>
      )}
      {opened && step === "map" && (
        <div data-testid="import-mapping">
          <p className="muted">
            {opened.info.file_name}
            {opened.info.sheet ? `, sheet ${opened.info.sheet}` : ""}: headers in row {opened.info.header_row}
            , {opened.info.rows} rows.
          </p>
          {opened.info.sheets.length > 1 && (
            <Field label="Sheet">
              <select
                name="sheet"
                value={sheet ?? ""}
                onChange={(e) => {
                  setSheet(e.target.value);
                  void open(undefined, e.target.value);
                }}
              >
                {opened.info.sheets.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </Field>
          )}
          <div className="table-scroll">
            <table className="sample" data-testid="import-sample">
              <thead>
                <tr>
                  {opened.info.headers.map((header) => (
                    <th key={header}>{header}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {opened.sample.map((row, r) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: sample rows have no identity of their own.
                  <tr key={r}>
                    {row.map((cell, c) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional.
                      <td key={c}>{cell}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <table className="mapping" data-testid="mapping-table">
            <thead>
              <tr>
                <th>Field</th>
                <th>Comes from</th>
                <th>Where empty, use</th>
              </tr>
            </thead>
            <tbody>
              {opened.fields.map((field) => {
                const choice = choiceOf(mapping, field.key);
                const source = mapping.fields[field.key];
                return (
                  <tr key={field.key}>
                    <td>
                      {field.label}
                      {field.required ? " *" : ""}
                    </td>
                    <td className="inline-row">
                      <select
                        name={`map-${field.key}`}
                        value={choice}
                        onChange={(e) => setMapping(withChoice(mapping, field.key, e.target.value))}
                      >
                        <option value="">–</option>
                        {opened.info.headers.map((header) => (
                          <option key={header} value={header}>
                            column {header}
                          </option>
                        ))}
                        <option value="=">the same value on every row…</option>
                      </select>
                      {choice === "=" && (
                        <input
                          aria-label={`${field.label}: the value`}
                          value={source?.from === "constant" ? source.value : ""}
                          onChange={(e) => setMapping(withChoice(mapping, field.key, "=", e.target.value))}
                        />
                      )}
                    </td>
                    <td>
                      <input
                        aria-label={`${field.label}: the value where a cell is empty`}
                        value={mapping.defaults[field.key] ?? ""}
                        onChange={(e) => setMapping(withDefault(mapping, field.key, e.target.value))}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="inline-row">
            <Field label="Decimal mark">
              <select value={decimals} onChange={(e) => setDecimals(e.target.value as DecimalSeparator)}>
                <option value="auto">as the file shows</option>
                <option value="point">1,234.50</option>
                <option value="comma">1.234,50</option>
              </select>
            </Field>
            <Field label="Dates">
              <select value={dates} onChange={(e) => setDates(e.target.value as DateOrder)}>
                <option value="auto">as the file shows</option>
                <option value="day_first">day/month/year</option>
                <option value="month_first">month/day/year</option>
              </select>
            </Field>
            <SavedMappings kind={kind} mapping={mapping} onChoose={setMapping} />
          </div>
          {missing.length > 0 && (
            <p className="muted" data-testid="mapping-missing">
              Still needed: {missing.map((field) => field.label).join(", ")}.
            </p>
          )}
          <div className="form-actions">
            <button
              type="button"
              onClick={check}
              disabled={running || missing.length > 0}
              data-testid="import-check"
            >
              Check the file
            </button>
            <button type="button" className="secondary" onClick={restart}>
              Another file
            </button>
          </div>
        </div>
      )}
      {report && step === "report" && (
        <QualityReport
          report={report}
          force={force}
          onForce={setForce}
          running={running}
          onCommit={commit}
          onBack={() => setStep("map")}
        />
      )}
      {diff && step === "budget" && (
        <BudgetDiffView diff={diff} running={running} onApply={applyBudget} onBack={restart} />
      )}
      {running && <JobProgressBar />}
      {written && step === "done" && (
        <div data-testid="import-result">
          <Notice
            inline
            message={`Wrote ${written.diff.changes.length} ${written.diff.changes.length === 1 ? "cell" : "cells"} into the budget ${written.diff.stamp.label} from ${written.import.file_name}; it can be reversed in the history below.`}
          />
          <button type="button" onClick={restart}>
            Import another file
          </button>
        </div>
      )}
      {outcome && step === "done" && (
        <div data-testid="import-result">
          <Notice
            inline
            message={`Imported ${plural(outcome.import.rows_imported, "row")} from ${outcome.import.file_name} (${outcome.import.rows_skipped} skipped).`}
          />
          <button type="button" onClick={restart}>
            Import another file
          </button>
        </div>
      )}
      <ErrorNote message={action.error} />
    </section>
  );
}

function SavedMappings({
  kind,
  mapping,
  onChoose,
}: {
  kind: ImportKind;
  mapping: Mapping;
  onChoose: (mapping: Mapping) => void;
}) {
  const [round, setRound] = useState(0);
  const saved = useLoad(() => ipc.importMappingsList(kind), `mappings/${kind}/${round}`);
  const [name, setName] = useState("");
  const action = useAction();
  async function save() {
    if (await action.run(() => ipc.importMappingsSave(kind, name, mapping))) {
      setName("");
      setRound((n) => n + 1);
    }
  }
  return (
    <>
      {(saved.value ?? []).length > 0 && (
        <Field label="Saved mapping">
          <select
            value=""
            onChange={(e) => {
              const chosen = saved.value?.find((m) => m.id === e.target.value);
              if (chosen) onChoose(chosen.mapping);
            }}
          >
            <option value="">use one…</option>
            {(saved.value ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field label="Save this mapping as">
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <button type="button" className="secondary" onClick={save} disabled={!name.trim() || action.busy}>
        Save mapping
      </button>
      <ErrorNote message={action.error ?? saved.error} />
    </>
  );
}

function QualityReport({
  report,
  force,
  onForce,
  running,
  onCommit,
  onBack,
}: {
  report: ImportReport;
  force: boolean;
  onForce: (force: boolean) => void;
  running: boolean;
  onCommit: (accept: Accept) => void;
  onBack: () => void;
}) {
  const clean = report.problems_total === 0;
  const blocked = report.already_imported !== null && !force;
  return (
    <div data-testid="import-report">
      <p>
        <strong data-testid="report-summary">
          {plural(report.rows_read, "row")} read, {formatCount(report.rows_valid)} valid
        </strong>
        {report.counts.length > 0 && (
          <span className="muted">
            {" "}
            — {report.counts.map((c) => `${c.kind.replaceAll("_", " ")}: ${c.rows}`).join(", ")}
          </span>
        )}
      </p>
      {report.already_imported && (
        <p className="error">
          This file was imported before ({report.already_imported.file_name},{" "}
          {formatInstant(report.already_imported.imported_at)} by {report.already_imported.imported_by}).{" "}
          <label>
            <input type="checkbox" checked={force} onChange={(e) => onForce(e.target.checked)} /> import it
            again anyway
          </label>
        </p>
      )}
      <ImportProblems problems={report.problems} total={report.problems_total} />
      <div className="form-actions">
        {clean ? (
          <button
            type="button"
            onClick={() => onCommit("all_or_nothing")}
            disabled={running || blocked}
            data-testid="import-all"
          >
            Import {report.rows_valid} rows
          </button>
        ) : report.rows_valid > 0 ? (
          <button
            type="button"
            onClick={() => onCommit("valid_rows")}
            disabled={running || blocked}
            data-testid="import-valid"
          >
            Import the {report.rows_valid} valid rows only
          </button>
        ) : (
          <p className="muted" data-testid="import-none-valid">
            No row can be imported: fix the file (or the columns) and check it again.
          </p>
        )}
        <button type="button" className="secondary" onClick={onBack} disabled={running}>
          Back to the columns
        </button>
      </div>
    </div>
  );
}

function History({ round }: { round: number }) {
  const [reversed, setReversed] = useState(0);
  const list = useLoad(() => ipc.importsList(), `imports/${round}/${reversed}`);
  const action = useAction();
  async function reverse(id: string) {
    if (await action.run(() => ipc.importsReverse(id))) setReversed((n) => n + 1);
  }
  return (
    <section data-testid="import-history">
      <h2>History</h2>
      <ExportButtons what={{ what: "imports" }} />
      <ErrorNote message={list.error ?? action.error} />
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>File</th>
            <th className="number">Rows</th>
            <th className="number">Skipped</th>
            <th>By</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(list.value ?? []).map((record) => (
            <tr key={record.id}>
              <td>{formatInstant(record.imported_at)}</td>
              <td>{record.file_name}</td>
              <td className="number">{record.rows_imported}</td>
              <td className="number">{record.rows_skipped}</td>
              <td>{record.imported_by_name}</td>
              <td>{record.reverses ? "reversal" : record.reversed_at ? "reversed" : "imported"}</td>
              <td className="row-actions">
                {!record.reverses && !record.reversed_at && (
                  <button
                    type="button"
                    className="link"
                    onClick={() => reverse(record.id)}
                    data-testid="import-reverse"
                  >
                    Reverse
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.value?.length === 0 && <p className="muted">No imports yet.</p>}
    </section>
  );
}
