//! The plan a comparison measures actuals against: the approved (or locked)
//! budgets of a year, scenario and owner kind within a scope. A sale whose owner
//! has no approved budget is unplanned: it is shown, but never counted as a
//! variance, and a missing plan is said as such instead of reading as zero.

use super::OwnerKind;
use crate::access::{Actor, Scope};
use crate::error::Result;
use crate::ledger;
use crate::ledger::Reader;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use ts_rs::TS;

pub(crate) use crate::model::budgets::PlanOf;
use uuid::Uuid;

/// How many budgets of the year and scenario the plan is made of, and how many
/// are not part of it yet, so a screen can say why there is no plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanCoverage {
    /// Approved or locked budgets: the plan.
    pub approved: u32,
    /// Drafts, submitted and rejected budgets: not counted until approved.
    pub not_approved: u32,
}

impl PlanCoverage {
    /// What to say when there is no plan to compare with; none when there is one.
    pub fn missing(&self, fiscal_year: i32, scenario: &str) -> Option<String> {
        (self.approved == 0).then(|| {
            let waiting = match self.not_approved {
                0 => String::new(),
                1 => " (1 budget is not approved yet)".into(),
                n => format!(" ({n} budgets are not approved yet)"),
            };
            format!(
                "No approved budget for {fiscal_year} ({scenario}){waiting}: no variance is counted"
            )
        })
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    basis: OwnerKind,
    owners: HashSet<Uuid>,
    pub coverage: PlanCoverage,
}

impl Plan {
    pub(crate) fn load(
        conn: Reader<'_>,
        scope: Scope,
        actor: &Actor,
        of: PlanOf<'_>,
    ) -> Result<Plan> {
        let mut plan = Plan {
            basis: of.basis,
            owners: HashSet::new(),
            coverage: PlanCoverage::default(),
        };
        for budget in ledger::budgets::list_budgets(conn, scope, actor, Some(of.fiscal_year))? {
            if budget.owner.kind != of.basis || !budget.scenario.eq_ignore_ascii_case(of.scenario) {
                continue;
            }
            if budget.status.is_plan() {
                plan.coverage.approved += 1;
                plan.owners.extend(plan.owner_of(
                    budget.owner.salesman_id,
                    budget.owner.department_id,
                    budget.owner.location_id,
                ));
            } else {
                plan.coverage.not_approved += 1;
            }
        }
        Ok(plan)
    }

    fn owner_of(
        &self,
        salesman: Option<Uuid>,
        department: Option<Uuid>,
        location: Option<Uuid>,
    ) -> Option<Uuid> {
        match self.basis {
            OwnerKind::Salesman => salesman,
            OwnerKind::Department => department,
            OwnerKind::Location => location,
        }
    }

    /// Whether a sale (by its salesman, department and branch) lies within an approved budget.
    pub(crate) fn covers(
        &self,
        salesman: Option<Uuid>,
        department: Option<Uuid>,
        location: Option<Uuid>,
    ) -> bool {
        self.owner_of(salesman, department, location)
            .is_some_and(|owner| self.owners.contains(&owner))
    }

    /// What the plan's budgets are owned by (salesmen, departments or
    /// branches), and which of them have one.
    pub(crate) fn owners(&self) -> (OwnerKind, Vec<Uuid>) {
        (self.basis, self.owners.iter().copied().collect())
    }

    pub(crate) fn exists(&self) -> bool {
        self.coverage.approved > 0
    }
}
