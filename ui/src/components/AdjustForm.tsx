// Changing a budget by a percentage: one product's months, or every line.
import { type FormEvent, useState } from "react";
import { ipc, type ReferenceRecord } from "../ipc";
import { decimalText, productOptions } from "../options";
import { Choice, ErrorNote, Field, useAction } from "./common";

export function AdjustForm({
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
  const [percent, setPercent] = useState("");
  const action = useAction();
  async function submit(event: FormEvent) {
    event.preventDefault();
    let count = 0;
    const ok = await action.run(async () => {
      count = (await ipc.budgetsAdjust(budgetId, product || null, decimalText(percent))).length;
    });
    if (ok) onDone(`Changed ${count} lines by ${percent} %.`);
  }
  return (
    <form className="card inline-row" onSubmit={submit} data-testid="adjust-form">
      <Field label="Lines of">
        <Choice
          name="product"
          value={product}
          options={[{ value: "", label: "every product" }, ...productOptions(products)]}
          onChange={setProduct}
        />
      </Field>
      <Field label="Change, % (negative to lower)">
        <input
          name="percent"
          inputMode="decimal"
          value={percent}
          onChange={(e) => setPercent(e.target.value)}
        />
      </Field>
      <button type="submit" disabled={action.busy || !percent} data-testid="adjust-save">
        Apply
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
      <ErrorNote message={action.error} />
    </form>
  );
}
