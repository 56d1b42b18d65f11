//! What a policy is worked out from, read from the ledger for every item at
//! once: the final forecast summed to product × location, the forecast's
//! measured one-month-ahead errors, the last two years' sales, the ABC class,
//! and who supplies the item on what terms.

use super::work::{Demand, Supply};
use crate::access::{Actor, Scope};
use crate::error::Result;
use crate::forecast;
use crate::ledger::{self, Reader};
use crate::model::policies::{DemandSource, SigmaSource};
use crate::model::settings::StockSettings;
use crate::month::Month;
use crate::reference::{Location, LocationKind, Product, Supplier};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use salesplan_forecast::stock_policy::is_intermittent;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Months of sales an item's history covers (intermittency, fallback demand).
const HISTORY_MONTHS: usize = 24;
/// One-month-ahead errors needed before σ is measured rather than modelled.
pub(crate) const MIN_MEASURED_ERRORS: usize = 6;
/// Lead time assumed for a product no supplier is primary for.
pub(crate) const ASSUMED_LEAD_DAYS: u16 = 30;
/// The 80 % prediction interval's half-width in σ (the forecast stores 80 % intervals).
const Z_80: f64 = 1.281_551_565_5;

/// An item to work out: a product at a location, with its demand and supply.
pub(crate) struct Item {
    pub location_id: Uuid,
    pub product_id: Uuid,
    pub demand: Demand,
    pub demand_source: DemandSource,
    pub supply: Supply,
    pub notes: Vec<String>,
}

/// Everything the policies are worked out from.
pub(crate) struct Inputs {
    pub first_month: Month,
    pub locations: HashMap<Uuid, Location>,
    pub products: HashMap<Uuid, Product>,
    pub abc: HashMap<Uuid, char>,
    pub items: Vec<Item>,
}

/// One item's forecast summed over its series.
#[derive(Default)]
struct Forecast {
    monthly: Vec<f64>,
    /// Σσ² of the series' first month, from their intervals.
    model_variance: Option<f64>,
}

fn f(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(0.0)
}

