// The audit trail: who changed what, when, each change as a sentence with the
// values before and after. Administrators see everyone's changes, other roles
// their own, and the screen says which.

import { useState } from "react";
import { ErrorNote, Field, Page, useLoad } from "../components/common";
import { ExportButtons } from "../components/ExportButtons";
import { sinceInstant } from "../dates";
import { formatInstant } from "../format";
import { type Entity, ipc, type SessionInfo } from "../ipc";

/** What people look for in the trail, as they name it. */
const WHAT: { entity: Entity; label: string }[] = [
  { entity: "budget", label: "budgets (workflow)" },
  { entity: "budget_line", label: "budget lines" },
  { entity: "budget_expense", label: "expense lines" },
  { entity: "forecast_override", label: "forecast overrides" },
  { entity: "closed_month", label: "closed months" },
  { entity: "actual_sale", label: "actual sales" },
  { entity: "import", label: "imports" },
  { entity: "product", label: "products" },
  { entity: "customer", label: "customers" },
  { entity: "location", label: "branches and warehouses" },
  { entity: "department", label: "departments" },
  { entity: "user", label: "users" },
  { entity: "company_settings", label: "company settings" },
];

/** Periods to look back over: no date to type in a format the user must guess. */
const SINCE: { days: number | null; label: string }[] = [
  { days: null, label: "any time" },
  { days: 1, label: "today" },
  { days: 7, label: "the last 7 days" },
  { days: 30, label: "the last 30 days" },
  { days: 365, label: "the last 12 months" },
];

export function Audit({ session }: { session: SessionInfo }) {
  const [entity, setEntity] = useState<Entity | "">("");
  const [days, setDays] = useState<number | null>(null);
  const since = sinceInstant(days);
  const entries = useLoad(
    () => ipc.auditList({ entity: entity || undefined, since, limit: 200 }),
    `${entity}/${days}`,
  );
  const seesEveryone = session.grants.some((grant) => grant.action === "view_audit" && grant.scope === "all");
  return (
    <Page title="Audit trail">
      <p className="muted" data-testid="audit-scope">
        {seesEveryone
          ? "Every change made in the ledger, by anyone, newest first (the latest 200)."
          : "The changes you made yourself, newest first. Administrators see everyone's."}
      </p>
      <ExportButtons what={{ what: "audit", filter: { entity: entity || undefined, since } }} />
      <div className="filters">
        <Field label="What">
          <select value={entity} onChange={(e) => setEntity(e.target.value as Entity | "")}>
            <option value="">everything</option>
            {WHAT.map((what) => (
              <option key={what.entity} value={what.entity}>
                {what.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Since">
          <select
            name="since"
            value={days ?? ""}
            onChange={(e) => setDays(e.target.value ? Number(e.target.value) : null)}
          >
            {SINCE.map((option) => (
              <option key={option.label} value={option.days ?? ""}>
                {option.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <ErrorNote message={entries.error} />
      <table data-testid="audit-table">
        <thead>
          <tr>
            <th>When</th>
            <th>What happened</th>
          </tr>
        </thead>
        <tbody>
          {(entries.value ?? []).map((entry) => (
            <tr key={`${entry.received ? "received" : "own"}-${entry.mutation_id}`}>
              <td className="when">{formatInstant(entry.recorded_at)}</td>
              <td>
                <span className="summary">{entry.summary}</span>
                {entry.received && <span className="muted"> · on another laptop</span>}
                {(entry.kind === "created" || entry.kind === "appended") && entry.changes.length > 0 && (
                  <div className="muted audit-fields">
                    {entry.changes.map((change) => `${change.field} ${change.new ?? "–"}`).join(" · ")}
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.value?.length === 0 && (
        <p className="muted">
          {seesEveryone ? "No changes recorded in this period." : "You have made no changes in this period."}
        </p>
      )}
    </Page>
  );
}
