//! The changes that travel between laptops and head office, parsed into their
//! types before anything else looks at them, and the rules a change must pass
//! wherever it arrives (head office on a push, a laptop on a pull, `verify`
//! on what is stored):
//!
//! - `parse`: the entity travels, the kind of change is one a laptop makes of
//!   it, every field has its type (unknown fields refused), a whole record has
//!   every field it needs, and its own rules hold (`Record::check`);
//! - `check_update`: an update leaves a record's identity, maker and parent
//!   alone, and a budget's status moves only by its workflow;
//! - `Record::scope`: whose the record is, computed from its fields and what
//!   the receiver holds (its parent, its owner's account), never taken from
//!   the sender's word;
//! - `Record::references`: the records it names, which the receiver must hold;
//! - `step`: a budget's workflow step, decided by `budgets::Transition`.
//!
//! Every refusal names the field and the rule. A new entity that travels
//! needs its record here: `tests::every_entity_that_travels_has_a_record`
//! fails otherwise.

pub mod records;

use crate::budgets::{BudgetStatus, Transition};
use crate::entity::{ChangeKind, Entity};
use crate::error::{Error, Result};
use crate::month::Month;
use crate::sync::protocol::ScopeFacts;
use crate::sync::rules::{Travel, is_fact, travel};
use records::*;
use serde_json::{Map, Value};
use uuid::Uuid;

/// A record of any kind that travels, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    CompanySettings(CompanySettings),
    Department(Coded),
    Location(Location),
    ProductCategory(Coded),
    Product(Product),
    Customer(Customer),
    BudgetCategory(Coded),
    ActualSale(ActualSale),
    Budget(Budget),
    BudgetLine(BudgetLine),
    BudgetExpense(BudgetExpense),
    ExpenseTransaction(ExpenseTransaction),
    BudgetTemplate(BudgetTemplate),
    Import(Import),
    ImportMapping(ImportMapping),
    SavedReport(SavedReport),
    StockMovement(StockMovement),
    ForecastOverride(ForecastOverride),
    ClosedMonth(ClosedMonth),
    ForecastSnapshot(ForecastSnapshot),
    Supplier(Supplier),
    SupplierProduct(SupplierProduct),
    StockPolicyOverride(StockPolicyOverride),
    PurchaseOrder(PurchaseOrder),
    PurchaseOrderLine(PurchaseOrderLine),
    Transfer(Transfer),
    TransferLine(TransferLine),
}

/// What a change carries, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// A whole record (created, appended) or the fields an update set.
    Record(Record),
    /// A budget's workflow step.
    Step(BudgetStep),
}

/// One change, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub entity: Entity,
    pub kind: ChangeKind,
    pub entity_id: Uuid,
    pub body: Body,
}

/// Reads `value` into `T`, naming the field that does not fit.
fn typed<T: serde::de::DeserializeOwned>(value: &Value) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let field = if path == "." {
            "payload".to_owned()
        } else {
            path
        };
        let rule = error.into_inner().to_string();
        Error::invalid(field, crate::values::shown_rule(&rule))
    })
}

fn whole<T: Fields>(value: &Value) -> Result<T> {
    let record: T = typed(value)?;
    if let Some(field) = record.missing() {
        return Err(Error::invalid(field, "is required"));
    }
    Ok(record)
}

