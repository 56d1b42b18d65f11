//! Sales outside the forecast's 80 % interval: the products whose latest
//! ended month sold above or below the range the forecast gave it, as the
//! forecast screen draws it (the series' intervals added up around the
//! final). An open month reads the current forecast; a closed one the
//! snapshot kept when it was closed.

use super::{Insight, InsightKind, InsightLink, InsightScreen, Year};
use crate::access::Scope;
use crate::budgets::variance::VarianceLevel;
use crate::error::Result;
use crate::forecast::open_month;
use crate::forecast::view::{self, Prices, Spread};
use crate::ledger::{self, reports::SaleColumn};
use rust_decimal::Decimal;
use std::collections::HashMap;
use uuid::Uuid;

/// How many products outside their interval are told.
const TOLD: usize = 3;

/// The products of the latest ended month outside their forecast's interval,
/// the money outside it (at the forecast's price) first; `scope` is what the
/// reader may see of the forecast.
pub(super) fn outside(year: &Year<'_>, scope: Scope) -> Result<Vec<Insight>> {
    let conn = year.ledger.read();
    let month = year.through;
    // Per product: the final forecast and the spread of its series' intervals.
    let mut forecast: HashMap<Uuid, (Decimal, Spread)> = HashMap::new();
    let mut add = |product: Uuid, center: Decimal, baseline: Decimal, bounds| {
        let entry = forecast.entry(product).or_default();
        entry.0 += center;
        entry.1.add(baseline, bounds);
    };
    if month >= open_month(conn)? {
        let current = view::current(conn, scope, year.actor)?;
        if let Some(m) = current.months.iter().position(|at| *at == month) {
            for (at, facts) in current.facts.iter().enumerate() {
                let (center, _) = current.finals[at][m];
                add(
                    facts.product_id,
                    center,
                    current.baseline[at][m],
                    current.bounds[at][m],
                );
            }
        }
    } else {
        for row in ledger::forecast::snapshots(conn, scope, year.actor, month)? {
            if row.as_of == month && row.month == month {
                add(
                    row.facts.product_id,
                    row.final_quantity,
                    row.baseline,
                    row.bounds,
                );
            }
        }
    }
    let mut sold: HashMap<Uuid, Decimal> = HashMap::new();
    for cut in ledger::reports::sales_cut(
        conn,
        year.scope,
        year.actor,
        (month, month),
        &[SaleColumn::Product],
        &[],
    )? {
        if let Some(product) = cut.place.product {
            *sold.entry(product).or_default() += cut.quantity;
        }
    }
    let prices = Prices::load(conn, &[month])?;
    let mut found: Vec<Insight> = forecast
        .into_iter()
        .filter_map(|(product, (center, spread))| {
            let (low, high) = spread.bounds(center)?;
            let units = sold.get(&product).copied().unwrap_or_default();
            let (bound, side, past) = match units {
                units if units > high => (high, "above", "over"),
                units if units < low => (low, "below", "short"),
                _ => return None,
            };
            let impact = (units - bound) * prices.of(product, month);
            Some(Insight {
                kind: InsightKind::OutsideInterval,
                sentence: format!(
                    "{} sold {} units in {}, {side} the forecast's 80 % range of {}–{} (forecast {}): {} units {past}, {} at the forecast's price.",
                    year.label(VarianceLevel::Product, product),
                    shown(units),
                    month.spelled(),
                    shown(low),
                    shown(high),
                    shown(center),
                    shown((units - bound).abs()),
                    year.money(impact.abs(), false),
                ),
                impact: Some(impact),
                link: InsightLink {
                    screen: InsightScreen::Forecast,
                    level: Some(VarianceLevel::Product),
                    key: Some(product),
                },
            })
        })
        .collect();
    found.sort_by(super::by_impact);
    found.truncate(TOLD);
    Ok(found)
}

/// Units as a sentence writes them: to two places, no trailing zeros.
fn shown(units: Decimal) -> String {
    crate::money::round(units, 2).normalize().to_string()
}
