// A budget's expense lines: allocated, spent and remaining (red when overspent),
// a new line while the budget can be edited, spending recorded with an optional
// receipt, and a line's spending listed with its receipts saved to the downloads folder.
import { type FormEvent, useState } from "react";
import { formatDay, formatExactMoney } from "../format";
import { type Expense, ipc } from "../ipc";
import { decimalText } from "../options";
import { Choice, ErrorNote, Field, Notice, useAction, useLoad } from "./common";

export function Expenses({
  budgetId,
  expenses,
  currency,
  canAllocate,
  canSpend,
  onChanged,
}: {
  budgetId: string;
  expenses: Expense[];
  currency: string;
  canAllocate: boolean;
  canSpend: boolean;
  onChanged: () => void;
}) {
  const categories = useLoad(() => ipc.referenceList("budget_category", false), "budget-categories");
  const [spendingOn, setSpendingOn] = useState<string | null>(null);
  const [listing, setListing] = useState<string | null>(null);
  const money = (amount: string) => formatExactMoney(amount, currency);
  return (
    <section className="expenses" data-testid="expenses">
      <h2>Expenses</h2>
      <table>
        <thead>
          <tr>
            <th>Category</th>
            <th>For</th>
            <th className="number">Allocated</th>
            <th className="number">Spent</th>
            <th className="number">Remaining</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {expenses.map((line) => (
            <tr key={line.id}>
              <td>{line.category_name}</td>
              <td>{line.description}</td>
              <td className="number">{money(line.allocated)}</td>
              <td className="number">{money(line.spent)}</td>
              <td className={`number ${Number(line.remaining) < 0 ? "down" : ""}`}>
                {money(line.remaining)}
              </td>
              <td className="row-actions">
                <button
                  type="button"
                  className="link"
                  onClick={() => setListing(listing === line.id ? null : line.id)}
                  data-testid="spendings-open"
                >
                  {listing === line.id ? "Hide spending" : "Spending"}
                </button>
                {canSpend && (
                  <button
                    type="button"
                    className="link"
                    onClick={() => setSpendingOn(line.id)}
                    data-testid="spending-new"
                  >
                    Record spending
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {expenses.length === 0 && <p className="muted">No expense lines yet.</p>}
      {listing && (
        <SpendingList
          expenseId={listing}
          currency={currency}
          version={expenses.find((e) => e.id === listing)?.spent ?? ""}
        />
      )}
      {spendingOn && (
        <SpendingForm
          expenseId={spendingOn}
          onDone={() => {
            setSpendingOn(null);
            onChanged();
          }}
          onCancel={() => setSpendingOn(null)}
        />
      )}
      {canAllocate && categories.value && (
        <NewExpenseForm
          budgetId={budgetId}
          options={categories.value.map((c) => ({
            value: c.id,
            label: (c.item.fields as { name: string }).name,
          }))}
          onDone={onChanged}
        />
      )}
    </section>
  );
}

function NewExpenseForm({
  budgetId,
  options,
  onDone,
}: {
  budgetId: string;
  options: { value: string; label: string }[];
  onDone: () => void;
}) {
  const [category, setCategory] = useState(options[0]?.value ?? "");
  const [description, setDescription] = useState("");
  const [allocated, setAllocated] = useState("");
  const action = useAction();
  async function submit(event: FormEvent) {
    event.preventDefault();
    const added = await action.run(() =>
      ipc.expensesAdd(budgetId, {
        category_id: category,
        description,
        allocated: decimalText(allocated),
      }),
    );
    if (added) {
      setDescription("");
      setAllocated("");
      onDone();
    }
  }
  return (
    <form className="inline-row" onSubmit={submit} data-testid="expense-form">
      <Field label="Category">
        <Choice name="category" value={category} options={options} onChange={setCategory} />
      </Field>
      <Field label="For">
        <input name="description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <Field label="Allocated">
        <input
          name="allocated"
          inputMode="decimal"
          value={allocated}
          onChange={(e) => setAllocated(e.target.value)}
        />
      </Field>
      <button type="submit" disabled={action.busy || !allocated}>
        Add expense line
      </button>
      <ErrorNote message={action.error} />
    </form>
  );
}

function SpendingForm({
  expenseId,
  onDone,
  onCancel,
}: {
  expenseId: string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [day, setDay] = useState(new Date().toISOString().slice(0, 10));
  const [amount, setAmount] = useState("");
  const [note, setNote] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const action = useAction();
  async function submit(event: FormEvent) {
    event.preventDefault();
    const saved = await action.run(async () => {
      const receipt = file
        ? { name: file.name, bytes: Array.from(new Uint8Array(await file.arrayBuffer())) }
        : undefined;
      await ipc.expensesSpend({
        expense_id: expenseId,
        spent_on: day,
        amount: decimalText(amount),
        note,
        receipt,
      });
    });
    if (saved) onDone();
  }
  return (
    <form className="card inline-row" onSubmit={submit} data-testid="spending-form">
      <Field label="Day">
        <input type="date" name="day" value={day} onChange={(e) => setDay(e.target.value)} />
      </Field>
      <Field label="Amount (negative for a refund)">
        <input name="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
      </Field>
      <Field label="Note">
        <input name="note" value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <Field label="Receipt (optional, up to 5 MB)">
        <input type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </Field>
      <button type="submit" disabled={action.busy || !amount}>
        Save
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
      <ErrorNote message={action.error} />
    </form>
  );
}

function SpendingList({
  expenseId,
  currency,
  version,
}: {
  expenseId: string;
  currency: string;
  version: string;
}) {
  const spendings = useLoad(() => ipc.expensesSpendings(expenseId), `spendings/${expenseId}/${version}`);
  const [saved, setSaved] = useState<string | null>(null);
  const action = useAction();
  async function saveReceipt(id: string) {
    setSaved(null);
    let path = "";
    if (
      await action.run(async () => {
        path = await ipc.expensesSaveReceipt(id);
      })
    )
      setSaved(`Receipt saved to ${path}`);
  }
  return (
    <div className="card" data-testid="spendings">
      <ErrorNote message={spendings.error ?? action.error} />
      <Notice message={saved} />
      <table>
        <thead>
          <tr>
            <th>Day</th>
            <th className="number">Amount</th>
            <th>Note</th>
            <th>Receipt</th>
          </tr>
        </thead>
        <tbody>
          {(spendings.value ?? []).map((s) => (
            <tr key={s.id}>
              <td>{formatDay(s.spent_on)}</td>
              <td className="number">{formatExactMoney(s.amount, currency)}</td>
              <td>{s.note}</td>
              <td>
                {s.receipt_name && (
                  <button
                    type="button"
                    className="link"
                    onClick={() => saveReceipt(s.id)}
                    data-testid="receipt-save"
                  >
                    Save {s.receipt_name}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {spendings.value?.length === 0 && <p className="muted">Nothing spent yet.</p>}
    </div>
  );
}
