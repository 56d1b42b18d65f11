// The audit trail: who changed what, when (administrators see everyone, others themselves).

import { useState } from "react";
import { ErrorNote, Field, Page, useLoad } from "../components/common";
import { ExportButtons } from "../components/ExportButtons";
import { formatInstant } from "../format";
import { type Entity, ipc } from "../ipc";

const ENTITIES: Entity[] = [
  "user",
  "product",
  "product_category",
  "location",
  "department",
  "customer",
  "company_settings",
  "actual_sale",
];

export function Audit() {
  const [entity, setEntity] = useState<Entity | "">("");
  const [since, setSince] = useState("");
  const entries = useLoad(
    () => ipc.auditList({ entity: entity || undefined, since: since || undefined, limit: 200 }),
    `${entity}/${since}`,
  );
  return (
    <Page title="Audit trail">
      <ExportButtons
        what={{ what: "audit", filter: { entity: entity || undefined, since: since || undefined } }}
      />
      <div className="filters">
        <Field label="What">
          <select value={entity} onChange={(e) => setEntity(e.target.value as Entity | "")}>
            <option value="">everything</option>
            {ENTITIES.map((name) => (
              <option key={name} value={name}>
                {name.replace("_", " ")}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Since">
          <input type="date" value={since} onChange={(e) => setSince(e.target.value)} />
        </Field>
      </div>
      <ErrorNote message={entries.error} />
      <table data-testid="audit-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>What</th>
            <th>Change</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {(entries.value ?? []).map((entry) => (
            <tr key={`${entry.received ? "received" : "own"}-${entry.mutation_id}`}>
              <td>{formatInstant(entry.recorded_at)}</td>
              <td>
                {entry.username ?? "–"}
                {entry.received && <span className="muted"> · on another laptop</span>}
              </td>
              <td>{entry.entity.replace("_", " ")}</td>
              <td>{entry.kind.replace("_", " ")}</td>
              <td className="details">{JSON.stringify(entry.payload)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.value?.length === 0 && <p className="muted">No changes recorded.</p>}
    </Page>
  );
}
