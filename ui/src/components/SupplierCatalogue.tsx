// What one supplier sells and on what terms: cost, pack, minimum order, lead
// time and whether it is the product's primary source. Supply Chain sets a
// line (new, or over the one there) and removes one no longer bought.
import { type FormEvent, useState } from "react";
import { ipc, type ReferenceRecord, type SupplierProduct } from "../ipc";
import { decimalText, productOptions } from "../options";
import { Choice, ErrorNote, Field, FormFooter, Notice, useAction, useLoad } from "./common";

export function SupplierCatalogue({
  supplier,
  canEdit,
  onClose,
}: {
  supplier: ReferenceRecord;
  canEdit: boolean;
  onClose: () => void;
}) {
  const { code, name } = supplier.item.fields as { code: string; name: string };
  const lines = useLoad(() => ipc.supplierProducts(supplier.id, null), `catalogue/${supplier.id}`);
  const products = useLoad(() => ipc.referenceList("product", false), "catalogue-products");
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();

  async function remove(line: SupplierProduct) {
    if (await action.run(() => ipc.supplierProductRemove(supplier.id, line.terms.product_id))) {
      setNotice(`${line.sku} is no longer bought from ${code}.`);
      lines.reload();
    }
  }

  return (
    <section className="card" data-testid="supplier-catalogue">
      <h2>
        What {code} {name} sells
      </h2>
      <Notice message={notice} />
      <ErrorNote message={lines.error ?? products.error ?? action.error} />
      {canEdit && (
        <LineForm
          supplierId={supplier.id}
          lines={lines.value ?? []}
          products={products.value ?? []}
          onDone={(message) => {
            setNotice(message);
            lines.reload();
          }}
        />
      )}
      <table>
        <thead>
          <tr>
            <th>SKU</th>
            <th>Product</th>
            <th>Their number</th>
            <th className="number">Cost</th>
            <th className="number">Pack</th>
            <th className="number">Min. order</th>
            <th className="number">Lead time (days)</th>
            <th>Primary</th>
            {canEdit && <th />}
          </tr>
        </thead>
        <tbody>
          {(lines.value ?? []).map((line) => (
            <tr key={line.id}>
              <td>{line.sku}</td>
              <td>{line.product_name}</td>
              <td>{line.terms.supplier_sku}</td>
              <td className="number">{line.terms.cost_price}</td>
              <td className="number">{line.terms.pack_size}</td>
              <td className="number">{line.terms.min_order}</td>
              <td className="number">{line.lead_time_days}</td>
              <td>{line.terms.is_primary ? "yes" : ""}</td>
              {canEdit && (
                <td className="row-actions">
                  <button type="button" className="link" onClick={() => remove(line)}>
                    Remove
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-actions">
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}

function LineForm({
  supplierId,
  lines,
  products,
  onDone,
}: {
  supplierId: string;
  lines: SupplierProduct[];
  products: ReferenceRecord[];
  onDone: (message: string) => void;
}) {
  const [product, setProduct] = useState("");
  const [cost, setCost] = useState("");
  const [pack, setPack] = useState("1");
  const [minOrder, setMinOrder] = useState("0");
  const [theirs, setTheirs] = useState("");
  const [leadTime, setLeadTime] = useState("");
  const [primary, setPrimary] = useState(false);
  const action = useAction();
  const current = lines.find((line) => line.terms.product_id === product);

  /** Choosing a product the supplier sells already fills in its terms to change. */
  function choose(id: string) {
    setProduct(id);
    const line = lines.find((known) => known.terms.product_id === id);
    setCost(line?.terms.cost_price ?? "");
    setPack(line?.terms.pack_size ?? "1");
    setMinOrder(line?.terms.min_order ?? "0");
    setTheirs(line?.terms.supplier_sku ?? "");
    setLeadTime(line?.terms.lead_time_days == null ? "" : String(line.terms.lead_time_days));
    setPrimary(line?.terms.is_primary ?? false);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    let saved: SupplierProduct | undefined;
    const ok = await action.run(async () => {
      if (!/^\s*\d*\s*$/.test(leadTime))
        throw new Error(
          `lead_time_days: '${leadTime}' is not a whole number of days; leave it blank for the supplier's`,
        );
      saved = await ipc.supplierProductPut(
        {
          supplier_id: supplierId,
          product_id: product,
          supplier_sku: theirs,
          cost_price: decimalText(cost),
          pack_size: decimalText(pack),
          min_order: decimalText(minOrder),
          lead_time_days: leadTime.trim() === "" ? null : Number(leadTime),
          is_primary: primary,
        },
        current ? Number(current.version) : null,
      );
    });
    if (ok && saved)
      onDone(
        `${saved.sku} from this supplier: ${saved.terms.cost_price} a unit, ${saved.lead_time_days} days.`,
      );
  }

  return (
    <form className="inline-form" onSubmit={submit} data-testid="supplier-line-form">
      <div className="form-grid">
        <Field label="Product">
          <Choice
            name="product"
            value={product}
            options={productOptions(products)}
            onChange={choose}
            allowEmpty
          />
        </Field>
        <Field label="Cost a unit">
          <input name="cost" inputMode="decimal" value={cost} onChange={(e) => setCost(e.target.value)} />
        </Field>
        <Field label="Pack (order multiple)">
          <input name="pack" inputMode="decimal" value={pack} onChange={(e) => setPack(e.target.value)} />
        </Field>
        <Field label="Minimum order">
          <input
            name="min_order"
            inputMode="decimal"
            value={minOrder}
            onChange={(e) => setMinOrder(e.target.value)}
          />
        </Field>
        <Field label="Their article number">
          <input name="supplier_sku" value={theirs} onChange={(e) => setTheirs(e.target.value)} />
        </Field>
        <Field label="Lead time (blank: the supplier's)">
          <input
            name="lead_time"
            inputMode="numeric"
            value={leadTime}
            onChange={(e) => setLeadTime(e.target.value)}
          />
        </Field>
        <Field label="Primary supplier">
          <input
            type="checkbox"
            name="primary"
            checked={primary}
            onChange={(e) => setPrimary(e.target.checked)}
          />
        </Field>
      </div>
      <FormFooter error={action.error} busy={action.busy || !product} onCancel={() => choose("")} />
    </form>
  );
}
