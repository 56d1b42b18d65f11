//! Which records travel to head office, and the right a change needs there.
//! Users are head office's (a laptop does not push them); watched folders,
//! alerts and forecast runs stay on the laptop (a run is derived from the
//! actuals and recomputed anywhere).

use crate::access::Action;
use crate::budgets::{BudgetStatus, Transition};
use crate::entity::{ChangeKind, Entity};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Travel {
    /// Synced: changing needs `write`, receiving needs `view`.
    Shared { write: Action, view: Action },
    /// Head office is the source of truth; laptops receive, never push.
    FromHeadOffice { view: Action },
    /// Stays on the laptop.
    Local,
}

pub fn travel(entity: Entity) -> Travel {
    use Action as A;
    let shared = |write, view| Travel::Shared { write, view };
    match entity {
        Entity::CompanySettings => shared(A::EditSettings, A::ViewReference),
        Entity::Department
        | Entity::Location
        | Entity::ProductCategory
        | Entity::Product
        | Entity::Customer
        | Entity::BudgetCategory => shared(A::EditReference, A::ViewReference),
        Entity::Supplier => shared(A::EditSuppliers, A::ViewReference),
        // Cost prices are for those who buy: Supply Chain and administrators.
        Entity::SupplierProduct => shared(A::EditSuppliers, A::ViewStock),
        Entity::StockPolicyOverride => shared(A::EditPolicies, A::ViewStock),
        // An order is seen where its goods arrive: who receives them sees it.
        Entity::PurchaseOrder | Entity::PurchaseOrderLine => shared(A::Purchase, A::ViewStock),
        // A transfer is seen at both its ends; each step takes its own right
        // (`transfers::TransferStep::right`), decided with the transfer's state.
        Entity::Transfer | Entity::TransferLine => shared(A::RequestTransfers, A::ViewTransfers),
        Entity::User => Travel::FromHeadOffice { view: A::ViewUsers },
        Entity::ActualSale | Entity::Import | Entity::ImportMapping => {
            shared(A::PostActuals, A::ViewActuals)
        }
        Entity::Budget
        | Entity::BudgetLine
        | Entity::BudgetExpense
        | Entity::ExpenseTransaction
        | Entity::BudgetTemplate => shared(A::EditBudgets, A::ViewBudgets),
        Entity::StockMovement => shared(A::PostStock, A::ViewStock),
        // One's own; a shared one every user receives (`report_view`).
        Entity::SavedReport => shared(A::KeepReports, A::KeepReports),
        Entity::ForecastOverride => shared(A::EditForecasts, A::ViewForecasts),
        // Which months are closed is the company's calendar: everyone receives it.
        Entity::ClosedMonth => shared(A::CloseMonths, A::ViewReference),
        Entity::ForecastSnapshot => shared(A::CloseMonths, A::ViewForecasts),
        Entity::ForecastRun
        | Entity::PolicyRun
        | Entity::HomeLayout
        | Entity::AlertRule
        | Entity::DataSource
        | Entity::SourceJob
        | Entity::WatchedFolder
        | Entity::WatchedFile
        | Entity::Alert => Travel::Local,
    }
}

/// Records that are facts (DESIGN §5): added once, never changed; a mistake is
/// corrected by a reversing entry.
pub fn is_fact(entity: Entity) -> bool {
    matches!(
        entity,
        Entity::ActualSale
            | Entity::StockMovement
            | Entity::ExpenseTransaction
            | Entity::ForecastSnapshot
    )
}

/// What an import brought in decides who may send and see its record.
fn import_actions(payload: &serde_json::Value) -> Option<(Action, Action)> {
    payload
        .get("kind")
        .and_then(serde_json::Value::as_str)
        .and_then(crate::changes::records::ImportKind::parse)
        .map(crate::changes::records::ImportKind::rights)
}

