//! The facts a report sums, cut by the dimensions it asks for: sales from the
//! summary (grouped in SQL by those dimensions only) and the approved plan,
//! each with the members of its row and column.

use super::{Member, Window};
use crate::access::{Action, Actor, Scope};
use crate::budgets::OwnerKind;
use crate::budgets::plan::{Plan, PlanOf};
use crate::error::{Error, Result};
use crate::ledger::forecast::SeriesFacts;
use crate::ledger::reports::{Place, SaleColumn, SaleCut};
use crate::ledger::{self, Reader};
use crate::month::Month;
use rust_decimal::Decimal;
use salesplan_domain::reports::{Dimension, Filter, Measure, ReportDefinition};
use std::collections::HashMap;
use uuid::Uuid;

/// What one fact adds to the cell it falls in.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Sums {
    pub amount: Decimal,
    pub quantity: Decimal,
    /// Sales an approved budget covers (what the variance counts).
    pub planned_amount: Decimal,
    pub budget: Decimal,
    pub budget_quantity: Decimal,
    /// Whether any planned line fell in it.
    pub planned: bool,
    /// Sales less cost, of the sales whose product's cost is known.
    pub margin: Decimal,
    pub costed: bool,
    /// The final forecast, in money and units; whether any forecast fell in it.
    pub forecast: Decimal,
    pub forecast_quantity: Decimal,
    pub forecasted: bool,
    /// Sales of closed months and the forecast of open ones.
    pub landing: Decimal,
    /// Units on hand today; their worth at cost, of the products whose cost is known.
    pub on_hand: Decimal,
    pub stocked: bool,
    pub stock_value: Decimal,
    pub stock_costed: bool,
    /// The forecast's monthly demand of the items on hand (their stock policies).
    pub demand: Decimal,
    /// Past forecasts' WAPE in %, worked out per cell (never added).
    pub wape: Option<Decimal>,
    /// Whether any fact fell in it.
    pub seen: bool,
}

impl Sums {
    pub(super) fn add(&mut self, other: &Sums) {
        self.amount += other.amount;
        self.quantity += other.quantity;
        self.planned_amount += other.planned_amount;
        self.budget += other.budget;
        self.budget_quantity += other.budget_quantity;
        self.planned |= other.planned;
        self.margin += other.margin;
        self.costed |= other.costed;
        self.forecast += other.forecast;
        self.forecast_quantity += other.forecast_quantity;
        self.forecasted |= other.forecasted;
        self.landing += other.landing;
        self.on_hand += other.on_hand;
        self.stocked |= other.stocked;
        self.stock_value += other.stock_value;
        self.stock_costed |= other.stock_costed;
        self.demand += other.demand;
        self.seen |= other.seen;
    }

    /// A measure's value; none where it has none (no plan, no known cost).
    pub(super) fn value(&self, measure: Measure) -> Option<Decimal> {
        match measure {
            Measure::SalesAmount => Some(self.amount),
            Measure::SalesQuantity => Some(self.quantity),
            Measure::Budget => self.planned.then_some(self.budget),
            Measure::BudgetQuantity => self.planned.then_some(self.budget_quantity),
            Measure::Variance => self.planned.then(|| self.planned_amount - self.budget),
            Measure::VariancePercent => (self.planned && !self.budget.is_zero()).then(|| {
                crate::money::round(
                    (self.planned_amount - self.budget) / self.budget * Decimal::ONE_HUNDRED,
                    1,
                )
            }),
            Measure::Margin => self.costed.then_some(self.margin),
            Measure::Forecast => self.forecasted.then_some(self.forecast),
            Measure::ForecastQuantity => self.forecasted.then_some(self.forecast_quantity),
            Measure::Landing => Some(self.landing),
            Measure::StockOnHand => self.stocked.then_some(self.on_hand),
            Measure::StockValue => self.stock_costed.then_some(self.stock_value),
            Measure::StockCover => (self.stocked && self.demand > Decimal::ZERO)
                .then(|| crate::money::round(self.on_hand / self.demand, 1)),
            Measure::ForecastWape => self.wape,
        }
    }
}

/// A fact: where it lies (every id the source knows) and what it adds.
pub(super) struct Fact {
    pub place: Place,
    pub sums: Sums,
}

