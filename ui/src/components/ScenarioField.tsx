// Choosing a scenario: one of those the user's budgets already have (Base is
// always there), or, where a form makes budgets, a new one typed in.
import { useState } from "react";
import { ipc } from "../ipc";
import { scenarioChoices } from "../options";
import { Field, useLoad } from "./common";

const NEW = "\u0000new";

export function ScenarioField({
  value,
  onChange,
  allowNew = false,
}: {
  value: string;
  onChange: (scenario: string) => void;
  /** Offer "New scenario…" (forms that make budgets); otherwise only existing ones. */
  allowNew?: boolean;
}) {
  const budgets = useLoad(() => ipc.budgetsList(null), "scenarios");
  const known = scenarioChoices(
    (budgets.value ?? []).map((summary) => summary.budget.scenario),
    value,
  );
  const [typing, setTyping] = useState(false);
  return (
    <Field label="Scenario">
      {typing ? (
        <input
          name="scenario"
          value={value}
          // biome-ignore lint/a11y/noAutofocus: the user just asked to type a new scenario's name.
          autoFocus
          placeholder="name of the new scenario"
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <select
          name="scenario"
          value={value}
          onChange={(e) => {
            if (e.target.value === NEW) {
              setTyping(true);
              onChange("");
            } else onChange(e.target.value);
          }}
        >
          {known.map((scenario) => (
            <option key={scenario} value={scenario}>
              {scenario}
            </option>
          ))}
          {allowNew && <option value={NEW}>New scenario…</option>}
        </select>
      )}
    </Field>
  );
}
