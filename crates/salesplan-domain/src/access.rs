//! Who may do what: the five roles, the actions, the scope grants (data, not
//! code paths) and the one function `can(actor, action, resource)`.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;
use uuid::Uuid;

/// DESIGN §1. The numbers are the ids stored in `users.role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Role {
    Administrator = 1,
    Salesman = 2,
    Manager = 3,
    SupplyChain = 4,
    BranchManager = 5,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Administrator,
        Role::Salesman,
        Role::Manager,
        Role::SupplyChain,
        Role::BranchManager,
    ];

    pub fn id(self) -> i64 {
        self as i64
    }

    pub fn from_id(id: i64) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.id() == id)
    }

    /// The name used on the command line and in JSON: `supply-chain`.
    pub fn key(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Salesman => "salesman",
            Role::Manager => "manager",
            Role::SupplyChain => "supply-chain",
            Role::BranchManager => "branch-manager",
        }
    }

    pub fn parse(key: &str) -> Result<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.key().eq_ignore_ascii_case(key.trim()))
            .ok_or_else(|| {
                let known: Vec<&str> = Role::ALL.iter().map(|role| role.key()).collect();
                Error::invalid(
                    "role",
                    format!("'{key}' is not a role; use one of {}", known.join(", ")),
                )
            })
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Administrator => "Administrator",
            Role::Salesman => "Salesman",
            Role::Manager => "Manager",
            Role::SupplyChain => "Supply Chain",
            Role::BranchManager => "Branch Manager",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Everything a service can be asked to do. Each service function checks exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Action {
    ViewReference,
    EditReference,
    EditSettings,
    ViewUsers,
    ManageUsers,
    ChangeOwnPassword,
    ViewAudit,
    ViewActuals,
    PostActuals,
    ViewBudgets,
    /// Create budgets, edit their lines, submit them.
    EditBudgets,
    /// Approve, reject and lock submitted budgets.
    ApproveBudgets,
    /// Reopen an approved or locked budget.
    UnlockBudgets,
    /// On-hand stock and its movements.
    ViewStock,
    /// Record stock counts and movements (receipts, issues, transfers, adjustments).
    PostStock,
    /// The forecast, its overrides, snapshots and accuracy.
    ViewForecasts,
    /// Recompute the baseline and override it (with a reason).
    EditForecasts,
    /// Close a month: freeze its actual sales, snapshot the forecast, roll forward.
    CloseMonths,
    /// Keep the suppliers: their lead times, variability and order costs.
    EditSuppliers,
    /// Override stock policies (with a reason) and work them out again.
    EditPolicies,
    /// Order from suppliers: make, send and cancel purchase orders.
    Purchase,
    /// How much of each product each location holds, read-only: what a
    /// salesman quotes from. Head office's figures on a laptop that syncs.
    ViewAvailability,
    /// Transfers between locations, what is in transit and the replenishment
    /// proposals: those touching the user's scope.
    ViewTransfers,
    /// Ask for stock to be moved to a location (a branch manager for his branch).
    RequestTransfers,
    /// Approve and ship transfers, release replenishment proposals, share
    /// the warehouse out when it is short.
    Distribute,
    /// Arrange one's own home screen: which widgets it shows, in what order.
    ArrangeHome,
    /// Keep one's own alert rules (each needs the right to see what it watches).
    KeepAlertRules,
    /// Save, rename, share and delete one's own reports (running one needs
    /// the right to see what it measures, and shows only one's own scope).
    KeepReports,
    /// Add, change and remove data sources (connections to databases, web APIs,
    /// document stores), and run any of them.
    ManageSources,
    /// Run a data source one owns (its rows are checked against one's scope).
    RunSources,
}

impl Action {
    pub const ALL: [Action; 30] = [
        Action::ViewReference,
        Action::EditReference,
        Action::EditSettings,
        Action::ViewUsers,
        Action::ManageUsers,
        Action::ChangeOwnPassword,
        Action::ViewAudit,
        Action::ViewActuals,
        Action::PostActuals,
        Action::ViewBudgets,
        Action::EditBudgets,
        Action::ApproveBudgets,
        Action::UnlockBudgets,
        Action::ViewStock,
        Action::PostStock,
        Action::ViewForecasts,
        Action::EditForecasts,
        Action::CloseMonths,
        Action::EditSuppliers,
        Action::EditPolicies,
        Action::Purchase,
        Action::ViewAvailability,
        Action::ViewTransfers,
        Action::RequestTransfers,
        Action::Distribute,
        Action::ArrangeHome,
        Action::KeepAlertRules,
        Action::KeepReports,
        Action::ManageSources,
        Action::RunSources,
    ];

