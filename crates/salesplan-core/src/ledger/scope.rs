//! Scope as SQL: the condition that keeps the rows an actor's scope reaches,
//! for any table that can name its owner, department and location columns.

use crate::access::{Actor, Scope};
use rusqlite::types::Value;

pub(crate) struct ScopeColumns {
    pub owner: &'static str,
    pub department: &'static str,
    pub location: &'static str,
}

/// The condition (with `?1` as its only parameter, if any) and its values.
pub(crate) fn condition(
    scope: Scope,
    actor: &Actor,
    columns: &ScopeColumns,
) -> (String, Vec<Value>) {
    let id =
        |id: Option<uuid::Uuid>| vec![Value::Text(id.map(|id| id.to_string()).unwrap_or_default())];
    match scope {
        Scope::All => ("1 = 1".into(), vec![]),
        Scope::Own => (format!("{} = ?1", columns.owner), id(Some(actor.id))),
        Scope::Department => (
            format!("{} = ?1", columns.department),
            id(actor.department_id),
        ),
        Scope::Location => (format!("{} = ?1", columns.location), id(actor.location_id)),
    }
}

/// The condition for rows between two locations (a transfer's ends): either
/// end in scope. `?1` as its only parameter, if any.
pub(crate) fn either_end(
    scope: Scope,
    actor: &Actor,
    from: &'static str,
    to: &'static str,
) -> (String, Vec<Value>) {
    let at = |location| {
        condition(
            scope,
            actor,
            &ScopeColumns {
                owner: "NULL",
                department: "NULL",
                location,
            },
        )
    };
    let ((from, values), (to, _)) = (at(from), at(to));
    (format!("(({from}) OR ({to}))"), values)
}
