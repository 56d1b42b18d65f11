//! Insights against the approved plan: the year-to-date gap split into
//! volume, price and mix; the branches and people that explain it; and the
//! pace the rest of the year needs.
//!
//! The split, over the products of the planned sales (BQ, BP: budgeted units
//! and price; AQ, AP: actual): volume = (ΣAQ − ΣBQ) × the plan's average price,
//! mix = ΣAQ·BP − ΣAQ × the plan's average price, price = ΣAQ·(AP − BP). The
//! three add up to the gap exactly. A product sold without a budgeted
//! quantity counts at its own price: its units are volume, and its price
//! against the plan's average is mix.

use super::{Insight, InsightKind, InsightLink, Year, percent};
use crate::access::{Action, Actor};
use crate::budgets::OwnerKind;
use crate::budgets::plan::{Plan, PlanOf};
use crate::budgets::variance::VarianceLevel;
use crate::error::Result;
use crate::ledger::budgets::VarianceFact;
use crate::ledger::reports::SaleColumn;
use crate::ledger::{self, Ledger};
use rust_decimal::Decimal;
use std::collections::HashMap;
use uuid::Uuid;

/// What a product (or any row) adds up to: budgeted and planned actual units and money.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Sums {
    budget_quantity: Decimal,
    pub budget: Decimal,
    quantity: Decimal,
    pub actual: Decimal,
}

/// The approved plan of the year against the sales it covers, to date: by
/// product, salesman and branch, and for the whole scope.
pub(super) struct PlanSums {
    pub by: HashMap<(VarianceLevel, Option<Uuid>), Sums>,
    full_year: Decimal,
    plan: Plan,
}

impl PlanSums {
    /// None without an approved plan for the year.
    pub(super) fn read(
        ledger: &Ledger,
        actor: &Actor,
        year: &Year<'_>,
    ) -> Result<Option<PlanSums>> {
        let conn = ledger.read();
        let budget_scope = actor.scope_for(Action::ViewBudgets)?;
        let of = PlanOf {
            fiscal_year: year.fiscal_year,
            scenario: "Base",
            basis: OwnerKind::Salesman,
        };
        let plan = Plan::load(conn, budget_scope, actor, of)?;
        if !plan.exists() {
            return Ok(None);
        }
        let budgets = ledger::budgets::budget_facts(conn, budget_scope, actor, of)?;
        let mut by: HashMap<(VarianceLevel, Option<Uuid>), Sums> = HashMap::new();
        let mut add = |key: (VarianceLevel, Option<Uuid>), quantity, amount, budgeted: bool| {
            let sums = by.entry(key).or_default();
            if budgeted {
                sums.budget_quantity += quantity;
                sums.budget += amount;
            } else {
                sums.quantity += quantity;
                sums.actual += amount;
            }
        };
        let levels = |fact: &VarianceFact| {
            [VarianceLevel::Salesman, VarianceLevel::Branch]
                .into_iter()
                .map(|level| (level, level.key_of(fact)))
                .chain([(VarianceLevel::Company, None)])
                .collect::<Vec<_>>()
        };
        for fact in budgets
            .iter()
            .filter(|fact| year.months.contains(&fact.period))
        {
            let product = (VarianceLevel::Product, fact.product_id);
            for key in levels(fact).into_iter().chain([product]) {
                add(key, fact.quantity, fact.amount, true);
            }
        }
        // The year's facts are by seller; the planned sales by product are
        // read for the plan's owners alone.
        for fact in year.facts.iter().filter(|fact| {
            year.months.contains(&fact.period)
                && plan.covers(fact.salesman_id, fact.department_id, fact.location_id)
        }) {
            for key in levels(fact) {
                add(key, fact.quantity, fact.amount, false);
            }
        }
        let (basis, owners) = plan.owners();
        let owned_by = match basis {
            OwnerKind::Salesman => SaleColumn::Salesman,
            OwnerKind::Department => SaleColumn::Department,
            OwnerKind::Location => SaleColumn::Location,
        };
        let (first, last) = (year.months[0], year.through);
        let planned = ledger::reports::sales_cut(
            conn,
            year.scope,
            actor,
            (first, last),
            &[SaleColumn::Product],
            &[(owned_by, &owners)],
        )?;
        for cut in planned {
            add(
                (VarianceLevel::Product, cut.place.product),
                cut.quantity,
                cut.amount,
                false,
            );
        }
        Ok(Some(PlanSums {
            by,
            full_year: budgets.iter().map(|fact| fact.amount).sum(),
            plan,
        }))
    }
}