impl Record {
    /// Reads the fields of a record of `entity`; `whole` asks for every field
    /// a record needs and its own rules.
    pub fn parse(entity: Entity, fields: &Value, whole_record: bool) -> Result<Record> {
        macro_rules! read {
            ($variant:ident) => {
                Record::$variant(if whole_record {
                    whole(fields)?
                } else {
                    typed(fields)?
                })
            };
        }
        let record = match entity {
            Entity::CompanySettings => read!(CompanySettings),
            Entity::Department => read!(Department),
            Entity::Location => read!(Location),
            Entity::ProductCategory => read!(ProductCategory),
            Entity::Product => read!(Product),
            Entity::Customer => read!(Customer),
            Entity::BudgetCategory => read!(BudgetCategory),
            Entity::ActualSale => read!(ActualSale),
            Entity::Budget => read!(Budget),
            Entity::BudgetLine => read!(BudgetLine),
            Entity::BudgetExpense => read!(BudgetExpense),
            Entity::ExpenseTransaction => read!(ExpenseTransaction),
            Entity::BudgetTemplate => read!(BudgetTemplate),
            Entity::Import => read!(Import),
            Entity::ImportMapping => read!(ImportMapping),
            Entity::SavedReport => read!(SavedReport),
            Entity::StockMovement => read!(StockMovement),
            Entity::ForecastOverride => read!(ForecastOverride),
            Entity::ClosedMonth => read!(ClosedMonth),
            Entity::ForecastSnapshot => read!(ForecastSnapshot),
            Entity::Supplier => read!(Supplier),
            Entity::SupplierProduct => read!(SupplierProduct),
            Entity::StockPolicyOverride => read!(StockPolicyOverride),
            Entity::PurchaseOrder => read!(PurchaseOrder),
            Entity::PurchaseOrderLine => read!(PurchaseOrderLine),
            Entity::Transfer => read!(Transfer),
            Entity::TransferLine => read!(TransferLine),
            Entity::User
            | Entity::WatchedFolder
            | Entity::WatchedFile
            | Entity::Alert
            | Entity::ForecastRun
            | Entity::PolicyRun
            | Entity::HomeLayout
            | Entity::AlertRule
            | Entity::DataSource
            | Entity::SourceJob => {
                return Err(Error::invalid(
                    "entity",
                    format!("a {} does not travel from a laptop", entity.noun()),
                ));
            }
        };
        if whole_record {
            record.check()?;
        }
        Ok(record)
    }

