// Entering an actual sale by hand: month, product, branch, salesman, quantity
// (negative for a return) and unit price (the list price unless changed). The
// notice says what the sale did to the branch's stock when the company's sales issue it.
import { type FormEvent, useState } from "react";
import { ipc, type SessionInfo } from "../ipc";
import { branchOptions, decimalText, listPrice, monthOf, productOptions } from "../options";
import { Choice, ErrorNote, Field, useAction, useLoad } from "./common";

/** What a sale did to its branch's stock (a return puts it back). */
function stockNote(quantity: string): string {
  return quantity.startsWith("-")
    ? ` ${quantity.slice(1)} put back into the branch's stock.`
    : ` ${quantity} taken out of the branch's stock.`;
}

export function SaleForm({
  session,
  onDone,
  onCancel,
}: {
  session: SessionInfo;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const products = useLoad(() => ipc.referenceList("product", false), "sale-products");
  const locations = useLoad(() => ipc.referenceList("location", false), "sale-locations");
  const salesmen = useLoad(() => ipc.budgetsSalesmen(), "sale-salesmen");
  const { actor } = session;
  const [period, setPeriod] = useState(monthOf(new Date()));
  const [product, setProduct] = useState("");
  const [location, setLocation] = useState(actor.location_id ?? "");
  const [salesman, setSalesman] = useState(actor.role === "salesman" ? actor.id : "");
  const [quantity, setQuantity] = useState("");
  const [price, setPrice] = useState("");
  const action = useAction();

  function chooseProduct(id: string) {
    setProduct(id);
    setPrice(listPrice(products.value ?? [], id));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    let amount = "";
    let stock = "";
    const ok = await action.run(async () => {
      const [posted] = await ipc.salesPost([
        {
          period,
          product_id: product,
          location_id: location,
          salesman_id: salesman || null,
          customer_id: null,
          quantity: decimalText(quantity),
          unit_price: decimalText(price),
        },
      ]);
      amount = posted?.amount ?? "";
      if (posted?.issues_stock) stock = stockNote(posted.quantity);
    });
    if (ok) onDone(`Sale recorded: ${amount} ${session.currency} in ${period}.${stock}`);
  }

  return (
    <form className="card inline-form" onSubmit={submit} data-testid="sale-form">
      <h2>Record a sale</h2>
      <div className="form-grid">
        <Field label="Month">
          <input type="month" name="period" value={period} onChange={(e) => setPeriod(e.target.value)} />
        </Field>
        <Field label="Product">
          <Choice
            name="product"
            value={product}
            options={productOptions(products.value ?? [])}
            onChange={chooseProduct}
            allowEmpty
          />
        </Field>
        <Field label="Branch">
          <Choice
            name="location"
            value={location}
            options={branchOptions(locations.value ?? [])}
            onChange={setLocation}
            allowEmpty
          />
        </Field>
        <Field label="Salesman">
          <Choice
            name="salesman"
            value={salesman}
            options={(salesmen.value ?? []).map((s) => ({ value: s.id, label: s.display_name }))}
            onChange={setSalesman}
            allowEmpty
          />
        </Field>
        <Field label="Quantity (negative for a return)">
          <input
            name="quantity"
            inputMode="decimal"
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
          />
        </Field>
        <Field label="Unit price">
          <input name="price" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} />
        </Field>
      </div>
      <ErrorNote message={products.error ?? locations.error ?? salesmen.error ?? action.error} />
      <div className="form-actions">
        <button
          type="submit"
          disabled={action.busy || !product || !location || !quantity}
          data-testid="sale-save"
        >
          Record
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