impl Fact {
    fn id_of(&self, dimension: Dimension) -> Option<Uuid> {
        let place = &self.place;
        match dimension {
            Dimension::Product => place.product,
            Dimension::Category => place.category,
            Dimension::Branch => place.location,
            Dimension::Department => place.department,
            Dimension::Salesman => place.salesman,
            Dimension::Customer => place.customer,
            Dimension::Month | Dimension::Quarter | Dimension::FiscalYear => None,
        }
    }

    /// Its member of a dimension; `fiscal_start` is the month the fiscal year starts in.
    pub(super) fn member(&self, dimension: Dimension, fiscal_start: u8) -> Member {
        let fiscal = |month: Month| {
            let into = (i32::from(month.number()) - i32::from(fiscal_start)).rem_euclid(12);
            (month.plus(-into).year(), into / 3 + 1)
        };
        match dimension {
            Dimension::Month => Member::Time(self.place.period.to_string()),
            Dimension::Quarter => {
                let (year, quarter) = fiscal(self.place.period);
                Member::Time(format!("{year}-Q{quarter}"))
            }
            Dimension::FiscalYear => Member::Time(fiscal(self.place.period).0.to_string()),
            _ => self.id_of(dimension).map_or(Member::None, Member::Id),
        }
    }

    fn kept_by(&self, filters: &[(Dimension, &[Uuid])]) -> bool {
        filters.iter().all(|(dimension, members)| {
            self.id_of(*dimension)
                .is_some_and(|id| members.contains(&id))
        })
    }
}

pub(super) fn column_of(dimension: Dimension) -> Option<SaleColumn> {
    Some(match dimension {
        Dimension::Product => SaleColumn::Product,
        Dimension::Category => SaleColumn::Category,
        Dimension::Branch => SaleColumn::Location,
        Dimension::Department => SaleColumn::Department,
        Dimension::Salesman => SaleColumn::Salesman,
        Dimension::Customer => SaleColumn::Customer,
        Dimension::Month | Dimension::Quarter | Dimension::FiscalYear => return None,
    })
}

/// The filters as sale columns and their members.
pub(super) fn sale_filters(filters: &[Filter]) -> Vec<(SaleColumn, &[Uuid])> {
    filters
        .iter()
        .filter_map(|filter| Some((column_of(filter.dimension)?, filter.members.as_slice())))
        .collect()
}

/// The sales of the window's months: `shift` months later than they were
/// made (a year, for last year's figures set beside this year's), with
/// their margin and whether a plan covers them when asked.
pub(super) fn sales(
    conn: Reader<'_>,
    actor: &Actor,
    definition: &ReportDefinition,
    (first, last): (Month, Month),
    shift: i32,
    plans: Option<&HashMap<i32, Plan>>,
    fiscal_start: u8,
) -> Result<Vec<Fact>> {
    let scope = actor.scope_for(Action::ViewActuals)?;
    let cut: Vec<Dimension> = definition
        .rows
        .iter()
        .chain(&definition.columns)
        .copied()
        .collect();
    let margin = definition.measures.contains(&Measure::Margin);
    // Margin needs each product's cost; a plan, each salesman's coverage.
    let grouping: Vec<SaleColumn> = cut
        .iter()
        .filter_map(|dimension| column_of(*dimension))
        .chain(margin.then_some(SaleColumn::Product))
        .chain(plans.is_some().then_some(SaleColumn::Salesman))
        .collect();
    let costs = if margin {
        ledger::reports::known_costs(conn)?
    } else {
        HashMap::new()
    };
    let cuts = ledger::reports::sales_cut(
        conn,
        scope,
        actor,
        (first, last),
        &grouping,
        &sale_filters(&definition.filters),
    )?;
    Ok(cuts
        .into_iter()
        .map(|cut: SaleCut| {
            let place = Place {
                period: cut.place.period.plus(shift),
                ..cut.place
            };
            let cost = place.product.and_then(|product| costs.get(&product));
            let covered = plans.is_some_and(|plans| {
                plans
                    .get(&fiscal_year(place.period, fiscal_start))
                    .is_some_and(|plan| plan.covers(place.salesman, None, None))
            });
            Fact {
                place,
                sums: Sums {
                    amount: cut.amount,
                    quantity: cut.quantity,
                    planned_amount: if covered { cut.amount } else { Decimal::ZERO },
                    margin: cost.map_or(Decimal::ZERO, |cost| cut.amount - cut.quantity * cost),
                    costed: cost.is_some(),
                    seen: true,
                    ..Sums::default()
                },
            }
        })
        .collect())
}

