//! A change in words: "Sam Becker changed budget line BEV-010 Sparkling Water
//! 1L, Jan 2027: quantity 83 → 90". Ids become the names people know them by,
//! months are written out, and bookkeeping fields (ids, versions, stamps) are left out.

use super::{AuditEntry, FieldChange, State};
use crate::error::Result;
use crate::ledger::Reader;
use crate::ledger::outbox::{ChangeKind, Entity};
use crate::ledger::{self};
use crate::reference::{
    BudgetCategory, Customer, Department, Location, Product, ProductCategory, ReferenceFields,
};
use serde_json::Value;
use std::collections::HashMap;
use uuid::Uuid;

/// What an id names, looked up once per id.
pub(super) struct Names<'c> {
    conn: Reader<'c>,
    known: HashMap<Uuid, Option<String>>,
}

/// The kinds of record a field's id can point at.
#[derive(Clone, Copy)]
enum Target {
    Product,
    Location,
    Department,
    ProductCategory,
    BudgetCategory,
    Customer,
    User,
    Budget,
}

impl<'c> Names<'c> {
    pub(super) fn new(conn: Reader<'c>) -> Names<'c> {
        Names {
            conn,
            known: HashMap::new(),
        }
    }

    fn name(&mut self, target: Target, id: Uuid) -> Result<Option<String>> {
        if let Some(known) = self.known.get(&id) {
            return Ok(known.clone());
        }
        let conn = self.conn;
        let reference = |id| -> Result<Option<String>> {
            fn coded<F: ReferenceFields>(
                conn: Reader<'_>,
                id: Uuid,
                show: impl Fn(&F) -> String,
            ) -> Result<Option<String>> {
                Ok(ledger::reference::get::<F>(conn, id)?.map(|row| show(&row.fields)))
            }
            match target {
                Target::Product => coded::<Product>(conn, id, |p| format!("{} {}", p.sku, p.name)),
                Target::Location => coded::<Location>(conn, id, |l| l.name.clone()),
                Target::Department => coded::<Department>(conn, id, |d| d.name.clone()),
                Target::ProductCategory => coded::<ProductCategory>(conn, id, |c| c.name.clone()),
                Target::BudgetCategory => coded::<BudgetCategory>(conn, id, |c| c.name.clone()),
                Target::Customer => coded::<Customer>(conn, id, |c| c.name.clone()),
                Target::User => {
                    Ok(ledger::users::get(conn, id)?.map(|row| row.user.profile.display_name))
                }
                Target::Budget => Ok(ledger::budgets::get_budget(conn, id)?.map(|budget| {
                    format!(
                        "{} {} of {}",
                        budget.fiscal_year, budget.scenario, budget.owner_name
                    )
                })),
            }
        };
        let name = reference(id)?;
        self.known.insert(id, name.clone());
        Ok(name)
    }

    /// The name an id field's value stands for, or the value itself when unknown.
    fn of_field(&mut self, entity: Entity, field: &str, text: &str) -> Result<String> {
        let target = match field {
            "product_id" => Target::Product,
            "location_id" => Target::Location,
            "department_id" => Target::Department,
            "category_id" if entity == Entity::BudgetExpense => Target::BudgetCategory,
            "category_id" => Target::ProductCategory,
            "customer_id" => Target::Customer,
            "salesman_id" | "user_id" | "created_by" | "closed_by" => Target::User,
            "budget_id" => Target::Budget,
            _ => return Ok(text.to_owned()),
        };
        Ok(match Uuid::parse_str(text) {
            Ok(id) => self.name(target, id)?.unwrap_or_else(|| text.to_owned()),
            Err(_) => text.to_owned(),
        })
    }
}

/// The fields that name the record in the sentence (not listed again when it is made).
fn subject_fields(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::BudgetLine => &["product_id", "period"],
        Entity::ActualSale => &["product_id", "location_id", "period"],
        Entity::Product => &["sku", "name"],
        Entity::User => &["username", "display_name"],
        Entity::Location | Entity::Department | Entity::ProductCategory | Entity::Customer => {
            &["name"]
        }
        Entity::BudgetCategory | Entity::Supplier => &["name"],
        Entity::ClosedMonth => &["month"],
        Entity::Import => &["file_name"],
        Entity::BudgetTemplate => &["name"],
        _ => &[],
    }
}