pub(crate) fn gather(conn: Reader<'_>, actor: &Actor, rules: &StockSettings) -> Result<Inputs> {
    let locations: HashMap<Uuid, Location> = ledger::reference::list::<Location>(conn, false)?
        .into_iter()
        .map(|row| (row.id, row.fields))
        .collect();
    let products: HashMap<Uuid, Product> = ledger::reference::list::<Product>(conn, false)?
        .into_iter()
        .map(|row| (row.id, row.fields))
        .collect();
    let current = forecast::current(conn, Scope::All, actor)?;
    // A policy plans from this month on: an open month that has already ended
    // (waiting to be closed) is history, not demand to come.
    let skip = usize::try_from(Month::current().since(current.open))
        .unwrap_or(0)
        .min(current.months.len().saturating_sub(1));
    let first_month = current.open.plus(skip as i32);
    let horizon = current.months.len() - skip;

    let mut forecasts: HashMap<(Uuid, Uuid), Forecast> = HashMap::new();
    for (at, facts) in current.facts.iter().enumerate() {
        let item = forecasts
            .entry((facts.location_id, facts.product_id))
            .or_insert_with(|| Forecast {
                monthly: vec![0.0; horizon],
                model_variance: None,
            });
        for (month, (value, _)) in current.finals[at].iter().skip(skip).enumerate() {
            item.monthly[month] += f(*value);
        }
        if let Some(Some((low, high))) = current.bounds[at].get(skip) {
            let sigma = (f(*high) - f(*low)) / (2.0 * Z_80);
            *item.model_variance.get_or_insert(0.0) += sigma * sigma;
        }
    }

    let history_start = first_month.plus(-(HISTORY_MONTHS as i32));
    let mut histories: HashMap<(Uuid, Uuid), Vec<f64>> = HashMap::new();
    for (facts, month, quantity) in ledger::forecast::monthly_quantities(
        conn,
        Scope::All,
        actor,
        (history_start, first_month.plus(-1)),
        ledger::forecast::Series::All,
    )? {
        let at = usize::try_from(month.since(history_start)).unwrap_or(0);
        histories
            .entry((facts.location_id, facts.product_id))
            .or_insert_with(|| vec![0.0; HISTORY_MONTHS])[at.min(HISTORY_MONTHS - 1)] +=
            f(quantity);
    }

    let errors = one_month_ahead_errors(conn, actor, history_start, &histories)?;
    let abc = abc_classes(conn, first_month, &products)?;
    let supplies = supplier_terms(conn)?;

    let warehouses: Vec<Uuid> = crate::reference::warehouses(conn)?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let rules_lead = f64::from(rules.branch_lead_time_days);

    let mut items = Vec::new();
    // The branches (and a warehouse's own sales, if any): their own demand.
    let mut pairs: Vec<(Uuid, Uuid)> = forecasts
        .keys()
        .chain(histories.keys())
        .copied()
        .filter(|(location, product)| {
            locations.contains_key(location) && products.contains_key(product)
        })
        .collect();
    pairs.sort();
    pairs.dedup();
    let mut branch_demand: BTreeMap<Uuid, (Vec<f64>, f64, Vec<f64>)> = BTreeMap::new();
    for (location_id, product_id) in pairs {
        let history = histories
            .get(&(location_id, product_id))
            .cloned()
            .unwrap_or_else(|| vec![0.0; HISTORY_MONTHS]);
        let mut notes = Vec::new();
        let (monthly, demand_source, model_variance) =
            match forecasts.get(&(location_id, product_id)) {
                Some(forecast) => (
                    forecast.monthly.clone(),
                    DemandSource::Forecast,
                    forecast.model_variance,
                ),
                None => {
                    notes.push(
                        "no forecast: demand is the mean of the last 12 months' sales".to_owned(),
                    );
                    let mean = last_year(&history).iter().sum::<f64>() / 12.0;
                    (vec![mean; horizon], DemandSource::History, None)
                }
            };
        let item_errors = errors
            .get(&(location_id, product_id))
            .map_or(&[][..], Vec::as_slice);
        let (sigma, sigma_source, sigma_points) = if item_errors.len() >= MIN_MEASURED_ERRORS {
            let mean_square =
                item_errors.iter().map(|e| e * e).sum::<f64>() / item_errors.len() as f64;
            (
                mean_square.sqrt(),
                SigmaSource::Measured,
                item_errors.len() as u32,
            )
        } else if let Some(variance) = model_variance {
            (variance.sqrt(), SigmaSource::Model, 0)
        } else {
            (
                standard_deviation(last_year(&history)),
                SigmaSource::History,
                0,
            )
        };
        let demand = Demand {
            monthly,
            sigma,
            sigma_source,
            sigma_points,
            intermittent: is_intermittent(&history),
        };
        let is_branch = locations
            .get(&location_id)
            .is_some_and(|location| location.kind == LocationKind::Branch);
        let supply = match (is_branch, warehouses.first()) {
            (true, Some(warehouse)) => {
                let entry = branch_demand
                    .entry(product_id)
                    .or_insert_with(|| (vec![0.0; horizon], 0.0, vec![0.0; HISTORY_MONTHS]));
                for (total, value) in entry.0.iter_mut().zip(&demand.monthly) {
                    *total += value;
                }
                entry.1 += sigma * sigma;
                for (total, value) in entry.2.iter_mut().zip(&history) {
                    *total += value;
                }
                let terms = supplies.get(&product_id);
                Supply {
                    supplied_by: format!("{} (warehouse)", locations[warehouse].code),
                    lead_days: rules_lead,
                    lead_sd_days: 0.0,
                    unit_cost: terms.and_then(|terms| terms.unit_cost),
                    order_cost: None,
                    min_order: 0.0,
                    pack: terms.map_or(1.0, |terms| terms.pack),
                }
            }
            _ => from_supplier(&supplies, product_id, &mut notes),
        };
        items.push(Item {
            location_id,
            product_id,
            demand,
            demand_source,
            supply,
            notes,
        });
    }

    // A warehouse plans for what its branches need (shared equally among warehouses).
    let share = 1.0 / warehouses.len().max(1) as f64;
    for warehouse in &warehouses {
        for (product_id, (monthly, variance, history)) in &branch_demand {
            let mut notes = Vec::new();
            let supply = from_supplier(&supplies, *product_id, &mut notes);
            let own = items
                .iter_mut()
                .find(|item| item.location_id == *warehouse && item.product_id == *product_id);
            let demand = Demand {
                monthly: monthly.iter().map(|q| q * share).collect(),
                sigma: variance.sqrt() * share,
                sigma_source: SigmaSource::Branches,
                sigma_points: 0,
                intermittent: is_intermittent(history),
            };
            match own {
                // The warehouse also sells: its own demand adds to its branches'.
                Some(item) => {
                    for (total, value) in item.demand.monthly.iter_mut().zip(&demand.monthly) {
                        *total += value;
                    }
                    item.demand.sigma = (item.demand.sigma.powi(2) + demand.sigma.powi(2)).sqrt();
                    item.demand.sigma_source = SigmaSource::Branches;
                    item.demand_source = DemandSource::Branches;
                }
                None => items.push(Item {
                    location_id: *warehouse,
                    product_id: *product_id,
                    demand,
                    demand_source: DemandSource::Branches,
                    supply,
                    notes,
                }),
            }
        }
    }
    Ok(Inputs {
        first_month,
        locations,
        products,
        abc,
        items,
    })
}

/// The last 12 months of a 24-month history.
fn last_year(history: &[f64]) -> &[f64] {
    &history[history.len().saturating_sub(12)..]
}

