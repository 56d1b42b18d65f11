// Top-down budgeting: a total shared out among branches or salesmen (by last
// year's sales, equally, or by weights typed per row), previewed to the cent,
// then made into one budget per share.
import { type FormEvent, useState } from "react";
import { formatExactMoney } from "../format";
import { type Distribution, ipc, type SessionInfo, type Target } from "../ipc";
import { branchOptions, decimalText } from "../options";
import { Choice, ErrorNote, Field, useAction, useLoad } from "./common";
import { ScenarioField } from "./ScenarioField";

type Mode = "last_year" | "equal" | "weights";

/** The id a weight is given for: the salesman, or the branch. */
const keyOf = (target: Target) => target.owner.salesman_id ?? target.owner.location_id ?? "";

export function DistributeForm({
  session,
  year: initialYear,
  onDone,
  onCancel,
}: {
  session: SessionInfo;
  year: number;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const companyWide = session.grants.some((g) => g.action === "edit_budgets" && g.scope === "all");
  const locations = useLoad(() => ipc.referenceList("location", false), "distribute-locations");
  const [year, setYear] = useState(String(initialYear));
  const [scenario, setScenario] = useState("Top-down");
  const [total, setTotal] = useState("");
  const [to, setTo] = useState<"location" | "salesman">(companyWide ? "location" : "salesman");
  const [within, setWithin] = useState(companyWide ? "" : (session.actor.location_id ?? ""));
  const [mode, setMode] = useState<Mode>("last_year");
  const [weights, setWeights] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<Target[] | null>(null);
  const action = useAction();

  function plan(): Distribution {
    const shares =
      mode === "weights"
        ? {
            kind: "weights" as const,
            weights: (preview ?? []).map((t): [string, string] => [
              keyOf(t),
              decimalText(weights[keyOf(t)] ?? "0") || "0",
            ]),
          }
        : { kind: mode };
    return {
      fiscal_year: Number(year),
      scenario,
      total: decimalText(total),
      to,
      within_location: to === "salesman" && within ? within : undefined,
      shares,
    };
  }

  async function showPreview() {
    await action.run(async () => {
      if (mode === "weights" && !preview) {
        // Weights are typed per recipient: list them first, each weighing 1.
        const recipients = await ipc.budgetsDistribute({ ...plan(), shares: { kind: "equal" } }, false);
        setWeights(Object.fromEntries(recipients.map((t) => [keyOf(t), "1"])));
        setPreview(recipients);
        return;
      }
      const targets = await ipc.budgetsDistribute(plan(), false);
      setPreview(targets);
      if (mode !== "weights") {
        setWeights(Object.fromEntries(targets.map((t) => [keyOf(t), t.amount])));
      }
    });
  }

  async function apply(event: FormEvent) {
    event.preventDefault();
    let made = 0;
    const ok = await action.run(async () => {
      made = (await ipc.budgetsDistribute(plan(), true)).length;
    });
    if (ok) onDone(`Made ${made} budgets of ${year} ${scenario}.`);
  }

  const money = (amount: string) => formatExactMoney(amount, session.currency);
  return (
    <form className="card inline-form" onSubmit={apply} data-testid="distribute-form">
      <h2>Distribute a total</h2>
      <div className="form-grid">
        <Field label="Fiscal year">
          <input name="year" value={year} onChange={(e) => setYear(e.target.value)} />
        </Field>
        <ScenarioField value={scenario} onChange={setScenario} allowNew />
        <Field label="Total">
          <input name="total" inputMode="decimal" value={total} onChange={(e) => setTotal(e.target.value)} />
        </Field>
        <Field label="Among">
          <Choice
            name="to"
            value={to}
            options={[
              ...(companyWide ? [{ value: "location", label: "branches" }] : []),
              { value: "salesman", label: "salesmen" },
            ]}
            onChange={(value) => {
              setTo(value as "location" | "salesman");
              setPreview(null);
            }}
          />
        </Field>
        {to === "salesman" && companyWide && (
          <Field label="Of branch">
            <Choice
              name="within"
              value={within}
              options={branchOptions(locations.value ?? [])}
              onChange={(value) => {
                setWithin(value);
                setPreview(null);
              }}
              allowEmpty
            />
          </Field>
        )}
        <Field label="Shares">
          <Choice
            name="shares"
            value={mode}
            options={[
              { value: "last_year", label: "by last year's sales" },
              { value: "equal", label: "equal" },
              { value: "weights", label: "by weights (edit below)" },
            ]}
            onChange={(value) => setMode(value as Mode)}
          />
        </Field>
      </div>
      {preview && (
        <table data-testid="distribute-preview">
          <thead>
            <tr>
              <th>{to === "location" ? "Branch" : "Salesman"}</th>
              {mode === "weights" && <th className="number">Weight</th>}
              <th className="number">Share</th>
            </tr>
          </thead>
          <tbody>
            {preview.map((target) => (
              <tr key={keyOf(target)}>
                <td>{target.name}</td>
                {mode === "weights" && (
                  <td className="number">
                    <input
                      aria-label={`Weight of ${target.name}`}
                      inputMode="decimal"
                      value={weights[keyOf(target)] ?? ""}
                      onChange={(e) => setWeights({ ...weights, [keyOf(target)]: e.target.value })}
                    />
                  </td>
                )}
                <td className="number">{money(target.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorNote message={locations.error ?? action.error} />
      <div className="form-actions">
        <button
          type="button"
          className="secondary"
          onClick={showPreview}
          disabled={action.busy || !total}
          data-testid="distribute-preview-button"
        >
          Preview
        </button>
        <button type="submit" disabled={action.busy || !preview} data-testid="distribute-apply">
          Make the budgets
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