/// Bookkeeping: never shown.
fn is_bookkeeping(field: &str) -> bool {
    matches!(
        field,
        "id" | "version" | "step_id" | "amount_entered" | "fingerprint" | "budget_id"
    ) || field.ends_with("_at")
}

fn is_month(field: &str) -> bool {
    matches!(
        field,
        "period" | "month" | "first_month" | "last_month" | "open_month"
    )
}

/// "2027-01" → "Jan 2027"; anything else as it is.
pub(crate) fn month_name(period: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match period.split_once('-') {
        Some((year, month)) if year.len() == 4 => match month.parse::<usize>() {
            Ok(m @ 1..=12) => format!("{} {year}", MONTHS[m - 1]),
            _ => period.to_owned(),
        },
        _ => period.to_owned(),
    }
}

/// A field's name as a person says it: "unit_price" → "unit price", "category_id" → "category".
fn label(field: &str) -> String {
    field.strip_suffix("_id").unwrap_or(field).replace('_', " ")
}

fn words(
    names: &mut Names<'_>,
    entity: Entity,
    field: &str,
    value: &Value,
) -> Result<Option<String>> {
    Ok(match value {
        Value::Null => None,
        Value::Bool(true) => Some("yes".into()),
        Value::Bool(false) => Some("no".into()),
        Value::Number(number) => Some(number.to_string()),
        Value::String(text) if is_month(field) => Some(month_name(text)),
        Value::String(text) => Some(names.of_field(entity, field, text)?),
        Value::Array(items) => Some(
            items
                .iter()
                .map(|item| {
                    item.as_str()
                        .map_or_else(|| item.to_string(), str::to_owned)
                })
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Value::Object(fields) => Some(
            fields
                .iter()
                .map(|(key, value)| {
                    format!(
                        "{} {}",
                        label(key),
                        value
                            .as_str()
                            .map_or_else(|| value.to_string(), str::to_owned)
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        ),
    })
}

/// How the record is named in the sentence, from its fields after the change.
fn subject(names: &mut Names<'_>, entry: &AuditEntry, after: &State) -> Result<String> {
    let text = |field: &str| {
        after
            .get(field)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let named = |names: &mut Names<'_>, field: &str| -> Result<String> {
        let value = text(field);
        if value.is_empty() {
            return Ok(String::new());
        }
        names.of_field(entry.entity, field, &value)
    };
    let coded = || {
        [text("code"), text("name")]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    Ok(match entry.entity {
        Entity::BudgetLine => format!(
            "{}, {}",
            named(names, "product_id")?,
            month_name(&text("period"))
        ),
        Entity::ActualSale => format!(
            "{} at {}, {}",
            named(names, "product_id")?,
            named(names, "location_id")?,
            month_name(&text("period"))
        ),
        Entity::Budget => names
            .name(Target::Budget, entry.entity_id)?
            .unwrap_or_default(),
        Entity::Product => format!("{} {}", text("sku"), text("name")),
        Entity::User => text("username"),
        Entity::Location
        | Entity::Department
        | Entity::ProductCategory
        | Entity::Customer
        | Entity::Supplier
        | Entity::BudgetCategory => coded(),
        Entity::ClosedMonth => month_name(&text("month")),
        Entity::Import => text("file_name"),
        Entity::BudgetTemplate => text("name"),
        Entity::BudgetExpense => {
            let category = named(names, "category_id")?;
            let what = text("description");
            [category, what]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(": ")
        }
        _ => String::new(),
    })
}

/// The sentence and the field changes of one audit entry, given its record's
/// fields before and after it.
pub(super) fn entry(
    names: &mut Names<'_>,
    entry: &AuditEntry,
    before: &State,
    after: &State,
) -> Result<(String, Vec<FieldChange>)> {
    let who = match entry.user_id {
        Some(id) => names
            .name(Target::User, id)?
            .or_else(|| entry.username.clone())
            .unwrap_or_else(|| "Someone".into()),
        None => "Someone".into(),
    };
    let noun = entry.entity.noun();
    let subject = subject(names, entry, after)?;
    let what = if subject.trim().is_empty() {
        noun.to_owned()
    } else {
        format!("{noun} {subject}")
    };
    let made = matches!(entry.kind, ChangeKind::Created | ChangeKind::Appended);
    let mut changes = Vec::new();
    if let Value::Object(fields) = &entry.payload {
        // Quantity, then price, then amount, as a planner reads a line; the rest alphabetically.
        let rank = |field: &str| {
            ["quantity", "unit_price", "amount"]
                .iter()
                .position(|first| *first == field)
                .unwrap_or(3)
        };
        let mut fields: Vec<(&String, &Value)> = fields.iter().collect();
        fields.sort_by_key(|(field, _)| rank(field));
        for (field, value) in fields {
            let hidden = is_bookkeeping(field)
                || (made && subject_fields(entry.entity).contains(&field.as_str()))
                || matches!(entry.kind, ChangeKind::Transitioned);
            if hidden {
                continue;
            }
            let old = match before.get(field) {
                Some(old) if !made => words(names, entry.entity, field, old)?,
                _ => None,
            };
            let new = words(names, entry.entity, field, value)?;
            if old != new || made {
                changes.push(FieldChange {
                    field: label(field),
                    old,
                    new,
                });
            }
        }
    }
    let listed = changes
        .iter()
        .map(|change| match (&change.old, &change.new) {
            (Some(old), Some(new)) => format!("{} {old} → {new}", change.field),
            (None, Some(new)) => format!("{} {new}", change.field),
            (Some(old), None) => format!("{} {old} → none", change.field),
            (None, None) => format!("{} none", change.field),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let text = |key: &str| {
        entry
            .payload
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let summary = match (entry.entity, entry.kind) {
        // Steps of the forecast, said as what they did rather than as records added.
        (Entity::ForecastRun, ChangeKind::Created) => {
            changes.clear();
            let series = entry
                .payload
                .get("series")
                .map(Value::to_string)
                .unwrap_or_default();
            format!(
                "{who} recomputed the forecast baseline from {} ({series} series)",
                month_name(&text("first_month"))
            )
        }
        (Entity::ClosedMonth, ChangeKind::Created) => {
            changes.clear();
            format!(
                "{who} closed {}: its sales are frozen",
                month_name(&text("month"))
            )
        }
        (_, kind) => generic(kind, &who, &what, &listed, &text, &mut changes),
    };
    Ok((summary, changes))
}

/// The sentence of a change by its kind: added, changed, archived, moved…
fn generic(
    kind: ChangeKind,
    who: &str,
    what: &str,
    listed: &str,
    text: &dyn Fn(&str) -> String,
    changes: &mut Vec<FieldChange>,
) -> String {
    match kind {
        ChangeKind::Created => format!("{who} added {what}"),
        ChangeKind::Appended => format!("{who} recorded {what}"),
        ChangeKind::Updated if listed.is_empty() => format!("{who} changed {what}"),
        ChangeKind::Updated => format!("{who} changed {what}: {listed}"),
        ChangeKind::Archived => format!("{who} archived {what}"),
        ChangeKind::Restored => format!("{who} restored {what}"),
        ChangeKind::PasswordChanged => format!("{who} set a new password for {what}"),
        ChangeKind::Transitioned => {
            let comment = text("comment");
            let comment = if comment.trim().is_empty() {
                String::new()
            } else {
                format!(": “{}”", comment.trim())
            };
            changes.push(FieldChange {
                field: "status".into(),
                old: Some(text("from")).filter(|from| !from.is_empty()),
                new: Some(text("to")).filter(|to| !to.is_empty()),
            });
            format!(
                "{who} moved {what} from {} to {}{comment}",
                text("from"),
                text("to")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{label, month_name};

    #[test]
    fn months_and_fields_read_as_words() {
        assert_eq!(month_name("2027-01"), "Jan 2027");
        assert_eq!(month_name("2027-13"), "2027-13");
        assert_eq!(month_name("soon"), "soon");
        assert_eq!(label("unit_price"), "unit price");
        assert_eq!(label("category_id"), "category");
    }
}
