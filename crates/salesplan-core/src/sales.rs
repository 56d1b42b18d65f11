//! Actual sales: posting the facts (append-only; a mistake is corrected by a
//! reversing entry) and reading them back within the signed-in user's scope.

use crate::access::{Action, Actor, Resource, Role, Scope};
use crate::error::{Error, Result};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger, Write};
use crate::month::Month;
use crate::reference::{Customer, Location, Product, require_live};
use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;
use uuid::Uuid;

pub use crate::model::sales::ActualSale;
pub(crate) use crate::model::sales::{SaleFacts, SaleLine};

/// One sale to post. `quantity` may be negative: a return or a reversing entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewSale {
    /// The month sold, `YYYY-MM`.
    pub period: String,
    pub product_id: Uuid,
    pub location_id: Uuid,
    pub salesman_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub unit_price: Decimal,
}

/// Every sale in the actor's scope, oldest first, as the sales import reads it.
pub(crate) fn lines(ledger: &Ledger, actor: &Actor) -> Result<Vec<SaleLine>> {
    let scope = actor.scope_for(Action::ViewActuals)?;
    ledger::sales::lines_in_scope(ledger.read(), scope, actor)
}

fn validated_period(field: &str, period: &str) -> Result<Month> {
    let period = period.trim();
    let parts = (period.len() == 7 && period.as_bytes()[4] == b'-').then(|| {
        (
            period[..4].parse::<i32>().ok(),
            period[5..].parse::<u8>().ok(),
        )
    });
    match parts {
        Some((Some(year), Some(month)))
            if (1900..=2999).contains(&year) && (1..=12).contains(&month) =>
        {
            Ok(Month::new(year, month))
        }
        _ => Err(Error::invalid(
            field,
            format!("'{period}' is not a month; write it as YYYY-MM"),
        )),
    }
}

/// Posts sales in one transaction: all of them, or none when any is refused.
pub fn post(ledger: &mut Ledger, actor: &Actor, sales: Vec<NewSale>) -> Result<Vec<ActualSale>> {
    actor.scope_for(Action::PostActuals)?;
    ledger.write(Some(actor), |write| post_in(write, actor, sales))
}

pub(crate) fn post_in(
    write: &mut Write<'_>,
    actor: &Actor,
    sales: Vec<NewSale>,
) -> Result<Vec<ActualSale>> {
    // Salesmen are looked up once per batch: their department scopes the sale.
    let mut salesmen: HashMap<Uuid, Option<Uuid>> = HashMap::new();
    let created_at = Timestamp::now();
    let last_closed = ledger::forecast::last_closed(write.read())?;
    let issues_stock = ledger::settings::sales_issue_stock(write.read())?;
    let mut posted = Vec::with_capacity(sales.len());
    for (row, sale) in sales.into_iter().enumerate() {
        let field = |name: &str| format!("sales[{row}].{name}");
        let period = validated_period(&field("period"), &sale.period)?;
        crate::forecast::require_open(&field("period"), period, last_closed)?;
        if sale.unit_price.is_sign_negative() && !sale.unit_price.is_zero() {
            return Err(Error::invalid(field("unit_price"), "must not be negative"));
        }
        // The bounds head office checks: a value it would refuse never enters.
        let quantity = salesplan_domain::values::Quantity::new(sale.quantity)
            .map_err(Error::refused(field("quantity")))?
            .0;
        let unit_price = salesplan_domain::values::Price::new(sale.unit_price)
            .map_err(Error::refused(field("unit_price")))?
            .0;
        let conn = write.read();
        require_live::<Product>(conn, &field("product_id"), Some(sale.product_id))?;
        require_live::<Location>(conn, &field("location_id"), Some(sale.location_id))?;
        require_live::<Customer>(conn, &field("customer_id"), sale.customer_id)?;
        let department_id = match sale.salesman_id {
            None => None,
            Some(salesman_id) => match salesmen.get(&salesman_id) {
                Some(department) => *department,
                None => {
                    let salesman = ledger::users::get(conn, salesman_id)?
                        .filter(|row| row.user.profile.role == Role::Salesman)
                        .ok_or_else(|| {
                            Error::invalid(
                                field("salesman_id"),
                                format!("no salesman with id {salesman_id}"),
                            )
                        })?;
                    salesmen.insert(salesman_id, salesman.user.profile.department_id);
                    salesman.user.profile.department_id
                }
            },
        };
        actor.require(
            Action::PostActuals,
            &Resource {
                owner_id: sale.salesman_id,
                department_id,
                location_id: Some(sale.location_id),
            },
        )?;
        let posted_sale = ActualSale {
            id: Uuid::now_v7(),
            period,
            product_id: sale.product_id,
            location_id: sale.location_id,
            salesman_id: sale.salesman_id,
            customer_id: sale.customer_id,
            quantity,
            unit_price,
            amount: crate::money::cents(quantity * unit_price),
            created_by: actor.id,
            created_at,
            issues_stock,
        };
        let origin = ledger::sales::SaleOrigin {
            import_id: None,
            sold_on: None,
            fingerprint: fingerprint(&SaleKey {
                day: &posted_sale.period.to_string(),
                product_id: posted_sale.product_id,
                location_id: posted_sale.location_id,
                salesman_id: posted_sale.salesman_id,
                customer_id: posted_sale.customer_id,
                quantity: posted_sale.quantity,
                unit_price: posted_sale.unit_price,
                reference: "",
            }),
        };
        ledger::sales::insert(write, &posted_sale, &origin)?;
        write.record(Change {
            entity: Entity::ActualSale,
            entity_id: posted_sale.id,
            kind: ChangeKind::Appended,
            payload: serde_json::to_value(&posted_sale).unwrap_or_default(),
            base_version: None,
        })?;
        posted.push(posted_sale);
    }
    Ok(posted)
}

