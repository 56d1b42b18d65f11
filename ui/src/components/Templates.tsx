// Budget templates: the list (products, yearly amount, seasonality, who saved it,
// whether it is shared) with sharing and removal, and saving an open budget as a
// new template.
import { type FormEvent, useState } from "react";
import { formatMoney } from "../format";
import { ipc, type SessionInfo, type Template } from "../ipc";
import { ErrorNote, Field, useAction, useLoad } from "./common";

/** What a template's lines come to in a year. */
export function yearlyAmount(template: Template): number {
  return template.lines.reduce((sum, line) => sum + Number(line.quantity) * Number(line.unit_price), 0);
}

export function TemplateList({ session, round }: { session: SessionInfo; round: number }) {
  const [removed, setRemoved] = useState(0);
  const templates = useLoad(() => ipc.templatesList(), `templates/${round}/${removed}`);
  const action = useAction();
  const companyWide = session.grants.some((g) => g.action === "edit_budgets" && g.scope === "all");
  async function remove(template: Template) {
    if (await action.run(() => ipc.templatesDelete(template.id))) setRemoved((n) => n + 1);
  }
  async function share(template: Template) {
    if (await action.run(() => ipc.templatesShare(template.id, !template.shared))) setRemoved((n) => n + 1);
  }
  const list = templates.value ?? [];
  if (list.length === 0 && !templates.error) return null;
  return (
    <section data-testid="templates">
      <h2>Templates</h2>
      <ErrorNote message={templates.error ?? action.error} />
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th className="number">Products</th>
            <th className="number">Per year</th>
            <th>Seasonality (% by month)</th>
            <th>Saved by</th>
            <th>Shared</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((template) => (
            <tr key={template.id}>
              <td>{template.name}</td>
              <td className="number">{template.lines.length}</td>
              <td className="number">{formatMoney(String(yearlyAmount(template)), session.currency)}</td>
              <td className="muted">
                {template.seasonality.map((share) => Number(share).toFixed(1)).join(" · ")}
              </td>
              <td>{template.created_by_name}</td>
              <td title="A template copies its maker's budget: only a shared one is open to everyone who builds budgets">
                {template.shared ? "With everyone" : "No"}
              </td>
              <td className="row-actions">
                {template.created_by === session.actor.id && (
                  <button type="button" className="link" onClick={() => share(template)}>
                    {template.shared ? "Stop sharing" : "Share"}
                  </button>
                )}
                {(companyWide || template.created_by === session.actor.id) && (
                  <button type="button" className="link" onClick={() => remove(template)}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function SaveTemplateForm({
  budgetId,
  onDone,
  onCancel,
}: {
  budgetId: string;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState("");
  const action = useAction();
  async function submit(event: FormEvent) {
    event.preventDefault();
    let saved = "";
    const ok = await action.run(async () => {
      const template = await ipc.templatesSave({ name, from_budget: budgetId, seasonality: null });
      saved = `Saved as template "${template.name}" (${template.lines.length} products).`;
    });
    if (ok) onDone(saved);
  }
  return (
    <form className="card inline-row" onSubmit={submit} data-testid="template-form">
      <Field label="Template name">
        <input name="name" value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <button type="submit" disabled={action.busy || !name.trim()} data-testid="template-save">
        Save template
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
      <ErrorNote message={action.error} />
    </form>
  );
}
