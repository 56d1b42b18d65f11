// The words for a missing plan (no approved budget), shared by every comparison screen.
import type { PlanCoverage } from "./ipc";

export function noPlanMessage(plan: PlanCoverage, year: number, scenario: string): string | null {
  if (plan.approved > 0) return null;
  const what = `No approved budget for ${year}${scenario === "Base" ? "" : ` (${scenario})`}`;
  if (plan.not_approved === 0)
    return `${what} — make one in Budgets. Sales are shown without a variance until then.`;
  const waiting = plan.not_approved === 1 ? "1 budget is" : `${plan.not_approved} budgets are`;
  return `${what} yet: ${waiting} still a draft or waiting for approval. Sales are shown without a variance until one is approved.`;
}