/// The fiscal year a month lies in (named by the calendar year it starts in).
pub(super) fn fiscal_year(month: Month, fiscal_start: u8) -> i32 {
    if month.number() >= fiscal_start {
        month.year()
    } else {
        month.year() - 1
    }
}

/// The approved plans (salesmen's budgets, scenario Base) of the fiscal years
/// the window touches, in the reader's budget scope.
pub(super) fn plans(
    conn: Reader<'_>,
    actor: &Actor,
    window: &Window,
    fiscal_start: u8,
) -> Result<HashMap<i32, Plan>> {
    let scope = actor.scope_for(Action::ViewBudgets)?;
    let mut plans = HashMap::new();
    for year in fiscal_year(window.first, fiscal_start)..=fiscal_year(window.last, fiscal_start) {
        plans.insert(year, Plan::load(conn, scope, actor, plan_of(year))?);
    }
    Ok(plans)
}

fn plan_of(fiscal_year: i32) -> PlanOf<'static> {
    PlanOf {
        fiscal_year,
        scenario: "Base",
        basis: OwnerKind::Salesman,
    }
}

/// The approved budget lines of the window's months, kept to the filters.
pub(super) fn budget(
    conn: Reader<'_>,
    actor: &Actor,
    definition: &ReportDefinition,
    window: &Window,
    plans: &HashMap<i32, Plan>,
) -> Result<Vec<Fact>> {
    let scope: Scope = actor.scope_for(Action::ViewBudgets)?;
    let filters = filters_of(definition);
    let mut facts = Vec::new();
    let mut years: Vec<&i32> = plans.keys().collect();
    years.sort();
    for year in years {
        for line in ledger::budgets::budget_facts(conn, scope, actor, plan_of(*year))? {
            let fact = Fact {
                place: Place {
                    period: line.period,
                    product: line.product_id,
                    category: Some(line.category_id),
                    location: line.location_id,
                    department: line.department_id,
                    salesman: line.salesman_id,
                    customer: None,
                },
                sums: Sums {
                    budget: line.amount,
                    budget_quantity: line.quantity,
                    planned: true,
                    seen: true,
                    ..Sums::default()
                },
            };
            if (window.first..=window.last).contains(&fact.place.period) && fact.kept_by(&filters) {
                facts.push(fact);
            }
        }
    }
    Ok(facts)
}

/// The current forecast's final values of the window's months (the open
/// months it covers), at list price, in the reader's forecast scope, kept to
/// the filters; and the first open month (the months before it are closed).
pub(super) fn forecast(
    conn: Reader<'_>,
    actor: &Actor,
    definition: &ReportDefinition,
    window: &Window,
) -> Result<(Vec<Fact>, Month)> {
    let scope = actor.scope_for(Action::ViewForecasts)?;
    let current = crate::forecast::view::current(conn, scope, actor)?;
    let prices = crate::forecast::view::Prices::load(conn, &current.months)?;
    let filters = filters_of(definition);
    let mut facts = Vec::new();
    for (series, finals) in current.facts.iter().zip(&current.finals) {
        for (month, (quantity, _)) in current.months.iter().zip(finals) {
            let amount = *quantity * prices.of(series.product_id, *month);
            let fact = Fact {
                place: series_place(series, *month),
                sums: Sums {
                    forecast: amount,
                    forecast_quantity: *quantity,
                    forecasted: true,
                    landing: amount,
                    seen: true,
                    ..Sums::default()
                },
            };
            if (window.first..=window.last).contains(month) && fact.kept_by(&filters) {
                facts.push(fact);
            }
        }
    }
    Ok((facts, current.open))
}

/// Where a forecast series' month lies (a forecast names no customer).
fn series_place(series: &SeriesFacts, period: Month) -> Place {
    Place {
        period,
        product: Some(series.product_id),
        category: Some(series.category_id),
        location: Some(series.location_id),
        department: series.department_id,
        salesman: series.salesman_id,
        customer: None,
    }
}

