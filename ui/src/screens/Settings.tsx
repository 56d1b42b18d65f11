// Company settings: name, currency, fiscal year start, whether sales issue stock,
// and the rules stock policies and alerts follow. Everyone reads; administrators change.
import { type FormEvent, useEffect, useState } from "react";
import { ErrorNote, Field, Notice, Page, useAction, useLoad } from "../components/common";
import { type CompanySettings, ipc, type SessionInfo, type StockSettings } from "../ipc";
import { has } from "../navigation";

/** The stock rules as fields: [key, label, what it means]. */
const STOCK_RULES: [keyof StockSettings, string, string][] = [
  ["service_level_a", "Service level, class A (%)", "50–99.9: how often an A item should not run out"],
  ["service_level_b", "Service level, class B (%)", ""],
  ["service_level_c", "Service level, class C (%)", ""],
  [
    "holding_cost_percent",
    "Holding cost (% of cost a year)",
    "what keeping a unit a year costs, for the EOQ",
  ],
  ["order_cover_months", "Most months of demand per order", "1–24"],
  ["overstock_months", "Overstocked above (months of cover)", "1–60"],
  ["dead_stock_months", "Dead stock after (months without a sale)", "1–60"],
  ["branch_lead_time_days", "Days from the warehouse to a branch", "1–365"],
  [
    "review_days",
    "Days a branch plans between deliveries",
    "0–90: on top of the lead time, for replenishment",
  ],
];

/** A service level stays exact text; the other rules are whole numbers (0 when not one: refused on save). */
function fromField(key: keyof StockSettings, text: string): string | number {
  return key.startsWith("service_level") ? text.trim() : Number.parseInt(text, 10) || 0;
}

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
          <h2>Stock policies</h2>
          <p className="muted">
            Reorder points and order quantities are worked out from the forecast with these rules; changing
            them works every policy out again.
          </p>
          <div className="form-grid" data-testid="stock-rules">
            {STOCK_RULES.map(([key, label, hint]) => (
              <Field key={key} label={label}>
                <input
                  name={key}
                  inputMode="decimal"
                  title={hint}
                  value={String(company[key])}
                  disabled={!canEdit}
                  onChange={(e) => setCompany({ ...company, [key]: fromField(key, e.target.value) })}
                />
              </Field>
            ))}
          </div>
          <Field label="Negative stock">
            <span>
              <input
                type="checkbox"
                data-testid="allow-negative-stock"
                checked={company.allow_negative_stock}
                disabled={!canEdit}
                onChange={(e) => setCompany({ ...company, allow_negative_stock: e.target.checked })}
              />{" "}
              Stock may be shipped that the books say is not there (when counts lag behind the shelves).
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