/// The right needed to receive a saved report: its owner's own right, or,
/// once it is (or was) shared, the right everyone has, so that every laptop
/// also hears when it stops being shared or is deleted.
pub fn report_view(shared: bool, was_shared: bool) -> Action {
    if shared || was_shared {
        Action::ViewReference
    } else {
        Action::KeepReports
    }
}

/// The right needed to receive a record.
pub fn view_action(entity: Entity, payload: &serde_json::Value) -> Option<Action> {
    match travel(entity) {
        Travel::Local => None,
        Travel::FromHeadOffice { view } => Some(view),
        Travel::Shared { view, .. } => Some(match entity {
            Entity::Import => import_actions(payload).map_or(view, |(_, view)| view),
            Entity::SavedReport => report_view(
                payload
                    .get("shared")
                    .and_then(|shared| crate::values::Flag::deserialize(shared).ok())
                    .is_some_and(|shared| shared.0),
                false,
            ),
            _ => view,
        }),
    }
}

/// The right a change needs on the server: a budget's approval steps need the
/// approver's right, reopening one the unlock right; an import's record the
/// right to post what it brought in.
pub fn write_action(
    entity: Entity,
    kind: ChangeKind,
    payload: &serde_json::Value,
) -> Option<Action> {
    let Travel::Shared { write, .. } = travel(entity) else {
        return None;
    };
    if entity == Entity::Import
        && let Some((write, _)) = import_actions(payload)
    {
        return Some(write);
    }
    if entity == Entity::Budget && kind == ChangeKind::Transitioned {
        let status = |field: &str| {
            payload
                .get(field)
                .and_then(serde_json::Value::as_str)
                .and_then(BudgetStatus::parse)
        };
        // A step the workflow does not have is refused by `changes::parse`;
        // until then it needs the highest right a step can.
        return Some(match (status("from"), status("to")) {
            (Some(from), Some(to)) => {
                Transition::between(from, to).map_or(Action::ApproveBudgets, Transition::action)
            }
            _ => Action::ApproveBudgets,
        });
    }
    Some(write)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approvals_need_the_approvers_right_and_local_records_do_not_travel() {
        let approve = serde_json::json!({ "from": "submitted", "to": "approved" });
        assert_eq!(
            write_action(Entity::Budget, ChangeKind::Transitioned, &approve),
            Some(Action::ApproveBudgets)
        );
        let submit = serde_json::json!({ "from": "draft", "to": "submitted" });
        assert_eq!(
            write_action(Entity::Budget, ChangeKind::Transitioned, &submit),
            Some(Action::EditBudgets)
        );
        let unlock = serde_json::json!({ "from": "locked", "to": "draft" });
        assert_eq!(
            write_action(Entity::Budget, ChangeKind::Transitioned, &unlock),
            Some(Action::UnlockBudgets)
        );
        assert_eq!(
            write_action(Entity::Alert, ChangeKind::Created, &unlock),
            None
        );
        assert_eq!(
            write_action(Entity::User, ChangeKind::Created, &unlock),
            None
        );
    }

    #[test]
    fn an_imports_record_needs_the_right_to_import_what_it_brought_in() {
        let import = |kind: &str| serde_json::json!({ "kind": kind, "file_name": "f.csv" });
        for (kind, write, view) in [
            ("actuals", Action::PostActuals, Action::ViewActuals),
            ("stock", Action::PostStock, Action::ViewStock),
            ("budget", Action::EditBudgets, Action::ViewBudgets),
            ("products", Action::EditReference, Action::ViewReference),
            ("locations", Action::EditReference, Action::ViewReference),
            (
                "budget_categories",
                Action::EditReference,
                Action::ViewReference,
            ),
        ] {
            assert_eq!(
                write_action(Entity::Import, ChangeKind::Appended, &import(kind)),
                Some(write),
                "{kind}"
            );
            assert_eq!(
                view_action(Entity::Import, &import(kind)),
                Some(view),
                "{kind}"
            );
        }
    }
}