    fn describe(self) -> &'static str {
        match self {
            Action::ViewReference => "viewing reference data",
            Action::EditReference => "changing reference data",
            Action::EditSettings => "changing company settings",
            Action::ViewUsers => "viewing users",
            Action::ManageUsers => "managing users",
            Action::ChangeOwnPassword => "changing a password",
            Action::ViewAudit => "reading the audit trail",
            Action::ViewActuals => "viewing actual sales",
            Action::PostActuals => "posting actual sales",
            Action::ViewBudgets => "viewing budgets",
            Action::EditBudgets => "building and submitting budgets",
            Action::ApproveBudgets => "approving budgets",
            Action::UnlockBudgets => "unlocking budgets",
            Action::ViewStock => "viewing stock",
            Action::PostStock => "recording stock counts and movements",
            Action::ViewForecasts => "viewing forecasts",
            Action::EditForecasts => "running and overriding forecasts",
            Action::CloseMonths => "closing a month",
            Action::EditSuppliers => "maintaining suppliers",
            Action::EditPolicies => "overriding stock policies",
            Action::Purchase => "ordering from suppliers",
            Action::ViewAvailability => "viewing stock availability",
            Action::ViewTransfers => "viewing transfers",
            Action::RequestTransfers => "requesting transfers",
            Action::Distribute => "approving and shipping transfers",
            Action::ArrangeHome => "arranging the home screen",
            Action::KeepAlertRules => "keeping alert rules",
            Action::KeepReports => "keeping saved reports",
            Action::ManageSources => "managing data sources",
            Action::RunSources => "running data sources",
        }
    }
}

/// How far a grant reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Scope {
    /// Rows the user owns (their own user row, their own sales).
    Own,
    /// Rows of the user's department.
    Department,
    /// Rows of the user's location (branch).
    Location,
    All,
}

use Action as A;
use Role as R;
use Scope as S;