/// Every snapshot's forecast of the window's closed months, in the reader's
/// forecast scope, kept to the filters: each its units and the month it was
/// made as of (what the forecast WAPE scores).
pub(super) fn snapshots(
    conn: Reader<'_>,
    actor: &Actor,
    definition: &ReportDefinition,
    window: &Window,
) -> Result<Vec<(Fact, Month)>> {
    let scope = actor.scope_for(Action::ViewForecasts)?;
    let Some(last_closed) = ledger::forecast::last_closed(conn)? else {
        return Ok(Vec::new());
    };
    let filters = filters_of(definition);
    Ok(
        ledger::forecast::snapshots(conn, scope, actor, window.last.min(last_closed))?
            .into_iter()
            .filter(|row| row.month >= window.first)
            .map(|row| {
                let fact = Fact {
                    place: series_place(&row.facts, row.month),
                    sums: Sums {
                        forecast_quantity: row.final_quantity,
                        ..Sums::default()
                    },
                };
                (fact, row.as_of)
            })
            .filter(|(fact, _)| fact.kept_by(&filters))
            .collect(),
    )
}

/// What is on hand today in the reader's stock scope, placed in `month`
/// (the current one), kept to the filters; its worth at known cost and each
/// item's monthly demand (`demand`, by location and product).
pub(super) fn stock(
    conn: Reader<'_>,
    actor: &Actor,
    definition: &ReportDefinition,
    month: Month,
    demand: &HashMap<(Uuid, Uuid), Decimal>,
) -> Result<Vec<Fact>> {
    let scope = actor.scope_for(Action::ViewStock)?;
    let costs = ledger::reports::known_costs(conn)?;
    let filters = filters_of(definition);
    Ok(ledger::stock::on_hand_by_category(conn, scope, actor)?
        .into_iter()
        .map(|level| {
            let cost = costs.get(&level.product_id);
            Fact {
                place: Place {
                    period: month,
                    product: Some(level.product_id),
                    category: Some(level.category_id),
                    location: Some(level.location_id),
                    department: None,
                    salesman: None,
                    customer: None,
                },
                sums: Sums {
                    on_hand: level.quantity,
                    stocked: true,
                    stock_value: cost.map_or(Decimal::ZERO, |cost| level.quantity * cost),
                    stock_costed: cost.is_some(),
                    demand: demand
                        .get(&(level.location_id, level.product_id))
                        .copied()
                        .unwrap_or_default(),
                    seen: true,
                    ..Sums::default()
                },
            }
        })
        .filter(|fact| fact.kept_by(&filters))
        .collect())
}

fn filters_of(definition: &ReportDefinition) -> Vec<(Dimension, &[Uuid])> {
    definition
        .filters
        .iter()
        .map(|filter| (filter.dimension, filter.members.as_slice()))
        .collect()
}

/// A filter may only name what the reader's scope reaches: their own
/// salesman, branch or department (a smaller scope never sees another's).
pub(super) fn check_filters(
    conn: Reader<'_>,
    actor: &Actor,
    filters: &[Filter],
    names: &super::Names,
) -> Result<()> {
    let scope = actor.scope_for(Action::ViewActuals)?;
    for filter in filters {
        for member in &filter.members {
            let Some(name) = names.name(filter.dimension, *member) else {
                return Err(Error::invalid(
                    "filters",
                    format!(
                        "no {} has the id {member}",
                        filter.dimension.label().to_lowercase()
                    ),
                ));
            };
            let inside = match (scope, filter.dimension) {
                (Scope::All, _) => true,
                (Scope::Own, Dimension::Salesman) => *member == actor.id,
                (Scope::Own, Dimension::Branch | Dimension::Department) => false,
                (Scope::Location, Dimension::Branch) => Some(*member) == actor.location_id,
                (Scope::Location, Dimension::Salesman) => ledger::users::get(conn, *member)?
                    .is_some_and(|row| row.user.profile.location_id == actor.location_id),
                (Scope::Department, Dimension::Department) => Some(*member) == actor.department_id,
                (Scope::Department, Dimension::Salesman) => ledger::users::get(conn, *member)?
                    .is_some_and(|row| row.user.profile.department_id == actor.department_id),
                _ => true,
            };
            if !inside {
                return Err(Error::invalid(
                    "filters",
                    format!(
                        "{} '{name}' lies outside what you may see ({})",
                        filter.dimension.label(),
                        match scope {
                            Scope::Own => "your own sales",
                            Scope::Location => "your branch",
                            Scope::Department => "your department",
                            Scope::All => "the company",
                        }
                    ),
                ));
            }
        }
    }
    Ok(())
}
