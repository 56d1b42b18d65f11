//! The budget workflow: draft → submitted → approved | rejected → locked, each
//! step by someone with its right, recorded with who, when and why.

use super::{ApprovalStep, Budget, BudgetStatus, Transition, stored_budget};
use crate::access::Actor;
use crate::error::{Error, Result};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger};
use crate::timestamp::Timestamp;
use uuid::Uuid;

/// Moves a budget one step through its workflow, recording who, when and why.
pub fn transition(
    ledger: &mut Ledger,
    actor: &Actor,
    budget_id: Uuid,
    step: Transition,
    comment: &str,
) -> Result<Budget> {
    let comment = comment.trim().to_owned();
    ledger.write(Some(actor), |write| {
        let budget = stored_budget(write.read(), budget_id)?;
        let history = ledger::budgets::approvals(write.read(), budget.id)?;
        may_take(actor, &budget, &history, step)?;
        step.check_comment(&comment)?;
        let step_record = ApprovalStep {
            from_status: budget.status,
            to_status: step.to(),
            actor_id: actor.id,
            username: actor.username.clone(),
            comment,
            recorded_at: Timestamp::now(),
        };
        ledger::budgets::set_status(write, budget.id, step.to(), step_record.recorded_at)?;
        let step_id = ledger::budgets::insert_approval(write, budget.id, &step_record)?;
        write.record(Change {
            entity: Entity::Budget,
            entity_id: budget.id,
            kind: ChangeKind::Transitioned,
            payload: serde_json::json!({
                "from": step_record.from_status, "to": step_record.to_status, "comment": step_record.comment,
                "step_id": step_id,
            }),
            base_version: Some(budget.version),
        })?;
        stored_budget(write.read(), budget.id)
    })
}

/// Whether `actor` may take `step` on `budget` now: the right on its owner,
/// a status the step leaves from, and (to approve or reject) not the one who
/// submitted it or owns it. What the budget view offers is what this allows.
pub(super) fn may_take(
    actor: &Actor,
    budget: &Budget,
    history: &[ApprovalStep],
    step: Transition,
) -> Result<()> {
    actor.require(step.action(), &budget.owner.resource())?;
    if !step.from().contains(&budget.status) {
        let from: Vec<&str> = step.from().iter().map(|status| status.key()).collect();
        return Err(Error::invalid(
            "status",
            format!(
                "cannot {} a budget that is {}; it must be {}",
                step.key(),
                budget.status.key(),
                from.join(" or ")
            ),
        ));
    }
    if step.needs_another_person() {
        let submitter = history
            .iter()
            .rev()
            .find(|s| s.to_status == BudgetStatus::Submitted)
            .map(|s| s.actor_id);
        step.check_approver(budget.owner.salesman_id, submitter, actor.id)?;
    }
    Ok(())
}
