// What a comparison says when there is no approved budget to compare with:
// sales are then shown on their own, never as a variance against zero.
import type { PlanCoverage } from "../ipc";
import { useNavigate } from "../navigate";
import { noPlanMessage } from "../plan";

export function NoPlan({ plan, year, scenario }: { plan: PlanCoverage; year: number; scenario: string }) {
  const navigate = useNavigate();
  const message = noPlanMessage(plan, year, scenario);
  if (!message) return null;
  return (
    <div className="note no-plan" role="status" data-testid="no-plan">
      <p>{message}</p>
      <button type="button" className="secondary" onClick={() => navigate("budgets")}>
        Go to Budgets
      </button>
    </div>
  );
}
