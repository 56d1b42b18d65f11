// Budgets: the list of budgets in the user's scope, a new budget (empty, from
// last year ± % or from a template), a top-down distribution, the templates, and
// one budget in the grid with spreading, its workflow (submit, approve, reject,
// lock, unlock) and history. The approvals inbox reuses the list and the view.

import { type FormEvent, useState } from "react";
import { AdjustForm } from "../components/AdjustForm";
import { BudgetGrid } from "../components/BudgetGrid";
import { Choice, ErrorNote, Field, FormFooter, Notice, Page, useAction, useLoad } from "../components/common";
import { DistributeForm } from "../components/DistributeForm";
import { Expenses } from "../components/Expenses";
import { ExportButtons } from "../components/ExportButtons";
import { Confirm } from "../components/Overlay";
import { ScenarioField } from "../components/ScenarioField";
import { SpreadForm } from "../components/SpreadForm";
import { SaveTemplateForm, TemplateList } from "../components/Templates";
import { YearField } from "../components/YearField";
import { formatInstant, formatMoney } from "../format";
import {
  type BudgetComparison,
  type BudgetSummary,
  ipc,
  type LineEdit,
  type SessionInfo,
  type Transition,
} from "../ipc";
import { has } from "../navigation";
import { decimalText } from "../options";

const THIS_YEAR = new Date().getFullYear();

