// Reference data: products, categories, branches, departments, customers,
// suppliers. Everyone reads them; administrators add, edit, archive and restore
// them, and Supply Chain the suppliers.

import { type FormEvent, useState } from "react";
import {
  Choice,
  ErrorNote,
  Field,
  FormFooter,
  Notice,
  Page,
  useAction,
  useEditing,
  useLoad,
} from "../components/common";
import { ExportButtons } from "../components/ExportButtons";
import { SupplierCatalogue } from "../components/SupplierCatalogue";
import { ipc, type ReferenceRecord, type SessionInfo } from "../ipc";
import { has } from "../navigation";
import {
  blankValues,
  cellText,
  type FormValues,
  KINDS,
  type KindSpec,
  type Lookups,
  toItem,
  valuesOf,
} from "../referenceKinds";

async function loadLookups(): Promise<Lookups> {
  const [categories, locations] = await Promise.all([
    ipc.referenceList("product_category", false),
    ipc.referenceList("location", false),
  ]);
  const option = (record: ReferenceRecord) => {
    const fields = record.item.fields as { code: string; name: string };
    return { value: record.id, label: `${fields.code} ${fields.name}` };
  };
  return { categories: categories.map(option), locations: locations.map(option) };
}

export function ReferenceData({ session }: { session: SessionInfo }) {
  const [spec, setSpec] = useState<KindSpec>(KINDS[0] as KindSpec);
  const [showArchived, setShowArchived] = useState(false);
  const rows = useLoad(() => ipc.referenceList(spec.kind, showArchived), `${spec.kind}/${showArchived}`);
  const editor = useEditing<ReferenceRecord>(rows.reload);
  const lookups = useLoad(loadLookups, `lookups/${spec.kind}`);
  const action = useAction();
  const canEdit = has(session.grants, spec.edit ?? "edit_reference");
  // A supplier's products and terms: for those who buy (cost prices).
  const [catalogue, setCatalogue] = useState<ReferenceRecord | null>(null);
  const showsCatalogue = spec.kind === "supplier" && has(session.grants, "view_stock");

  async function archive(record: ReferenceRecord, archived: boolean) {
    if (await action.run(() => ipc.referenceSetArchived(spec.kind, record.id, archived))) {
      editor.done(archived ? "Archived." : "Restored.");
    }
  }

  return (
    <Page
      title="Reference data"
      actions={
        canEdit && (
          <button type="button" onClick={() => editor.open("new")} data-testid="reference-add">
            Add
          </button>
        )
      }
    >
      <ExportButtons what={{ what: "reference", kind: spec.kind }} />
      {spec.kind === "supplier" && (
        <ExportButtons
          what={{ what: "supplier_products" }}
          label="Export what they sell as"
          testId="supplier-products-export"
        />
      )}
      <nav className="tabs">
        {KINDS.map((kind) => (
          <button
            type="button"
            key={kind.kind}
            className={kind.kind === spec.kind ? "tab active" : "tab"}
            data-testid={`tab-${kind.kind}`}
            onClick={() => {
              setSpec(kind);
              setCatalogue(null);
              editor.close();
              editor.setNotice(null);
            }}
          >
            {kind.label}
          </button>
        ))}
        <label className="toggle">
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />{" "}
          Show archived
        </label>
      </nav>
      <Notice message={editor.notice} />
      <ErrorNote message={rows.error ?? lookups.error ?? action.error} />
      {editor.isOpen && lookups.value && (
        <ReferenceForm
          key={editor.formKey}
          spec={spec}
          lookups={lookups.value}
          record={editor.record}
          onDone={editor.done}
          onCancel={editor.close}
        />
      )}
      {showsCatalogue && catalogue && (
        <SupplierCatalogue
          key={catalogue.id}
          supplier={catalogue}
          canEdit={canEdit}
          onClose={() => setCatalogue(null)}
        />
      )}
      <table data-testid="reference-table">
        <thead>
          <tr>
            {spec.fields.map((field) => (
              <th key={field.key}>{field.label}</th>
            ))}
            {(canEdit || showsCatalogue) && <th />}
          </tr>
        </thead>
        <tbody>
          {(rows.value ?? []).map((record) => {
            const values = valuesOf(record);
            return (
              <tr key={record.id} className={record.archived_at ? "archived" : ""}>
                {spec.fields.map((field) => (
                  <td
                    key={field.key}
                    className={field.type === "money" || field.type === "number" ? "number" : ""}
                  >
                    {cellText(field, values[field.key], lookups.value ?? { categories: [], locations: [] })}
                  </td>
                ))}
                {(canEdit || showsCatalogue) && (
                  <td className="row-actions">
                    {showsCatalogue && (
                      <button
                        type="button"
                        className="link"
                        data-testid="supplier-products"
                        onClick={() => setCatalogue(record)}
                      >
                        Products
                      </button>
                    )}
                    {canEdit && (
                      <>
                        <button type="button" className="link" onClick={() => editor.open(record)}>
                          Edit
                        </button>
                        <button
                          type="button"
                          className="link"
                          onClick={() => archive(record, !record.archived_at)}
                        >
                          {record.archived_at ? "Restore" : "Archive"}
                        </button>
                      </>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </Page>
  );
}

function ReferenceForm({
  spec,
  lookups,
  record,
  onDone,
  onCancel,
}: {
  spec: KindSpec;
  lookups: Lookups;
  record: ReferenceRecord | null;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<FormValues>(() =>
    record ? valuesOf(record) : blankValues(spec, lookups),
  );
  const action = useAction();
  const set = (key: string, value: string | boolean) =>
    setValues((current) => ({ ...current, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const item = toItem(spec, values);
    const saved = await action.run(() =>
      record ? ipc.referenceUpdate(record.id, record.version, item) : ipc.referenceCreate(item),
    );
    if (saved) onDone(record ? "Saved." : "Added.");
  }

  return (
    <form className="card inline-form" onSubmit={submit} data-testid="reference-form">
      <h2>{record ? "Edit" : "Add"}</h2>
      <div className="form-grid">
        {spec.fields.map((field) => (
          <Field key={field.key} label={field.label}>
            {field.type === "checkbox" ? (
              <input
                type="checkbox"
                checked={values[field.key] === true}
                onChange={(e) => set(field.key, e.target.checked)}
              />
            ) : field.type === "select" ? (
              <Choice
                value={String(values[field.key] ?? "")}
                options={field.options?.(lookups) ?? []}
                onChange={(value) => set(field.key, value)}
                allowEmpty={field.optional}
              />
            ) : (
              <input
                name={field.key}
                inputMode={
                  field.type === "money" ? "decimal" : field.type === "number" ? "numeric" : undefined
                }
                value={String(values[field.key] ?? "")}
                onChange={(e) => set(field.key, e.target.value)}
              />
            )}
          </Field>
        ))}
      </div>
      <FormFooter error={action.error} busy={action.busy} onCancel={onCancel} />
    </form>
  );
}