    /// The rules between a whole record's fields.
    pub fn check(&self) -> Result<()> {
        match self {
            Record::Budget(budget) => {
                let named = match budget.owner_kind {
                    Some(OwnerKind::Salesman) => ("salesman_id", budget.salesman_id.flatten()),
                    Some(OwnerKind::Department) => {
                        ("department_id", budget.department_id.flatten())
                    }
                    Some(OwnerKind::Location) => ("location_id", budget.location_id.flatten()),
                    None => return Ok(()),
                };
                if named.1.is_none() {
                    return Err(Error::invalid(
                        named.0,
                        "is required: it names the budget's owner",
                    ));
                }
                if budget.owner_kind != Some(OwnerKind::Salesman)
                    && budget.salesman_id.flatten().is_some()
                {
                    return Err(Error::invalid(
                        "salesman_id",
                        "must be empty for a department's or a branch's budget",
                    ));
                }
            }
            Record::StockPolicyOverride(over)
                if over.reorder_point.flatten().is_none()
                    && over.order_quantity.flatten().is_none() =>
            {
                return Err(Error::invalid(
                    "reorder_point",
                    "an override sets a reorder point, an order quantity or both",
                ));
            }
            Record::ForecastOverride(over) => {
                if let (Some(first), Some(last)) = (over.first_month, over.last_month)
                    && last < first
                {
                    return Err(Error::invalid(
                        "last_month",
                        format!("must not come before first_month ({first})"),
                    ));
                }
                if over.kind == Some(OverrideKind::Percent)
                    && over
                        .value
                        .is_some_and(|value| value.0 < -rust_decimal::Decimal::ONE_HUNDRED)
                {
                    return Err(Error::invalid(
                        "value",
                        "a change in % cannot be below -100",
                    ));
                }
            }
            Record::ForecastSnapshot(snapshot) => {
                match (snapshot.low.flatten(), snapshot.high.flatten()) {
                    (Some(low), Some(high)) if low.0 > high.0 => {
                        return Err(Error::invalid(
                            "low",
                            format!("must not lie above high ({})", high.0),
                        ));
                    }
                    (Some(_), None) | (None, Some(_)) => {
                        return Err(Error::invalid(
                            "high",
                            "an interval has both bounds (low and high) or neither",
                        ));
                    }
                    _ => {}
                }
            }
            Record::BudgetTemplate(template) => {
                if let Some(line) = template
                    .lines
                    .iter()
                    .flatten()
                    .find(|line| line.template_id != template.id)
                {
                    return Err(Error::invalid(
                        "$children",
                        format!(
                            "line {} belongs to another template",
                            line.id.map(|id| id.to_string()).unwrap_or_default()
                        ),
                    ));
                }
                if let Some(seasonality) = &template.seasonality {
                    let weights: Option<Vec<crate::values::Count>> =
                        serde_json::from_str::<Vec<Value>>(seasonality.as_str())
                            .ok()
                            .and_then(|weights| {
                                weights
                                    .into_iter()
                                    .map(|weight| {
                                        let text = match weight {
                                            Value::Number(number) => number.to_string(),
                                            Value::String(text) => text,
                                            _ => return None,
                                        };
                                        serde_json::from_value(Value::String(text)).ok()
                                    })
                                    .collect()
                            });
                    if weights.is_none_or(|weights| weights.len() != 12) {
                        return Err(Error::invalid(
                            "seasonality",
                            "must be twelve weights of zero or more",
                        ));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The record whose scope this one takes, the field naming it, and its id.
    pub fn parent(&self) -> Option<(Entity, &'static str, Option<Uuid>)> {
        match self {
            Record::BudgetLine(line) => Some((Entity::Budget, "budget_id", line.budget_id)),
            Record::BudgetExpense(expense) => {
                Some((Entity::Budget, "budget_id", expense.budget_id))
            }
            Record::ExpenseTransaction(spent) => {
                Some((Entity::BudgetExpense, "expense_id", spent.expense_id))
            }
            Record::PurchaseOrderLine(line) => {
                Some((Entity::PurchaseOrder, "order_id", line.order_id))
            }
            Record::TransferLine(line) => Some((Entity::Transfer, "transfer_id", line.transfer_id)),
            _ => None,
        }
    }

    /// Whose the record is: computed from its own fields, its owner's account
    /// (`account`: an account's department and branch) and its parent's scope
    /// (`parent`); `None` when the receiver does not hold the parent.
    pub fn scope(
        &self,
        account: &dyn Fn(Uuid) -> Option<(Option<Uuid>, Option<Uuid>)>,
        parent: &dyn Fn(Entity, Uuid) -> Option<ScopeFacts>,
    ) -> Option<ScopeFacts> {
        let of = |owner: Option<Uuid>| owner.and_then(account).unwrap_or_default();
        let fields = |owner, department_id, location_id| ScopeFacts {
            owner_id: owner,
            department_id,
            location_id,
            other_location_id: None,
        };
        Some(match self {
            Record::CompanySettings(_)
            | Record::Department(_)
            | Record::Location(_)
            | Record::ProductCategory(_)
            | Record::Product(_)
            | Record::Customer(_)
            | Record::BudgetCategory(_)
            | Record::Supplier(_)
            | Record::SupplierProduct(_)
            | Record::ClosedMonth(_) => ScopeFacts::default(),
            Record::ActualSale(sale) => {
                let owner = sale.salesman_id.flatten();
                fields(owner, of(owner).0, sale.location_id)
            }
            Record::Budget(budget) => fields(
                budget.salesman_id.flatten(),
                budget.department_id.flatten(),
                budget.location_id.flatten(),
            ),
            Record::BudgetLine(_)
            | Record::BudgetExpense(_)
            | Record::ExpenseTransaction(_)
            | Record::PurchaseOrderLine(_)
            | Record::TransferLine(_) => {
                let (entity, _, id) = self.parent()?;
                parent(entity, id?)?
            }
            Record::BudgetTemplate(template) => {
                let (department, location) = of(template.created_by);
                fields(template.created_by, department, location)
            }
            Record::Import(import) => {
                let (department, location) = of(import.imported_by);
                fields(import.imported_by, department, location)
            }
            Record::ImportMapping(mapping) => {
                fields(mapping.created_by, of(mapping.created_by).0, None)
            }
            // Its owner's alone: who else receives it is the view right's
            // (`sync::rules::report_view`), never a department or branch.
            Record::SavedReport(report) => fields(report.created_by, None, None),
            Record::StockMovement(movement) => fields(None, None, movement.location_id),
            Record::StockPolicyOverride(over) => fields(None, None, over.location_id),
            Record::PurchaseOrder(order) => fields(None, None, order.location_id),
            // Seen at both ends: where it goes, and where it leaves.
            Record::Transfer(transfer) => ScopeFacts {
                other_location_id: transfer.from_location_id,
                ..fields(None, None, transfer.to_location_id)
            },
            Record::ForecastOverride(over) => {
                let owner = over.salesman_id.flatten();
                let (department, location) = of(owner);
                fields(
                    owner,
                    over.department_id.flatten().or(department),
                    over.location_id.flatten().or(location),
                )
            }
            Record::ForecastSnapshot(value) => fields(
                value.salesman_id.flatten(),
                value.department_id.flatten(),
                value.location_id,
            ),
        })
    }

    /// A new salesman's budget lies in his department and branch, as his
    /// account at the receiver says (`account`): a budget is not made in
    /// another department's scope.
    pub fn check_owner(
        &self,
        account: &dyn Fn(Uuid) -> Option<(Option<Uuid>, Option<Uuid>)>,
    ) -> Result<()> {
        let Record::Budget(budget) = self else {
            return Ok(());
        };
        let Some(salesman) = budget.salesman_id.flatten() else {
            return Ok(());
        };
        let Some((department, location)) = account(salesman) else {
            return Err(Error::invalid(
                "salesman_id",
                format!("names no account ({salesman})"),
            ));
        };
        let name = |id: Option<Uuid>| id.map_or("none".to_owned(), |id| id.to_string());
        for (field, held, account) in [
            ("department_id", budget.department_id.flatten(), department),
            ("location_id", budget.location_id.flatten(), location),
        ] {
            if held != account {
                return Err(Error::invalid(
                    field,
                    format!(
                        "a salesman's budget lies in his own department and branch ({}), not {}",
                        name(account),
                        name(held)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The part of the scope the record's own fields say (the rest comes from
    /// its owner's account or its parent): a sender's declared scope must agree.
    pub fn own_scope(&self) -> ScopeFacts {
        self.scope(&|_| None, &|_, _| None).unwrap_or_default()
    }

    /// The records this one names, which the receiver must hold: `(field, entity, id)`.
    pub fn references(&self) -> Vec<(&'static str, Entity, Uuid)> {
        use Entity as E;
        let mut refs: Vec<(&'static str, Entity, Option<Uuid>)> = Vec::new();
        match self {
            Record::Product(product) => {
                refs.push(("category_id", E::ProductCategory, product.category_id))
            }
            Record::Customer(customer) => {
                refs.push(("location_id", E::Location, customer.location_id.flatten()));
            }
            Record::ActualSale(sale) => refs.extend([
                ("product_id", E::Product, sale.product_id),
                ("location_id", E::Location, sale.location_id),
                ("customer_id", E::Customer, sale.customer_id.flatten()),
                ("salesman_id", E::User, sale.salesman_id.flatten()),
                ("created_by", E::User, sale.created_by),
                ("import_id", E::Import, sale.import_id.flatten()),
            ]),
            Record::Budget(budget) => refs.extend([
                ("salesman_id", E::User, budget.salesman_id.flatten()),
                (
                    "department_id",
                    E::Department,
                    budget.department_id.flatten(),
                ),
                ("location_id", E::Location, budget.location_id.flatten()),
                ("created_by", E::User, budget.created_by),
            ]),
            Record::BudgetLine(line) => refs.extend([
                ("budget_id", E::Budget, line.budget_id),
                ("product_id", E::Product, line.product_id),
            ]),
            Record::BudgetExpense(expense) => refs.extend([
                ("budget_id", E::Budget, expense.budget_id),
                ("category_id", E::BudgetCategory, expense.category_id),
            ]),
            Record::ExpenseTransaction(spent) => refs.extend([
                ("expense_id", E::BudgetExpense, spent.expense_id),
                ("created_by", E::User, spent.created_by),
            ]),
            Record::BudgetTemplate(template) => {
                refs.push(("created_by", E::User, template.created_by));
                for line in template.lines.iter().flatten() {
                    refs.push(("$children.product_id", E::Product, line.product_id));
                }
            }
            Record::Import(import) => refs.push(("imported_by", E::User, import.imported_by)),
            Record::ImportMapping(mapping) => {
                refs.push(("created_by", E::User, mapping.created_by))
            }
            Record::SavedReport(report) => refs.push(("created_by", E::User, report.created_by)),
            Record::StockMovement(movement) => refs.extend([
                ("product_id", E::Product, movement.product_id),
                ("location_id", E::Location, movement.location_id),
                ("created_by", E::User, movement.created_by),
                ("import_id", E::Import, movement.import_id.flatten()),
                (
                    "order_line_id",
                    E::PurchaseOrderLine,
                    movement.order_line_id.flatten(),
                ),
                (
                    "transfer_line_id",
                    E::TransferLine,
                    movement.transfer_line_id.flatten(),
                ),
            ]),
            Record::ForecastOverride(over) => refs.extend([
                ("product_id", E::Product, over.product_id.flatten()),
                (
                    "category_id",
                    E::ProductCategory,
                    over.category_id.flatten(),
                ),
                ("location_id", E::Location, over.location_id.flatten()),
                ("salesman_id", E::User, over.salesman_id.flatten()),
                ("department_id", E::Department, over.department_id.flatten()),
                ("created_by", E::User, over.created_by),
                ("removed_by", E::User, over.removed_by.flatten()),
            ]),
            Record::ClosedMonth(close) => refs.push(("closed_by", E::User, close.closed_by)),
            Record::ForecastSnapshot(value) => refs.extend([
                ("product_id", E::Product, value.product_id),
                ("location_id", E::Location, value.location_id),
            ]),
            Record::CompanySettings(_)
            | Record::Department(_)
            | Record::Location(_)
            | Record::ProductCategory(_)
            | Record::BudgetCategory(_)
            | Record::Supplier(_) => {}
            Record::SupplierProduct(line) => refs.extend([
                ("supplier_id", E::Supplier, line.supplier_id),
                ("product_id", E::Product, line.product_id),
            ]),
            Record::StockPolicyOverride(over) => refs.extend([
                ("location_id", E::Location, over.location_id),
                ("product_id", E::Product, over.product_id),
                ("created_by", E::User, over.created_by),
            ]),
            Record::PurchaseOrder(order) => refs.extend([
                ("supplier_id", E::Supplier, order.supplier_id),
                ("location_id", E::Location, order.location_id),
                ("created_by", E::User, order.created_by),
                ("sent_by", E::User, order.sent_by.flatten()),
                ("cancelled_by", E::User, order.cancelled_by.flatten()),
            ]),
            Record::PurchaseOrderLine(line) => refs.extend([
                ("order_id", E::PurchaseOrder, line.order_id),
                ("product_id", E::Product, line.product_id),
            ]),
            Record::Transfer(transfer) => refs.extend([
                ("from_location_id", E::Location, transfer.from_location_id),
                ("to_location_id", E::Location, transfer.to_location_id),
                ("created_by", E::User, transfer.created_by),
                ("approved_by", E::User, transfer.approved_by.flatten()),
                ("shipped_by", E::User, transfer.shipped_by.flatten()),
                ("closed_by", E::User, transfer.closed_by.flatten()),
                ("cancelled_by", E::User, transfer.cancelled_by.flatten()),
            ]),
            Record::TransferLine(line) => refs.extend([
                ("transfer_id", E::Transfer, line.transfer_id),
                ("product_id", E::Product, line.product_id),
            ]),
        }
        refs.into_iter()
            .filter_map(|(field, entity, id)| Some((field, entity, id?)))
            .collect()
    }

    /// What no two records of a kind may share (the ledger's unique indexes):
    /// what it is called and its value. Codes are compared as written; a
    /// scenario, a template's and a mapping's names whatever their case.
    pub fn natural_key(&self) -> Option<(&'static str, String)> {
        let id = |id: Option<Uuid>| id.map(|id| id.to_string()).unwrap_or_default();
        let text = |text: Option<&str>| text.unwrap_or_default().to_owned();
        Some(match self {
            Record::Department(coded)
            | Record::ProductCategory(coded)
            | Record::BudgetCategory(coded) => {
                ("code", text(coded.code.as_ref().map(|code| code.as_str())))
            }
            Record::Location(location) => (
                "code",
                text(location.code.as_ref().map(|code| code.as_str())),
            ),
            Record::Customer(customer) => (
                "code",
                text(customer.code.as_ref().map(|code| code.as_str())),
            ),
            Record::Supplier(supplier) => (
                "code",
                text(supplier.code.as_ref().map(|code| code.as_str())),
            ),
            Record::SupplierProduct(line) => (
                "supplier and product",
                format!("{}|{}", id(line.supplier_id), id(line.product_id)),
            ),
            Record::StockPolicyOverride(over) => (
                "location and product",
                format!("{}|{}", id(over.location_id), id(over.product_id)),
            ),
            Record::PurchaseOrderLine(line) => (
                "order and product",
                format!("{}|{}", id(line.order_id), id(line.product_id)),
            ),
            Record::TransferLine(line) => (
                "transfer and product",
                format!("{}|{}", id(line.transfer_id), id(line.product_id)),
            ),
            Record::Product(product) => ("sku", text(product.sku.as_ref().map(|sku| sku.as_str()))),
            Record::Budget(budget) => (
                "fiscal year, scenario and owner",
                format!(
                    "{}|{}|{:?}|{}|{}|{}",
                    budget.fiscal_year.map(|year| year.0).unwrap_or_default(),
                    text(budget.scenario.as_ref().map(|name| name.as_str())).to_lowercase(),
                    budget.owner_kind,
                    id(budget.salesman_id.flatten()),
                    id(budget.department_id.flatten()),
                    id(budget.location_id.flatten()),
                ),
            ),
            Record::BudgetLine(line) => (
                "budget, product and month",
                format!(
                    "{}|{}|{}",
                    id(line.budget_id),
                    id(line.product_id),
                    line.period
                        .map(|month| month.to_string())
                        .unwrap_or_default()
                ),
            ),
            Record::BudgetExpense(expense) => (
                "budget, category and description",
                format!(
                    "{}|{}|{}",
                    id(expense.budget_id),
                    id(expense.category_id),
                    text(expense.description.as_ref().map(|text| text.as_str()))
                ),
            ),
            Record::BudgetTemplate(template)
                if template.archived_at.as_ref().is_none_or(Option::is_none) =>
            {
                (
                    "name",
                    text(template.name.as_ref().map(|name| name.as_str())).to_lowercase(),
                )
            }
            Record::ImportMapping(mapping) => (
                "kind and name",
                format!(
                    "{:?}|{}",
                    mapping.kind,
                    text(mapping.name.as_ref().map(|name| name.as_str())).to_lowercase()
                ),
            ),
            Record::SavedReport(report)
                if report.deleted_at.as_ref().is_none_or(Option::is_none) =>
            {
                (
                    "owner and name",
                    format!(
                        "{}|{}",
                        id(report.created_by),
                        text(report.name.as_ref().map(|name| name.as_str())).to_lowercase()
                    ),
                )
            }
            Record::Import(import) => ("reversed import", id(import.reverses.flatten()?.into())),
            _ => return None,
        })
    }

    /// The month a fact is dated in, which must not be closed when it is made.
    pub fn closed_month_rule(&self) -> Option<Month> {
        match self {
            Record::ActualSale(sale) => sale.period,
            _ => None,
        }
    }

    /// A budget's status, for the workflow.
    pub fn budget_status(&self) -> Option<BudgetStatus> {
        match self {
            Record::Budget(budget) => budget.status,
            _ => None,
        }
    }
}

/// The kinds of change a laptop makes of an entity.
pub fn kinds(entity: Entity) -> &'static [ChangeKind] {
    use ChangeKind as K;
    match travel(entity) {
        Travel::Local | Travel::FromHeadOffice { .. } => &[],
        Travel::Shared { .. } if is_fact(entity) => &[K::Appended],
        Travel::Shared { .. } if entity == Entity::Budget => {
            &[K::Created, K::Updated, K::Transitioned]
        }
        Travel::Shared { .. } => &[K::Created, K::Updated],
    }
}

/// The field that names a record, when it is not the entity id.
fn key_field(entity: Entity) -> Option<&'static str> {
    match entity {
        Entity::CompanySettings => Some("id"),
        Entity::ClosedMonth => Some("month"),
        _ => None,
    }
}

/// Reads a change as it arrives. Created records and facts must be whole and
/// pass their own rules; an update's fields must each have their type.
pub fn parse(entity: Entity, kind: ChangeKind, entity_id: Uuid, payload: &Value) -> Result<Change> {
    if !kinds(entity).contains(&kind) {
        return Err(match travel(entity) {
            Travel::Shared { .. } if is_fact(entity) => Error::invalid(
                "kind",
                format!(
                    "this is a fact ({}): it is only ever appended, never {}; post a reversing entry instead",
                    entity.noun(),
                    kind.key()
                ),
            ),
            Travel::Shared { .. } => Error::invalid(
                "kind",
                format!(
                    "a laptop does not send '{}' changes of this record ({})",
                    kind.key(),
                    entity.noun()
                ),
            ),
            _ => Error::invalid(
                "entity",
                format!("a {} does not travel from a laptop", entity.noun()),
            ),
        });
    }
    if !payload.is_object() {
        return Err(Error::invalid("payload", "must be an object of fields"));
    }
    canonical_ids(payload, "payload")?;
    let body = match kind {
        ChangeKind::Transitioned => {
            let step: BudgetStep = whole(payload)?;
            check_step(entity_id, &step)?;
            Body::Step(step)
        }
        ChangeKind::Updated => Body::Record(Record::parse(entity, payload, false)?),
        _ => {
            let record = Record::parse(entity, payload, true)?;
            if key_field(entity).is_none()
                && payload.get("id").and_then(Value::as_str) != Some(&entity_id.to_string())
            {
                return Err(Error::invalid(
                    "id",
                    format!("must be the record's id, {entity_id}"),
                ));
            }
            Body::Record(record)
        }
    };
    Ok(Change {
        entity,
        kind,
        entity_id,
        body,
    })
}

/// Ids are written one way, lowercase with hyphens, as every laptop writes
/// them: head office keeps and matches a change's fields as text, and a
/// laptop's foreign keys compare text, so `{…}` or capitals would name a
/// record no one finds.
fn canonical_ids(value: &Value, field: &str) -> Result<()> {
    let names_a_record =
        field == "id" || field.ends_with("_id") || field.ends_with("_by") || field == "reverses";
    match value {
        Value::Object(fields) => {
            for (name, value) in fields {
                canonical_ids(value, name)?;
            }
        }
        Value::Array(items) => {
            for item in items {
                canonical_ids(item, field)?;
            }
        }
        Value::String(text) if names_a_record => {
            if let Ok(id) = Uuid::parse_str(text)
                && id.hyphenated().to_string() != *text
            {
                return Err(Error::invalid(
                    field,
                    format!(
                        "an id is written in lowercase with hyphens ({id}), not '{}'",
                        crate::values::shown(text)
                    ),
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Fields head office keeps in a record besides its columns, never sent to a
/// laptop: who submitted a budget (the approver's rule), what a purchase
/// order line has received (the sum of the receipts it took), what a
/// transfer line has sent out, had arrive (of it, found short or damaged)
/// and written off (the sums of the movements naming it).
pub const HEAD_OFFICE_FIELDS: [&str; 6] = [
    "submitted_by",
    "received",
    "dispatched",
    "arrived",
    "found_wanting",
    "written_off",
];

/// Fields that no update changes: a record's identity, who made it and
/// when, the record it belongs to; a budget's status moves by its workflow.
const FIXED: [&str; 13] = [
    "id",
    "created_by",
    "created_at",
    "imported_by",
    "budget_id",
    "expense_id",
    "template_id",
    "order_id",
    "transfer_id",
    "from_location_id",
    "to_location_id",
    "month",
    "status",
];

/// An update against the record as the receiver holds it: it must not change
/// a fixed field. Returns the record as it will be, whole and checked.
pub fn check_update(
    entity: Entity,
    held: &Map<String, Value>,
    update: &Map<String, Value>,
) -> Result<Record> {
    for field in FIXED {
        // A purchase order's and a transfer's status move by their steps,
        // which head office decides against their state
        // (`purchasing::OrderStep`, `transfers::TransferStep`).
        if field == "status" && matches!(entity, Entity::PurchaseOrder | Entity::Transfer) {
            continue;
        }
        if let (Some(new), Some(old)) = (update.get(field), held.get(field))
            && new != old
        {
            let rule = if field == "status" {
                "changes only by a workflow step (submit, approve, reject, lock, unlock)".to_owned()
            } else {
                format!("cannot change (it is {old})")
            };
            return Err(Error::invalid(field, rule));
        }
    }
    let mut merged = held.clone();
    merged.extend(
        update
            .iter()
            .map(|(field, value)| (field.clone(), value.clone())),
    );
    Record::parse(entity, &Value::Object(merged), true)
}

/// A workflow step's own rules: the step exists, it says why where it must,
/// and the recorded step agrees with it.
fn check_step(budget_id: Uuid, step: &BudgetStep) -> Result<Transition> {
    let (Some(from), Some(to)) = (step.from, step.to) else {
        return Err(Error::invalid("to", "is required"));
    };
    let transition = Transition::between(from, to).ok_or_else(|| {
        Error::invalid(
            "to",
            format!("a budget does not go from {} to {}", from.key(), to.key()),
        )
    })?;
    transition.check_comment(step.comment.as_ref().map_or("", |comment| comment.as_str()))?;
    if let Some(recorded) = &step.step {
        let agrees = recorded.from_status == Some(from)
            && recorded.to_status == Some(to)
            && recorded.budget_id == Some(budget_id);
        if !agrees {
            return Err(Error::invalid(
                "step",
                "must record the same budget, from and to",
            ));
        }
    }
    Ok(transition)
}

/// Decides a workflow step against the budget as the receiver holds it:
/// `status` now, its `owner`, who `submitted` it; `actor` takes the step.
pub fn step(
    step: &BudgetStep,
    status: BudgetStatus,
    owner: Option<Uuid>,
    submitted_by: Option<Uuid>,
    actor: Uuid,
) -> Result<Transition> {
    let from = step.from.unwrap_or(status);
    let transition = Transition::between(from, step.to.unwrap_or(status))
        .ok_or_else(|| Error::invalid("to", "is not a step of the workflow"))?;
    if status != from {
        return Err(Error::invalid(
            "status",
            format!(
                "the budget is {} here, not {}: the step no longer applies",
                status.key(),
                from.key()
            ),
        ));
    }
    transition.check_approver(owner, submitted_by, actor)?;
    Ok(transition)
}

#[cfg(test)]
mod tests;