fn standard_deviation(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let squares = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>();
    (squares / (values.len() - 1) as f64).sqrt()
}

/// actual − forecast of each closed month within the history, as forecast when
/// it opened (the snapshot taken as of that month), per item.
fn one_month_ahead_errors(
    conn: Reader<'_>,
    actor: &Actor,
    history_start: Month,
    histories: &HashMap<(Uuid, Uuid), Vec<f64>>,
) -> Result<HashMap<(Uuid, Uuid), Vec<f64>>> {
    let Some(last_closed) = ledger::forecast::last_closed(conn)? else {
        return Ok(HashMap::new());
    };
    let mut forecasts: BTreeMap<(Uuid, Uuid, Month), f64> = BTreeMap::new();
    for row in ledger::forecast::snapshots(conn, Scope::All, actor, last_closed)? {
        if row.month == row.as_of && row.month >= history_start {
            *forecasts
                .entry((row.facts.location_id, row.facts.product_id, row.month))
                .or_default() += f(row.final_quantity);
        }
    }
    let mut errors: HashMap<(Uuid, Uuid), Vec<f64>> = HashMap::new();
    for ((location, product, month), forecast) in forecasts {
        let at = usize::try_from(month.since(history_start)).unwrap_or(0);
        let actual = histories
            .get(&(location, product))
            .and_then(|history| history.get(at))
            .copied()
            .unwrap_or(0.0);
        errors
            .entry((location, product))
            .or_default()
            .push(actual - forecast);
    }
    Ok(errors)
}

/// A: the products making the first 80 % of the last 12 months' sales value,
/// B: the next 15 %, C: the rest (and every product that sold nothing).
fn abc_classes(
    conn: Reader<'_>,
    first_month: Month,
    products: &HashMap<Uuid, Product>,
) -> Result<HashMap<Uuid, char>> {
    let values = ledger::policies::sales_values(conn, first_month.plus(-12), first_month.plus(-1))?;
    let mut ranked: Vec<(Uuid, f64)> = values
        .into_iter()
        .map(|(product, value)| (product, f(value)))
        .filter(|(_, value)| *value > 0.0)
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let total: f64 = ranked.iter().map(|(_, value)| value).sum();
    let mut classes: HashMap<Uuid, char> = products.keys().map(|id| (*id, 'C')).collect();
    let mut before = 0.0;
    for (product, value) in ranked {
        let share = before / total;
        classes.insert(
            product,
            if share < 0.80 {
                'A'
            } else if share < 0.95 {
                'B'
            } else {
                'C'
            },
        );
        before += value;
    }
    Ok(classes)
}

/// How the primary supplier sells a product.
struct Terms {
    supplied_by: String,
    lead_days: f64,
    lead_sd_days: f64,
    unit_cost: Option<f64>,
    order_cost: f64,
    min_order: f64,
    pack: f64,
}

fn supplier_terms(conn: Reader<'_>) -> Result<HashMap<Uuid, Terms>> {
    let suppliers: HashMap<Uuid, Supplier> = ledger::reference::list::<Supplier>(conn, false)?
        .into_iter()
        .map(|row| (row.id, row.fields))
        .collect();
    let mut terms = HashMap::new();
    for line in ledger::suppliers::lines(conn, None, None, false)? {
        let Some(supplier) = suppliers.get(&line.terms.supplier_id) else {
            continue;
        };
        if line.terms.is_primary {
            terms.insert(
                line.terms.product_id,
                Terms {
                    supplied_by: format!("{} {}", supplier.code, supplier.name),
                    lead_days: f64::from(line.lead_time_days),
                    lead_sd_days: f(supplier.lead_time_sd_days),
                    unit_cost: Some(f(line.terms.cost_price)),
                    order_cost: f(supplier.order_cost),
                    min_order: f(line.terms.min_order),
                    pack: f(line.terms.pack_size),
                },
            );
        }
    }
    Ok(terms)
}

fn from_supplier(
    supplies: &HashMap<Uuid, Terms>,
    product_id: Uuid,
    notes: &mut Vec<String>,
) -> Supply {
    match supplies.get(&product_id) {
        Some(terms) => Supply {
            supplied_by: terms.supplied_by.clone(),
            lead_days: terms.lead_days,
            lead_sd_days: terms.lead_sd_days,
            unit_cost: terms.unit_cost,
            order_cost: Some(terms.order_cost),
            min_order: terms.min_order,
            pack: terms.pack,
        },
        None => {
            notes.push(format!(
                "no primary supplier: a lead time of {ASSUMED_LEAD_DAYS} days is assumed"
            ));
            Supply {
                supplied_by: "no primary supplier".to_owned(),
                lead_days: f64::from(ASSUMED_LEAD_DAYS),
                lead_sd_days: 0.0,
                unit_cost: None,
                order_cost: None,
                min_order: 0.0,
                pack: 1.0,
            }
        }
    }
}