/// What makes two sales the same sale.
pub(crate) struct SaleKey<'a> {
    /// The day (`YYYY-MM-DD`) when known, else the month.
    pub day: &'a str,
    pub product_id: Uuid,
    pub location_id: Uuid,
    pub salesman_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    /// A document number from the source, if any.
    pub reference: &'a str,
}

/// 64 bits of BLAKE2b over a sale's content: equal for the same sale however it
/// was written ("12.50" and "12.5" alike), so an overlapping import is recognised.
pub(crate) fn fingerprint(key: &SaleKey<'_>) -> i64 {
    let id = |id: Option<Uuid>| id.map_or([0; 16], |id| *id.as_bytes());
    let (quantity, unit_price) = (
        key.quantity.normalize().to_string(),
        key.unit_price.normalize().to_string(),
    );
    i64::from_le_bytes(blake2_64(&[
        key.day.as_bytes(),
        key.product_id.as_bytes(),
        key.location_id.as_bytes(),
        &id(key.salesman_id),
        &id(key.customer_id),
        quantity.as_bytes(),
        b"|",
        unit_price.as_bytes(),
        b"|",
        key.reference.trim().as_bytes(),
    ]))
}

/// 64 bits of BLAKE2b over a text.
pub(crate) fn text_fingerprint(text: &str) -> u64 {
    u64::from_le_bytes(blake2_64(&[text.as_bytes()]))
}

fn blake2_64(parts: &[&[u8]]) -> [u8; 8] {
    use blake2::digest::{Update, VariableOutput};
    let mut hasher =
        blake2::Blake2bVar::new(8).unwrap_or_else(|_| unreachable!("8 is a valid BLAKE2b size"));
    for part in parts {
        hasher.update(part);
    }
    let mut out = [0u8; 8];
    hasher
        .finalize_variable(&mut out)
        .unwrap_or_else(|_| unreachable!("the buffer has the size asked for"));
    out
}

/// A month's total.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MonthTotal {
    pub period: Month,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

/// A named total (a product, a branch).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct NamedTotal {
    pub name: String,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

/// Actual sales in the signed-in user's scope: by month, and the last 12 months by product and branch.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SalesOverview {
    pub scope: Scope,
    #[ts(type = "number")]
    pub sale_count: usize,
    pub months: Vec<MonthTotal>,
    pub last_twelve_months: Option<(String, String)>,
    pub top_products: Vec<NamedTotal>,
    pub by_location: Vec<NamedTotal>,
}

pub fn overview(ledger: &Ledger, actor: &Actor) -> Result<SalesOverview> {
    let scope = actor.scope_for(Action::ViewActuals)?;
    let facts = ledger::sales::facts_in_scope(ledger.read(), scope, actor)?;

    let mut months: BTreeMap<Month, (Decimal, Decimal)> = BTreeMap::new();
    for fact in &facts {
        let month = months.entry(fact.period).or_default();
        month.0 += fact.quantity;
        month.1 += fact.amount;
    }
    let recent: Vec<Month> = months.keys().rev().take(12).copied().collect();
    let window = recent
        .last()
        .zip(recent.first())
        .map(|(from, to)| (from.to_string(), to.to_string()));
    let in_window = |fact: &&SaleFacts| recent.contains(&fact.period);
    let ranked = |name_of: &dyn Fn(&SaleFacts) -> String, limit: usize| {
        let mut totals: HashMap<String, Decimal> = HashMap::new();
        for fact in facts.iter().filter(in_window) {
            *totals.entry(name_of(fact)).or_default() += fact.amount;
        }
        let mut ranked: Vec<NamedTotal> = totals
            .into_iter()
            .map(|(name, amount)| NamedTotal { name, amount })
            .collect();
        ranked.sort_by(|a, b| b.amount.cmp(&a.amount).then_with(|| a.name.cmp(&b.name)));
        ranked.truncate(limit);
        ranked
    };

    Ok(SalesOverview {
        scope,
        sale_count: facts.iter().map(|fact| fact.sales).sum::<i64>() as usize,
        top_products: ranked(&|fact| format!("{} {}", fact.sku, fact.product_name), 5),
        by_location: ranked(&|fact| fact.location_name.clone(), 20),
        last_twelve_months: window,
        months: months
            .into_iter()
            .map(|(period, (quantity, amount))| MonthTotal {
                period,
                quantity,
                amount,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::validated_period;

    #[test]
    fn periods_are_real_months() {
        assert_eq!(
            validated_period("period", " 2026-01 ").ok(),
            Some(super::Month::new(2026, 1))
        );
        for bad in [
            "2026-13", "2026-00", "26-01", "2026/01", "2026-1", "abcd-ef", "",
        ] {
            let error = validated_period("period", bad).expect_err(bad);
            assert!(error.to_string().starts_with("period: "), "{error}");
        }
    }
}
