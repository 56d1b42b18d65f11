// Spreading a yearly total of one product over the budget's months: a quantity
// (whole units) or an amount (to the cent), flat or like last year's sales.
import { type FormEvent, useState } from "react";
import { ipc, type ReferenceRecord, type SpreadMeasure } from "../ipc";
import { decimalText, productOptions } from "../options";
import { Choice, ErrorNote, Field, useAction } from "./common";

export function SpreadForm({
  budgetId,
  products,
  onDone,
  onCancel,
}: {
  budgetId: string;
  products: ReferenceRecord[];
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [product, setProduct] = useState("");
  const [total, setTotal] = useState("");
  const [measure, setMeasure] = useState<SpreadMeasure>("quantity");
  const [profile, setProfile] = useState<"flat" | "last_year">("last_year");
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await action.run(() =>
      ipc.budgetsSpread(budgetId, {
        product_id: product,
        total: decimalText(total),
        measure,
        profile: { kind: profile },
      }),
    );
    if (ok) onDone(`Spread ${total} ${measure === "amount" ? "(amount)" : "units"} over the year.`);
  }

  return (
    <form className="card inline-row" onSubmit={submit} data-testid="spread-form">
      <Field label="Product">
        <Choice
          name="product"
          value={product}
          options={productOptions(products)}
          onChange={setProduct}
          allowEmpty
        />
      </Field>
      <Field label="Yearly total">
        <input name="total" inputMode="decimal" value={total} onChange={(e) => setTotal(e.target.value)} />
      </Field>
      <Field label="Of">
        <Choice
          name="measure"
          value={measure}
          options={[
            { value: "quantity", label: "quantity (whole units)" },
            { value: "amount", label: "amount (to the cent)" },
          ]}
          onChange={(value) => setMeasure(value as SpreadMeasure)}
        />
      </Field>
      <Field label="Over the months">
        <Choice
          name="profile"
          value={profile}
          options={[
            { value: "last_year", label: "like last year's sales" },
            { value: "flat", label: "evenly" },
          ]}
          onChange={(value) => setProfile(value as "flat" | "last_year")}
        />
      </Field>
      <button type="submit" disabled={action.busy || !product || !total} data-testid="spread-save">
        Spread
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
      <ErrorNote message={action.error} />
    </form>
  );
}
