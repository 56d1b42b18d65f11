// Company settings: name, currency, fiscal year start, whether sales issue stock.
// Everyone reads; administrators change.
import { type FormEvent, useEffect, useState } from "react";
import { ErrorNote, Field, Notice, Page, useAction, useLoad } from "../components/common";
import { type CompanySettings, ipc, type SessionInfo } from "../ipc";
import { has } from "../navigation";

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

export function Settings({ session }: { session: SessionInfo }) {
  const settings = useLoad(() => ipc.settingsGet(), "settings");
  const [company, setCompany] = useState<CompanySettings | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();
  const canEdit = has(session.grants, "edit_settings");
  useEffect(() => setCompany(settings.value?.company ?? null), [settings.value]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!company || !settings.value) return;
    const version = settings.value.version;
    if (await action.run(() => ipc.settingsUpdate(version, company))) {
      setNotice("Saved.");
      settings.reload();
    }
  }

  return (
    <Page title="Company settings">
      <ErrorNote message={settings.error} />
      <Notice message={notice} />
      {company && (
        <form className="card" onSubmit={submit}>
          <Field label="Company name">
            <input
              value={company.company_name}
              disabled={!canEdit}
              onChange={(e) => setCompany({ ...company, company_name: e.target.value })}
            />
          </Field>
          <Field label="Currency (ISO code)">
            <input
              value={company.currency}
              maxLength={3}
              disabled={!canEdit}
              onChange={(e) => setCompany({ ...company, currency: e.target.value.toUpperCase() })}
            />
          </Field>
          <Field label="Fiscal year starts in">
            <select
              value={company.fiscal_year_start_month}
              disabled={!canEdit}
              onChange={(e) => setCompany({ ...company, fiscal_year_start_month: Number(e.target.value) })}
            >
              {MONTHS.map((name, index) => (
                <option key={name} value={index + 1}>
                  {name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Sales take stock">
            <span className="hint">
              <input
                type="checkbox"
                data-testid="sales-issue-stock"
                checked={company.sales_issue_stock}
                disabled={!canEdit}
                onChange={(e) => setCompany({ ...company, sales_issue_stock: e.target.checked })}
              />{" "}
              A sale posted takes its quantity out of its branch's stock. Turn off when stock comes only from
              your ERP's exports (imported counts and movements then keep it).
            </span>
          </Field>
          <ErrorNote message={action.error} />
          {canEdit && (
            <button type="submit" disabled={action.busy}>
              Save
            </button>
          )}
        </form>
      )}
    </Page>
  );
}
