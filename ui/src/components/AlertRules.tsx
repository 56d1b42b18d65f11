// The user's alert rules on the Alerts screen: what each watches and what its
// last check found, a form for a new one, "Check now", snooze a week, remove.
// The app also checks them after an import, a sync or a close and once a day,
// and shows what a check tells as a desktop notification.
import { type FormEvent, useState } from "react";
import { type AlertRule, ipc, type RuleCondition, type RuleDefinition, type RuleMeasure } from "../ipc";
import { locationOptions } from "../options";
import { RULE_CONDITIONS, RULE_MEASURES, weekAfter } from "../rules";
import { Choice, ErrorNote, Field, Notice, useAction, useLoad } from "./common";

const STATES = { ok: "quiet", triggered: "holds", error: "cannot be worked out" } as const;

export function AlertRules({ onChanged, mayWatchStock }: { onChanged: () => void; mayWatchStock: boolean }) {
  const [round, setRound] = useState(0);
  const rules = useLoad(() => ipc.alertRulesList(), `alert-rules/${round}`);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();
  const changed = (message: string) => {
    setNotice(message);
    setRound((n) => n + 1);
    onChanged();
  };
  const run = async (work: () => Promise<unknown>, message: string) => {
    if (await action.run(work)) changed(message);
  };
  return (
    <section className="card" data-testid="alert-rules">
      <header className="widget-header">
        <h2>Your alert rules</h2>
        <div className="widget-tools">
          <button
            type="button"
            className="secondary"
            data-testid="rule-new"
            onClick={() => setAdding(!adding)}
          >
            {adding ? "Cancel" : "New rule"}
          </button>
          <button
            type="button"
            data-testid="rules-check"
            disabled={action.busy}
            onClick={async () => {
              let told = 0;
              if (
                await action.run(async () => {
                  told = (await ipc.alertRulesCheck()).length;
                })
              ) {
                changed(told === 0 ? "Checked: nothing new." : `Checked: ${told} told.`);
              }
            }}
          >
            Check now
          </button>
        </div>
      </header>
      <Notice message={notice} />
      <ErrorNote message={rules.error ?? action.error} />
      {adding && (
        <RuleForm
          mayWatchStock={mayWatchStock}
          onSave={(definition) =>
            run(async () => {
              await ipc.alertRulesAdd(definition);
              setAdding(false);
            }, `Added “${definition.name}”.`)
          }
        />
      )}
      {rules.value && rules.value.length === 0 && !adding && (
        <p className="muted">
          No rules yet. A rule tells you when a figure crosses a line: sales of a branch below a sum, the year
          behind plan by more than a few per cent, stock running short.
        </p>
      )}
      {rules.value && rules.value.length > 0 && (
        <table data-testid="rules-table">
          <thead>
            <tr>
              <th>Rule</th>
              <th>State</th>
              <th>Last check</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rules.value.map((rule: AlertRule) => (
              <tr key={rule.id} data-rule={rule.name}>
                <td>{rule.name}</td>
                <td className={rule.state === "triggered" ? "down" : undefined}>
                  {STATES[rule.state]}
                  {rule.snoozed_until ? ` · snoozed until ${rule.snoozed_until}` : ""}
                </td>
                <td>{rule.message ?? "not checked yet"}</td>
                <td className="row-actions">
                  {!rule.read && (
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => run(() => ipc.alertsDismiss(rule.id), `Marked read: ${rule.name}.`)}
                    >
                      Mark read
                    </button>
                  )}
                  <button
                    type="button"
                    className="secondary"
                    onClick={() =>
                      run(
                        () => ipc.alertRulesSnooze(rule.id, weekAfter(new Date())),
                        `${rule.name}: snoozed a week.`,
                      )
                    }
                  >
                    Snooze a week
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => run(() => ipc.alertRulesRemove(rule.id), `Removed “${rule.name}”.`)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RuleForm({
  mayWatchStock,
  onSave,
}: {
  mayWatchStock: boolean;
  onSave: (definition: RuleDefinition) => void;
}) {
  const locations = useLoad(() => ipc.referenceList("location", false), "rule-locations");
  const [name, setName] = useState("");
  const [measure, setMeasure] = useState<RuleMeasure>("variance_vs_budget");
  const [condition, setCondition] = useState<RuleCondition>("below");
  const [threshold, setThreshold] = useState("-5");
  const [branch, setBranch] = useState("");
  const [every, setEvery] = useState(false);
  const measures = RULE_MEASURES.filter((one) => mayWatchStock || one.value !== "stock_alerts");
  const unit = measures.find((one) => one.value === measure)?.unit ?? "";
  function submit(event: FormEvent) {
    event.preventDefault();
    onSave({
      name,
      measure,
      within: branch ? { level: "branch", key: branch } : undefined,
      condition,
      threshold: threshold.trim(),
      notify: every ? "every" : "first",
    });
  }
  return (
    <form className="form-grid" data-testid="rule-form" onSubmit={submit}>
      <Field label="Name">
        <input name="rule-name" value={name} onChange={(e) => setName(e.target.value)} required />
      </Field>
      <Field label="Watch">
        <Choice
          name="rule-measure"
          value={measure}
          options={measures}
          onChange={(value) => setMeasure(value as RuleMeasure)}
        />
      </Field>
      <Field label="Where">
        <Choice
          name="rule-branch"
          value={branch}
          allowEmpty
          options={locationOptions(locations.value ?? [])}
          onChange={setBranch}
        />
      </Field>
      <Field label="Tell me when it is">
        <Choice
          name="rule-condition"
          value={condition}
          options={RULE_CONDITIONS}
          onChange={(value) => setCondition(value as RuleCondition)}
        />
      </Field>
      <Field label={`Threshold (${unit})`}>
        <input
          name="rule-threshold"
          value={threshold}
          onChange={(e) => setThreshold(e.target.value)}
          required
        />
      </Field>
      <label className="hint">
        <input type="checkbox" checked={every} onChange={(e) => setEvery(e.target.checked)} /> Tell me at
        every check while it holds, not only the first time
      </label>
      <div className="form-footer">
        <button type="submit" data-testid="rule-save">
          Add the rule
        </button>
      </div>
    </form>
  );
}