/// The grants: a (role, action) pair not listed here is refused.
const GRANTS: &[(Role, Action, Scope)] = &[
    (R::Administrator, A::ViewReference, S::All),
    (R::Administrator, A::EditReference, S::All),
    (R::Administrator, A::EditSettings, S::All),
    (R::Administrator, A::ViewUsers, S::All),
    (R::Administrator, A::ManageUsers, S::All),
    (R::Administrator, A::ChangeOwnPassword, S::Own),
    (R::Administrator, A::ArrangeHome, S::Own),
    (R::Administrator, A::KeepAlertRules, S::Own),
    (R::Administrator, A::KeepReports, S::Own),
    (R::Administrator, A::ViewAudit, S::All),
    (R::Administrator, A::ViewActuals, S::All),
    (R::Administrator, A::PostActuals, S::All),
    (R::Administrator, A::ViewBudgets, S::All),
    (R::Administrator, A::EditBudgets, S::All),
    (R::Administrator, A::ApproveBudgets, S::All),
    (R::Administrator, A::UnlockBudgets, S::All),
    (R::Administrator, A::ViewStock, S::All),
    (R::Administrator, A::PostStock, S::All),
    (R::Administrator, A::ViewForecasts, S::All),
    (R::Administrator, A::EditForecasts, S::All),
    (R::Administrator, A::CloseMonths, S::All),
    (R::Administrator, A::EditSuppliers, S::All),
    (R::Administrator, A::EditPolicies, S::All),
    (R::Administrator, A::Purchase, S::All),
    (R::Administrator, A::ViewAvailability, S::All),
    (R::Administrator, A::ViewTransfers, S::All),
    (R::Administrator, A::RequestTransfers, S::All),
    (R::Administrator, A::Distribute, S::All),
    (R::Administrator, A::ManageSources, S::All),
    (R::Administrator, A::RunSources, S::All),
    (R::Salesman, A::ViewReference, S::All),
    (R::Salesman, A::ChangeOwnPassword, S::Own),
    (R::Salesman, A::ArrangeHome, S::Own),
    (R::Salesman, A::KeepAlertRules, S::Own),
    (R::Salesman, A::KeepReports, S::Own),
    (R::Salesman, A::RunSources, S::Own),
    (R::Salesman, A::ViewAudit, S::Own),
    (R::Salesman, A::ViewActuals, S::Own),
    (R::Salesman, A::PostActuals, S::Own),
    (R::Salesman, A::ViewBudgets, S::Own),
    (R::Salesman, A::EditBudgets, S::Own),
    (R::Salesman, A::ViewForecasts, S::Own),
    (R::Salesman, A::EditForecasts, S::Own),
    (R::Salesman, A::ViewAvailability, S::All),
    // What is on its way to his branch: what he can promise.
    (R::Salesman, A::ViewTransfers, S::Location),
    (R::Manager, A::ViewReference, S::All),
    (R::Manager, A::ChangeOwnPassword, S::Own),
    (R::Manager, A::ArrangeHome, S::Own),
    (R::Manager, A::KeepAlertRules, S::Own),
    (R::Manager, A::KeepReports, S::Own),
    (R::Manager, A::RunSources, S::Own),
    (R::Manager, A::ViewAudit, S::Own),
    (R::Manager, A::ViewActuals, S::Department),
    (R::Manager, A::PostActuals, S::Department),
    (R::Manager, A::ViewBudgets, S::Department),
    (R::Manager, A::EditBudgets, S::Department),
    (R::Manager, A::ApproveBudgets, S::Department),
    (R::Manager, A::ViewForecasts, S::Department),
    (R::Manager, A::EditForecasts, S::Department),
    (R::Manager, A::ViewAvailability, S::All),
    // A department sells from every branch: what moves between them is his to read.
    (R::Manager, A::ViewTransfers, S::All),
    (R::SupplyChain, A::ViewReference, S::All),
    (R::SupplyChain, A::ChangeOwnPassword, S::Own),
    (R::SupplyChain, A::ArrangeHome, S::Own),
    (R::SupplyChain, A::KeepAlertRules, S::Own),
    (R::SupplyChain, A::KeepReports, S::Own),
    (R::SupplyChain, A::ViewAudit, S::Own),
    (R::SupplyChain, A::ViewActuals, S::All),
    (R::SupplyChain, A::ViewBudgets, S::All),
    (R::SupplyChain, A::ViewStock, S::All),
    (R::SupplyChain, A::PostStock, S::All),
    (R::SupplyChain, A::ViewForecasts, S::All),
    (R::SupplyChain, A::EditSuppliers, S::All),
    (R::SupplyChain, A::EditPolicies, S::All),
    (R::SupplyChain, A::Purchase, S::All),
    (R::SupplyChain, A::ViewAvailability, S::All),
    (R::SupplyChain, A::ViewTransfers, S::All),
    (R::SupplyChain, A::RequestTransfers, S::All),
    (R::SupplyChain, A::Distribute, S::All),
    (R::SupplyChain, A::ManageSources, S::All),
    (R::SupplyChain, A::RunSources, S::All),
    (R::BranchManager, A::ViewReference, S::All),
    (R::BranchManager, A::ChangeOwnPassword, S::Own),
    (R::BranchManager, A::ArrangeHome, S::Own),
    (R::BranchManager, A::KeepAlertRules, S::Own),
    (R::BranchManager, A::KeepReports, S::Own),
    (R::BranchManager, A::RunSources, S::Own),
    (R::BranchManager, A::ViewAudit, S::Own),
    (R::BranchManager, A::ViewActuals, S::Location),
    (R::BranchManager, A::PostActuals, S::Location),
    (R::BranchManager, A::ViewBudgets, S::Location),
    (R::BranchManager, A::EditBudgets, S::Location),
    (R::BranchManager, A::ApproveBudgets, S::Location),
    (R::BranchManager, A::ViewStock, S::Location),
    (R::BranchManager, A::PostStock, S::Location),
    (R::BranchManager, A::ViewForecasts, S::Location),
    (R::BranchManager, A::EditForecasts, S::Location),
    (R::BranchManager, A::ViewAvailability, S::All),
    (R::BranchManager, A::ViewTransfers, S::Location),
    (R::BranchManager, A::RequestTransfers, S::Location),
];

/// The scope a role holds for an action, if any.
pub fn grant(role: Role, action: Action) -> Option<Scope> {
    GRANTS
        .iter()
        .find(|(r, a, _)| *r == role && *a == action)
        .map(|(_, _, scope)| *scope)
}

/// The signed-in user, as the services see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Actor {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
}

/// The scope facts of a row an action touches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resource {
    pub owner_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
}

impl Resource {
    /// Company-wide things (reference data, settings, all users).
    pub fn company() -> Self {
        Resource::default()
    }

    pub fn owned_by(owner_id: Uuid) -> Self {
        Resource {
            owner_id: Some(owner_id),
            ..Resource::default()
        }
    }

    /// Something of one location (its stock, its policies).
    pub fn at_location(location_id: Uuid) -> Self {
        Resource {
            location_id: Some(location_id),
            ..Resource::default()
        }
    }
}

/// The one authorisation question.
pub fn can(actor: &Actor, action: Action, resource: &Resource) -> bool {
    match grant(actor.role, action) {
        None => false,
        Some(scope) => scope_covers(actor, scope, resource),
    }
}

