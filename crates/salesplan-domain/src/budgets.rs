//! The budget workflow: draft → submitted → approved | rejected → locked, and
//! who may take each step. The laptop and head office decide a step with these.

use crate::access::Action;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BudgetStatus {
    Draft,
    Submitted,
    Approved,
    Rejected,
    Locked,
}

impl BudgetStatus {
    pub const ALL: [BudgetStatus; 5] = [
        BudgetStatus::Draft,
        BudgetStatus::Submitted,
        BudgetStatus::Approved,
        BudgetStatus::Rejected,
        BudgetStatus::Locked,
    ];

    pub fn key(self) -> &'static str {
        match self {
            BudgetStatus::Draft => "draft",
            BudgetStatus::Submitted => "submitted",
            BudgetStatus::Approved => "approved",
            BudgetStatus::Rejected => "rejected",
            BudgetStatus::Locked => "locked",
        }
    }

    pub fn parse(key: &str) -> Option<BudgetStatus> {
        BudgetStatus::ALL
            .into_iter()
            .find(|status| status.key() == key)
    }

    /// Lines may change only while the owner is still working on the budget.
    pub fn is_editable(self) -> bool {
        matches!(self, BudgetStatus::Draft | BudgetStatus::Rejected)
    }

    /// An approved (or, after approval, locked) budget is the plan actuals are
    /// measured against; a draft, submitted or rejected one is not yet.
    pub fn is_plan(self) -> bool {
        matches!(self, BudgetStatus::Approved | BudgetStatus::Locked)
    }
}

/// A step of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Transition {
    Submit,
    Approve,
    Reject,
    Lock,
    Unlock,
}

impl Transition {
    pub const ALL: [Transition; 5] = [
        Transition::Submit,
        Transition::Approve,
        Transition::Reject,
        Transition::Lock,
        Transition::Unlock,
    ];

    /// The statuses the step may start from.
    pub fn from(self) -> &'static [BudgetStatus] {
        match self {
            Transition::Submit => &[BudgetStatus::Draft, BudgetStatus::Rejected],
            Transition::Approve | Transition::Reject => &[BudgetStatus::Submitted],
            Transition::Lock => &[BudgetStatus::Approved],
            Transition::Unlock => &[BudgetStatus::Approved, BudgetStatus::Locked],
        }
    }

    pub fn to(self) -> BudgetStatus {
        match self {
            Transition::Submit => BudgetStatus::Submitted,
            Transition::Approve => BudgetStatus::Approved,
            Transition::Reject => BudgetStatus::Rejected,
            Transition::Lock => BudgetStatus::Locked,
            Transition::Unlock => BudgetStatus::Draft,
        }
    }

    /// The step that goes from `from` to `to`, if the workflow has one.
    pub fn between(from: BudgetStatus, to: BudgetStatus) -> Option<Transition> {
        Transition::ALL
            .into_iter()
            .find(|step| step.to() == to && step.from().contains(&from))
    }

    /// The grant the step needs (on the budget's scope).
    pub fn action(self) -> Action {
        match self {
            Transition::Submit => Action::EditBudgets,
            Transition::Approve | Transition::Reject | Transition::Lock => Action::ApproveBudgets,
            Transition::Unlock => Action::UnlockBudgets,
        }
    }

    /// A rejection or an unlock must say why.
    pub fn needs_comment(self) -> bool {
        matches!(self, Transition::Reject | Transition::Unlock)
    }

    /// Approving or rejecting needs a second person: not the budget's owner, not who submitted it.
    pub fn needs_another_person(self) -> bool {
        matches!(self, Transition::Approve | Transition::Reject)
    }

    /// The step's comment, when it must say why.
    pub fn check_comment(self, comment: &str) -> Result<()> {
        if self.needs_comment() && comment.trim().is_empty() {
            return Err(Error::invalid(
                "comment",
                format!("is required to {} a budget: say why", self.key()),
            ));
        }
        Ok(())
    }

    /// Who takes the step (`actor`), when it needs a second person: not the
    /// budget's `owner`, not who `submitted` it.
    pub fn check_approver(
        self,
        owner: Option<Uuid>,
        submitted: Option<Uuid>,
        actor: Uuid,
    ) -> Result<()> {
        if self.needs_another_person() && (owner == Some(actor) || submitted == Some(actor)) {
            return Err(Error::invalid(
                "approver",
                format!(
                    "you cannot {} a budget you own or submitted; another approver must",
                    self.key()
                ),
            ));
        }
        Ok(())
    }

    pub fn key(self) -> &'static str {
        match self {
            Transition::Submit => "submit",
            Transition::Approve => "approve",
            Transition::Reject => "reject",
            Transition::Lock => "lock",
            Transition::Unlock => "unlock",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_can_be_left_and_only_drafts_and_rejections_edited() {
        for status in BudgetStatus::ALL {
            let leaves = Transition::ALL
                .iter()
                .any(|step| step.from().contains(&status));
            assert!(leaves, "{status:?} is a dead end");
            assert_eq!(BudgetStatus::parse(status.key()), Some(status));
        }
        let editable: Vec<BudgetStatus> = BudgetStatus::ALL
            .into_iter()
            .filter(|s| s.is_editable())
            .collect();
        assert_eq!(editable, [BudgetStatus::Draft, BudgetStatus::Rejected]);
    }

    #[test]
    fn the_workflow_runs_draft_submitted_approved_locked_and_back_by_unlock() {
        let mut status = BudgetStatus::Draft;
        for step in [
            Transition::Submit,
            Transition::Reject,
            Transition::Submit,
            Transition::Approve,
            Transition::Lock,
            Transition::Unlock,
        ] {
            assert!(step.from().contains(&status), "{step:?} from {status:?}");
            status = step.to();
        }
        assert_eq!(status, BudgetStatus::Draft);
        assert!(
            !Transition::Approve.from().contains(&BudgetStatus::Draft),
            "approval needs a submission first"
        );
    }
}