pub(super) fn insights(ledger: &Ledger, actor: &Actor, year: &Year<'_>) -> Result<Vec<Insight>> {
    let Some(PlanSums {
        by,
        full_year,
        plan,
    }) = PlanSums::read(ledger, actor, year)?
    else {
        return Ok(Vec::new());
    };
    let Some(total) = by.get(&(VarianceLevel::Company, None)).copied() else {
        return Ok(Vec::new());
    };
    let gap = total.actual - total.budget;
    let mut insights = Vec::new();
    let products: Vec<Sums> = by
        .iter()
        .filter(|((level, _), _)| *level == VarianceLevel::Product)
        .map(|(_, sums)| *sums)
        .collect();
    if let Some((volume, price, mix)) = split(&products) {
        insights.push(Insight {
            kind: InsightKind::PriceVolumeMix,
            sentence: format!(
                "In {} to date sales are {} {} the plan ({} against {}{}): volume {}, price {}, mix {}.",
                year.fiscal_year,
                year.money(gap.abs(), false),
                if gap < Decimal::ZERO { "below" } else { "above" },
                year.money(total.actual, false),
                year.money(total.budget, false),
                percent(gap, total.budget, true)
                    .map(|share| format!(", {share}"))
                    .unwrap_or_default(),
                year.money(volume, true),
                year.money(price, true),
                year.money(mix, true),
            ),
            impact: Some(gap),
            link: InsightLink::variance(VarianceLevel::Company, None),
        });
    }
    insights.extend(drivers(year, &by, gap));
    insights.extend(pace(year, total.actual, full_year, &plan));
    Ok(insights)
}

/// Volume, price and mix effects over the products; none without budgeted units.
fn split(products: &[Sums]) -> Option<(Decimal, Decimal, Decimal)> {
    let budget_quantity: Decimal = products.iter().map(|sums| sums.budget_quantity).sum();
    let budget: Decimal = products.iter().map(|sums| sums.budget).sum();
    if budget_quantity <= Decimal::ZERO {
        return None;
    }
    let average_price = budget / budget_quantity;
    let quantity: Decimal = products.iter().map(|sums| sums.quantity).sum();
    // ΣAQ·BP, with a product not budgeted by units at its own price.
    let at_budget_prices: Decimal = products
        .iter()
        .map(|sums| match sums.budget_quantity > Decimal::ZERO {
            true => sums.quantity * sums.budget / sums.budget_quantity,
            false => sums.actual,
        })
        .sum();
    let actual: Decimal = products.iter().map(|sums| sums.actual).sum();
    let volume = (quantity - budget_quantity) * average_price;
    let mix = at_budget_prices - quantity * average_price;
    let price = actual - at_budget_prices;
    Some((volume, price, mix))
}

/// The branches and people whose gap goes the way of the whole, biggest first.
fn drivers(
    year: &Year<'_>,
    by: &HashMap<(VarianceLevel, Option<Uuid>), Sums>,
    gap: Decimal,
) -> Vec<Insight> {
    if gap.is_zero() {
        return Vec::new();
    }
    let mut insights = Vec::new();
    let levels = year.levels();
    for level in [VarianceLevel::Branch, VarianceLevel::Salesman]
        .into_iter()
        .filter(|level| levels.contains(level))
    {
        let mut rows: Vec<(Uuid, Sums)> = by
            .iter()
            .filter_map(|((at, key), sums)| (*at == level).then_some((*key, *sums)))
            .filter_map(|(key, sums)| key.map(|key| (key, sums)))
            .filter(|(_, sums)| {
                let own = sums.actual - sums.budget;
                sums.budget > Decimal::ZERO
                    && own.is_sign_negative() == gap.is_sign_negative()
                    && !own.is_zero()
            })
            .collect();
        rows.sort_by(|a, b| {
            let (a_gap, b_gap) = (a.1.actual - a.1.budget, b.1.actual - b.1.budget);
            b_gap.abs().cmp(&a_gap.abs()).then_with(|| a.0.cmp(&b.0))
        });
        for (key, sums) in rows.into_iter().take(2) {
            let own = sums.actual - sums.budget;
            insights.push(Insight {
                kind: InsightKind::VarianceDriver,
                sentence: format!(
                    "{} is {} against plan in {} to date{}: {}.",
                    year.label(level, key),
                    year.money(own, true),
                    year.fiscal_year,
                    percent(own, sums.budget, true)
                        .map(|share| format!(" ({share})"))
                        .unwrap_or_default(),
                    match own.abs() > gap.abs() {
                        true => format!(
                            "more than the whole {} gap, which others made up in part",
                            year.money(gap, true)
                        ),
                        false => format!(
                            "{} of the {} gap",
                            percent(own, gap, false).unwrap_or_default(),
                            year.money(gap, true)
                        ),
                    },
                ),
                impact: Some(own),
                link: InsightLink::variance(level, Some(key)),
            });
        }
    }
    insights
}