fn scope_covers(actor: &Actor, scope: Scope, resource: &Resource) -> bool {
    let same = |mine: Option<Uuid>, theirs: Option<Uuid>| mine.is_some() && mine == theirs;
    match scope {
        Scope::All => true,
        Scope::Own => resource.owner_id == Some(actor.id),
        Scope::Department => same(actor.department_id, resource.department_id),
        Scope::Location => same(actor.location_id, resource.location_id),
    }
}

impl Actor {
    /// `can`, turned into an error that says who may do it.
    pub fn require(&self, action: Action, resource: &Resource) -> Result<()> {
        if can(self, action, resource) {
            return Ok(());
        }
        let allowed: Vec<&str> = Role::ALL
            .into_iter()
            .filter(|role| grant(*role, action).is_some())
            .map(Role::label)
            .collect();
        let scope_hint = match grant(self.role, action) {
            None => String::new(),
            Some(Scope::Own) => " outside their own records".to_owned(),
            Some(Scope::Department) => " outside their department".to_owned(),
            Some(Scope::Location) => " outside their branch".to_owned(),
            Some(Scope::All) => String::new(),
        };
        Err(Error::Forbidden {
            action: capitalise(action.describe()),
            role: self.role.label().to_owned(),
            scope_hint,
            allowed: if allowed.is_empty() {
                "(none)".to_owned()
            } else {
                allowed.join(" or ")
            },
        })
    }

    /// Moving a record to another owner, department or branch is its own
    /// right, never a side effect of an edit: an administrator's, or a
    /// manager's when both ends lie within his department.
    pub fn may_move(&self, action: Action, from: &Resource, to: &Resource) -> bool {
        match self.role {
            Role::Administrator => true,
            Role::Manager => can(self, action, from) && can(self, action, to),
            _ => false,
        }
    }

    /// The scope this actor holds for an action, or the refusal.
    pub fn scope_for(&self, action: Action) -> Result<Scope> {
        match grant(self.role, action) {
            Some(scope) => Ok(scope),
            None => self
                .require(action, &Resource::company())
                .map(|()| Scope::All),
        }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, department: Option<Uuid>, location: Option<Uuid>) -> Actor {
        Actor {
            id: Uuid::now_v7(),
            username: "someone".into(),
            display_name: "Someone".into(),
            role,
            department_id: department,
            location_id: location,
        }
    }

    #[test]
    fn scopes_reach_exactly_their_rows() {
        let (dept, other_dept) = (Uuid::now_v7(), Uuid::now_v7());
        let (branch, other_branch) = (Uuid::now_v7(), Uuid::now_v7());
        let salesman = actor(Role::Salesman, Some(dept), Some(branch));
        let manager = actor(Role::Manager, Some(dept), None);
        let branch_manager = actor(Role::BranchManager, None, Some(branch));

        let own_sale = Resource {
            owner_id: Some(salesman.id),
            department_id: Some(dept),
            location_id: Some(branch),
        };
        let colleague_sale = Resource {
            owner_id: Some(Uuid::now_v7()),
            ..own_sale
        };
        let elsewhere = Resource {
            owner_id: Some(Uuid::now_v7()),
            department_id: Some(other_dept),
            location_id: Some(other_branch),
        };

        assert!(can(&salesman, Action::ViewActuals, &own_sale));
        assert!(!can(&salesman, Action::ViewActuals, &colleague_sale));
        assert!(can(&manager, Action::ViewActuals, &colleague_sale));
        assert!(!can(&manager, Action::ViewActuals, &elsewhere));
        assert!(can(&branch_manager, Action::ViewActuals, &colleague_sale));
        assert!(!can(&branch_manager, Action::ViewActuals, &elsewhere));
    }

    #[test]
    fn a_department_scope_without_a_department_reaches_nothing() {
        let manager = actor(Role::Manager, None, None);
        let unassigned = Resource::default();
        assert!(!can(&manager, Action::ViewActuals, &unassigned));
    }

    #[test]
    fn refusals_name_the_roles_that_may() {
        let salesman = actor(Role::Salesman, None, None);
        let error = salesman
            .require(Action::ManageUsers, &Resource::company())
            .expect_err("a salesman must not manage users");
        assert_eq!(
            error.to_string(),
            "Managing users is not allowed for a Salesman; it needs the role Administrator"
        );
    }

    #[test]
    fn role_keys_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.key()).ok(), Some(role));
            assert_eq!(Role::from_id(role.id()), Some(role));
        }
        assert!(Role::parse("boss").is_err());
    }
}