export function Budgets({ session }: { session: SessionInfo }) {
  const [year, setYear] = useState<number | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [distributing, setDistributing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const list = useLoad(() => ipc.budgetsList(year), `budgets/${year}/${open}/${round}`);
  const canDistribute = session.grants.some(
    (g) => g.action === "edit_budgets" && (g.scope === "all" || g.scope === "location"),
  );
  if (open) return <BudgetView session={session} id={open} onClose={() => setOpen(null)} />;
  return (
    <Page
      title="Budgets"
      actions={
        <>
          {canDistribute && (
            <button
              type="button"
              className="secondary"
              onClick={() => setDistributing(true)}
              data-testid="distribute-new"
            >
              Distribute a total
            </button>
          )}
          {has(session.grants, "edit_budgets") && (
            <button type="button" onClick={() => setCreating(true)} data-testid="budget-new">
              New budget
            </button>
          )}
        </>
      }
    >
      <div className="filters">
        <YearField value={year} onChange={setYear} allowAll />
      </div>
      {creating && (
        <NewBudgetForm
          session={session}
          onDone={(id) => {
            setCreating(false);
            setOpen(id);
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      {distributing && (
        <DistributeForm
          session={session}
          year={THIS_YEAR + 1}
          onDone={(message) => {
            setDistributing(false);
            setNotice(message);
            setRound((n) => n + 1);
          }}
          onCancel={() => setDistributing(false)}
        />
      )}
      <Notice message={notice} />
      <ExportButtons what={{ what: "budgets", fiscal_year: year }} />
      <ErrorNote message={list.error} />
      {list.value?.length === 0 ? (
        <div className="empty-state" data-testid="budgets-empty">
          <p className="empty-state-text">
            {year === null ? "No budgets yet" : `No budgets for ${year}`}
            {has(session.grants, "edit_budgets")
              ? ". Start one from last year's sales (± a percentage), from a template or empty — you can change every cell after."
              : " in what you may see. Budgets appear here once salesmen or managers make them."}
          </p>
          {has(session.grants, "edit_budgets") && !creating && (
            <button type="button" onClick={() => setCreating(true)}>
              New budget
            </button>
          )}
        </div>
      ) : (
        <BudgetList
          budgets={list.value ?? []}
          currency={session.currency}
          onOpen={setOpen}
          testId="budgets-table"
        />
      )}
      <TemplateList session={session} round={round} />
    </Page>
  );
}

export function Inbox({ session }: { session: SessionInfo }) {
  const [open, setOpen] = useState<string | null>(null);
  const inbox = useLoad(() => ipc.budgetsInbox(), `inbox/${open}`);
  if (open) return <BudgetView session={session} id={open} onClose={() => setOpen(null)} />;
  return (
    <Page title="Approvals">
      <ErrorNote message={inbox.error} />
      {inbox.value?.length === 0 && <p className="muted">Nothing waits for your approval.</p>}
      <BudgetList
        budgets={inbox.value ?? []}
        currency={session.currency}
        onOpen={setOpen}
        testId="inbox-table"
      />
    </Page>
  );
}

function BudgetList({
  budgets,
  currency,
  onOpen,
  testId,
}: {
  budgets: BudgetSummary[];
  currency: string;
  onOpen: (id: string) => void;
  testId: string;
}) {
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          <th>Year</th>
          <th>Scenario</th>
          <th>Owner</th>
          <th>Status</th>
          <th className="number">Total</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {budgets.map(({ budget, total_amount }) => (
          <tr key={budget.id}>
            <td>{budget.fiscal_year}</td>
            <td>{budget.scenario}</td>
            <td>{budget.owner_name}</td>
            <td>
              <span className={`status ${budget.status}`}>{budget.status}</span>
            </td>
            <td className="number">{formatMoney(total_amount, currency)}</td>
            <td className="row-actions">
              <button
                type="button"
                className="link"
                onClick={() => onOpen(budget.id)}
                data-testid="budget-open"
              >
                Open
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NewBudgetForm({
  session,
  onDone,
  onCancel,
}: {
  session: SessionInfo;
  onDone: (id: string) => void;
  onCancel: () => void;
}) {
  const salesmen = useLoad(() => ipc.budgetsSalesmen(), "salesmen");
  const templates = useLoad(() => ipc.templatesList(), "new-budget-templates");
  const [year, setYear] = useState(String(THIS_YEAR + 1));
  const [scenario, setScenario] = useState("Base");
  const [owner, setOwner] = useState(session.actor.role === "salesman" ? session.actor.id : "");
  // "empty", "last_year", or a template's id.
  const [start, setStart] = useState("last_year");
  const [percent, setPercent] = useState("0");
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    let created = "";
    const ok = await action.run(async () => {
      const sheet = await ipc.budgetsCreate({
        fiscal_year: Number(year),
        scenario,
        owner: { kind: "salesman", id: owner },
        from_last_year_percent: start === "last_year" ? decimalText(percent) : null,
        template_id: start === "empty" || start === "last_year" ? null : start,
      });
      created = sheet.budget.id;
    });
    if (ok) onDone(created);
  }

  const options = (salesmen.value ?? []).map((s) => ({ value: s.id, label: s.display_name }));
  return (
    <form className="card inline-form" onSubmit={submit} data-testid="budget-form">
      <h2>New budget</h2>
      <div className="form-grid">
        <Field label="Fiscal year">
          <input name="year" value={year} onChange={(e) => setYear(e.target.value)} />
        </Field>
        <ScenarioField value={scenario} onChange={setScenario} allowNew />
        <Field label="Salesman">
          <Choice name="owner" value={owner} options={options} onChange={setOwner} allowEmpty />
        </Field>
        <Field label="Start from">
          <Choice
            name="start"
            value={start}
            options={[
              { value: "last_year", label: "last year's actuals" },
              { value: "empty", label: "an empty budget" },
              ...(templates.value ?? []).map((t) => ({ value: t.id, label: `template: ${t.name}` })),
            ]}
            onChange={setStart}
          />
        </Field>
        {start === "last_year" && (
          <Field label="Change, %">
            <input name="percent" value={percent} onChange={(e) => setPercent(e.target.value)} />
          </Field>
        )}
      </div>
      <ErrorNote message={salesmen.error ?? templates.error} />
      <FormFooter error={action.error} busy={action.busy} onCancel={onCancel} saveTestId="budget-create" />
    </form>
  );
}

const STEPS: { transition: Transition; label: string; done: string }[] = [
  { transition: "submit", label: "Submit", done: "submitted" },
  { transition: "approve", label: "Approve", done: "approved" },
  { transition: "reject", label: "Reject", done: "rejected" },
  { transition: "lock", label: "Lock", done: "locked" },
  { transition: "unlock", label: "Unlock", done: "unlocked" },
];

/** Which workflow buttons to offer: the shell still checks every step. */
function BudgetView({ session, id, onClose }: { session: SessionInfo; id: string; onClose: () => void }) {
  const [round, setRound] = useState(0);
  const sheet = useLoad(() => ipc.budgetsShow(id), `${id}/${round}`);
  const products = useLoad(() => ipc.referenceList("product", false), "products");
  const [comment, setComment] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const [tool, setTool] = useState<"spread" | "adjust" | "template" | null>(null);
  const [approving, setApproving] = useState<BudgetComparison | null>(null);
  const action = useAction();
  const reload = () => setRound((n) => n + 1);
  const toolDone = (message: string) => {
    setTool(null);
    setNotice(message);
    reload();
  };

  async function onEdit(edits: LineEdit[]) {
    setNotice(null);
    const saved = await action.run(() => ipc.budgetsSetLines(id, edits));
    if (saved) reload();
    return saved;
  }

  async function askToApprove() {
    await action.run(async () => setApproving(await ipc.budgetsCompare(id)));
  }

  async function step(transition: Transition) {
    setApproving(null);
    if (await action.run(() => ipc.budgetsTransition(id, transition, comment))) {
      setComment("");
      setNotice(`Budget ${STEPS.find((s) => s.transition === transition)?.done}.`);
      reload();
    }
  }

  const data = sheet.value;
  if (!data) {
    return (
      <Page title="Budget">
        <ErrorNote message={sheet.error} />
      </Page>
    );
  }
  const { budget } = data;
  // What the viewer may do now, as the core decides it (the same check the step and the edit pass).
  const { editable, steps: offered } = data;
  return (
    <Page
      title={`${budget.fiscal_year} ${budget.scenario}: ${budget.owner_name}`}
      actions={
        <button type="button" className="secondary" onClick={onClose}>
          Back to the list
        </button>
      }
    >
      {approving && (
        <Confirm
          title={`Approve ${budget.fiscal_year} ${budget.scenario}: ${budget.owner_name}?`}
          confirmLabel="Approve"
          busy={action.busy}
          onConfirm={() => step("approve")}
          onCancel={() => setApproving(null)}
        >
          <ComparisonTable comparison={approving} currency={budget.currency} />
          <p className="muted">
            Last year: {budget.owner_name}'s actual sales of the latest twelve ended months. Once approved,
            the budget is the plan sales are measured against, and only an unlock with a reason changes it.
          </p>
        </Confirm>
      )}
      <div className="budget-head">
        <span className={`status ${budget.status}`} data-testid="budget-status">
          {budget.status}
        </span>
        <span>
          Total <strong data-testid="budget-total">{formatMoney(data.total_amount, budget.currency)}</strong>
        </span>
        {offered.length > 0 && (
          <div className="workflow">
            <Field label="Comment (needed to reject or unlock)">
              <input
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                data-testid="budget-comment"
              />
            </Field>
            {STEPS.filter((s) => offered.includes(s.transition)).map((s) => (
              <button
                key={s.transition}
                type="button"
                onClick={() => (s.transition === "approve" ? askToApprove() : step(s.transition))}
                data-testid={`budget-${s.transition}`}
              >
                {s.label}
              </button>
            ))}
          </div>
        )}
      </div>
      <div className="toolbar">
        <ExportButtons what={{ what: "budget", id: budget.id }} />
        {editable && (
          <button
            type="button"
            className="secondary"
            onClick={() => setTool("spread")}
            data-testid="spread-open"
          >
            Spread a yearly total
          </button>
        )}
        {editable && data.lines.length > 0 && (
          <button
            type="button"
            className="secondary"
            onClick={() => setTool("adjust")}
            data-testid="adjust-open"
          >
            Change by %
          </button>
        )}
        {has(session.grants, "edit_budgets") && data.lines.length > 0 && (
          <button
            type="button"
            className="secondary"
            onClick={() => setTool("template")}
            data-testid="template-open"
          >
            Save as template
          </button>
        )}
      </div>
      {tool === "spread" && products.value && (
        <SpreadForm
          budgetId={budget.id}
          products={products.value}
          onDone={toolDone}
          onCancel={() => setTool(null)}
        />
      )}
      {tool === "adjust" && products.value && (
        <AdjustForm
          budgetId={budget.id}
          products={products.value}
          onDone={toolDone}
          onCancel={() => setTool(null)}
        />
      )}
      {tool === "template" && (
        <SaveTemplateForm budgetId={budget.id} onDone={toolDone} onCancel={() => setTool(null)} />
      )}
      <Notice message={notice} />
      <ErrorNote message={action.error ?? products.error} />
      {products.value && (
        <BudgetGrid sheet={data} products={products.value} editable={editable} onEdit={onEdit} />
      )}
      <Expenses
        budgetId={budget.id}
        expenses={data.expenses}
        currency={budget.currency}
        canAllocate={editable}
        canSpend={has(session.grants, "edit_budgets")}
        onChanged={reload}
      />
      {data.history.length > 0 && (
        <table className="history">
          <caption>History</caption>
          <tbody>
            {data.history.map((h) => (
              <tr key={h.recorded_at + h.to_status}>
                <td>{formatInstant(h.recorded_at)}</td>
                <td>{h.username}</td>
                <td>
                  {h.from_status} → {h.to_status}
                </td>
                <td>{h.comment}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

/** A budget against last year, by category: what an approver sees before approving. */
function ComparisonTable({ comparison, currency }: { comparison: BudgetComparison; currency: string }) {
  const change = (percent: string | null) =>
    percent === null ? "new" : `${percent.startsWith("-") ? "" : "+"}${percent} %`;
  return (
    <table data-testid="approve-comparison">
      <thead>
        <tr>
          <th>Category</th>
          <th className="number">Budget</th>
          <th className="number">Last year</th>
          <th className="number">Change</th>
        </tr>
      </thead>
      <tbody>
        {[...comparison.rows, comparison.total].map((row, index) => (
          <tr key={row.label} className={index === comparison.rows.length ? "total-row" : ""}>
            <td>{row.label}</td>
            <td className="number">{formatMoney(row.budget, currency)}</td>
            <td className="number">{formatMoney(row.last_year, currency)}</td>
            <td className="number">{change(row.change_percent)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