/// What is left of the year's budget, against the last three months' pace.
fn pace(year: &Year<'_>, sold: Decimal, budget: Decimal, plan: &Plan) -> Option<Insight> {
    if budget <= Decimal::ZERO {
        return None;
    }
    let months_left = 12 - year.months.len();
    let recent: Vec<_> = year.through.plus(-2).range(3);
    let recent_sales: Decimal = year
        .facts
        .iter()
        .filter(|fact| recent.contains(&fact.period))
        .filter(|fact| plan.covers(fact.salesman_id, fact.department_id, fact.location_id))
        .map(|fact| fact.amount)
        .sum();
    let rate = recent_sales / Decimal::from(3);
    let left = budget - sold;
    let link = InsightLink::variance(VarianceLevel::Company, None);
    if left <= Decimal::ZERO {
        return Some(Insight {
            kind: InsightKind::Pace,
            sentence: format!(
                "The {} budget of {} is reached: {} sold through {}.",
                year.fiscal_year,
                year.money(budget, false),
                year.money(sold, false),
                year.through.spelled()
            ),
            impact: Some(-left),
            link,
        });
    }
    if months_left == 0 {
        return Some(Insight {
            kind: InsightKind::Pace,
            sentence: format!(
                "The {} budget of {} was missed by {}: {} sold.",
                year.fiscal_year,
                year.money(budget, false),
                year.money(left, false),
                year.money(sold, false)
            ),
            impact: Some(-left),
            link,
        });
    }
    if rate <= Decimal::ZERO {
        return None;
    }
    let needed = crate::money::round(left / rate, 1);
    let shortfall = left - rate * Decimal::from(months_left as u64);
    Some(Insight {
        kind: InsightKind::Pace,
        sentence: format!(
            "{} of the {} budget is left to sell in {} month{} ({} a month); at the last 3 months' pace ({} a month) that takes {needed} months.",
            year.money(left, false),
            year.fiscal_year,
            months_left,
            if months_left == 1 { "" } else { "s" },
            year.money(left / Decimal::from(months_left as u64), false),
            year.money(rate, false),
        ),
        impact: Some(-shortfall),
        link,
    })
}

#[cfg(test)]
mod tests {
    use super::{Sums, split};
    use rust_decimal::Decimal;

    #[test]
    fn volume_price_and_mix_add_up_to_the_gap() {
        let sums = |budget_quantity: i64, budget: i64, quantity: i64, actual: i64| Sums {
            budget_quantity: Decimal::from(budget_quantity),
            budget: Decimal::from(budget),
            quantity: Decimal::from(quantity),
            actual: Decimal::from(actual),
        };
        // A: 10 planned at 5, 12 sold at 6; B: 10 planned at 10, 5 sold at 10.
        // Plan 150 for 20 units (7.50 each); sold 122 for 17 units.
        let (volume, price, mix) =
            split(&[sums(10, 50, 12, 72), sums(10, 100, 5, 50)]).expect("a split");
        assert_eq!(volume, Decimal::new(-225, 1), "3 units fewer at 7.50");
        assert_eq!(price, Decimal::from(12), "A's 12 units at 1 more");
        assert_eq!(
            mix,
            Decimal::new(-175, 1),
            "more of the cheaper A: 110 − 17 × 7.50"
        );
        assert_eq!(volume + price + mix, Decimal::from(122 - 150));
        // A product sold without budgeted units counts at its own price: its
        // units are volume; at the plan's average price it adds no mix.
        let (volume, price, mix) =
            split(&[sums(10, 100, 10, 100), sums(0, 0, 3, 30)]).expect("a split");
        assert_eq!(
            (volume, price, mix),
            (Decimal::from(30), Decimal::ZERO, Decimal::ZERO)
        );
        assert_eq!(
            split(&[sums(0, 0, 3, 30)]),
            None,
            "no budgeted units: no split"
        );
    }
}
