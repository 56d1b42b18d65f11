//! Insights from the sales alone: the biggest movers against last year and
//! against the month before, and how concentrated the sales are.

use super::{Insight, InsightKind, InsightLink, InsightScreen, Year, percent};
use crate::budgets::variance::VarianceLevel;
use crate::error::Result;
use crate::ledger;
use crate::month::Month;
use crate::reference::Customer;
use rust_decimal::Decimal;
use std::collections::HashMap;
use uuid::Uuid;

/// How many movers of each level are told.
const MOVERS: [(VarianceLevel, usize); 3] = [
    (VarianceLevel::Product, 3),
    (VarianceLevel::Salesman, 2),
    (VarianceLevel::Branch, 2),
];

/// The products, people and branches whose year to date moved most against
/// the same months of last year, and the products whose latest month moved
/// most against the month before.
pub(super) fn movers(year: &Year<'_>) -> Result<Vec<Insight>> {
    let mut insights = Vec::new();
    let levels = year.levels();
    for (level, count) in MOVERS
        .into_iter()
        .filter(|(level, _)| levels.contains(level))
    {
        let changes = match level {
            VarianceLevel::Product => by_product(year, &year.months, &year.last_year)?,
            level => compare(year, level, &year.months, &year.last_year),
        };
        for (key, now, before) in biggest(changes, count) {
            let change = now - before;
            let sentence = format!(
                "{} sold {} {} in {} to date than in the same months of {}{}: {} against {}.",
                year.label(level, key),
                year.money(change.abs(), false),
                if change > Decimal::ZERO {
                    "more"
                } else {
                    "less"
                },
                year.fiscal_year,
                year.fiscal_year - 1,
                percent(change, before, true)
                    .map(|share| format!(" ({share})"))
                    .unwrap_or_default(),
                year.money(now, false),
                year.money(before, false),
            );
            insights.push(Insight {
                kind: InsightKind::MoverYear,
                sentence,
                impact: Some(change),
                link: InsightLink::variance(level, Some(key)),
            });
        }
    }
    let before = year.through.plus(-1);
    let changes = by_product(year, &[year.through], &[before])?;
    for (key, now, then) in biggest(changes, 3) {
        let change = now - then;
        insights.push(Insight {
            kind: InsightKind::MoverMonth,
            sentence: format!(
                "{} sold {} in {} against {} in {}{}.",
                year.label(VarianceLevel::Product, key),
                year.money(now, false),
                year.through.spelled(),
                year.money(then, false),
                before.spelled(),
                percent(change, then, true)
                    .map(|share| format!(" ({share})"))
                    .unwrap_or_default(),
            ),
            impact: Some(change),
            link: InsightLink::variance(VarianceLevel::Product, Some(key)),
        });
    }
    Ok(insights)
}

/// Each product's sales over `now` and over `before` (each a run of months).
fn by_product(
    year: &Year<'_>,
    now: &[Month],
    before: &[Month],
) -> Result<HashMap<Uuid, (Decimal, Decimal)>> {
    let span = |months: &[Month]| (months[0], months[months.len() - 1]);
    if now.is_empty() || before.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(year
        .product_sums(&[span(now), span(before)])?
        .into_iter()
        .map(|(key, sums)| (key, (sums[0], sums[1])))
        .collect())
}

/// Each key's sales over `now` and over `before`, from the year's facts by seller.
fn compare(
    year: &Year<'_>,
    level: VarianceLevel,
    now: &[Month],
    before: &[Month],
) -> HashMap<Uuid, (Decimal, Decimal)> {
    let mut totals: HashMap<Uuid, (Decimal, Decimal)> = HashMap::new();
    for fact in &year.facts {
        let Some(key) = level.key_of(fact) else {
            continue;
        };
        if now.contains(&fact.period) {
            totals.entry(key).or_default().0 += fact.amount;
        } else if before.contains(&fact.period) {
            totals.entry(key).or_default().1 += fact.amount;
        }
    }
    totals
}

/// The `count` keys that moved most, either way, biggest first (none that did not move).
fn biggest(
    totals: HashMap<Uuid, (Decimal, Decimal)>,
    count: usize,
) -> Vec<(Uuid, Decimal, Decimal)> {
    let mut moved: Vec<(Uuid, Decimal, Decimal)> = totals
        .into_iter()
        .filter(|(_, (now, before))| now != before)
        .map(|(key, (now, before))| (key, now, before))
        .collect();
    moved.sort_by(|a, b| {
        (b.1 - b.2)
            .abs()
            .cmp(&(a.1 - a.2).abs())
            .then_with(|| a.0.cmp(&b.0))
    });
    moved.truncate(count);
    moved
}

/// The top fifth of the customers (and of the products): their share of the last twelve months' sales.
pub(super) fn concentration(year: &Year<'_>) -> Result<Vec<Insight>> {
    let first = year.through.plus(-11);
    let conn = year.ledger.read();
    let named: HashMap<Uuid, String> = ledger::reference::list::<Customer>(conn, true)?
        .into_iter()
        .map(|row| (row.id, row.fields.name))
        .collect();
    let customers: Vec<(String, Decimal)> = ledger::reports::amounts_by_span(
        conn,
        year.scope,
        year.actor,
        ledger::reports::SaleColumn::Customer,
        &[(first, year.through)],
    )?
    .into_iter()
    .filter_map(|(customer, amounts)| {
        customer.map(|id| {
            (
                named.get(&id).cloned().unwrap_or_else(|| id.to_string()),
                amounts[0],
            )
        })
    })
    .collect();
    let products: Vec<(String, Decimal)> = year
        .product_sums(&[(first, year.through)])?
        .into_iter()
        .map(|(key, amounts)| (year.label(VarianceLevel::Product, key), amounts[0]))
        .collect();
    Ok([
        (
            "customers",
            "bought",
            customers,
            InsightLink::screen(InsightScreen::Overview),
        ),
        (
            "products",
            "made",
            products,
            InsightLink::variance(VarianceLevel::Product, None),
        ),
    ]
    .into_iter()
    .filter_map(|(noun, verb, totals, link)| top_fifth(year, noun, verb, totals, link))
    .collect())
}

/// "The top 20 % of customers (12 of 60) bought 64.3 % …", from five of them on.
fn top_fifth(
    year: &Year<'_>,
    noun: &str,
    verb: &str,
    mut totals: Vec<(String, Decimal)>,
    link: InsightLink,
) -> Option<Insight> {
    totals.retain(|(_, amount)| *amount > Decimal::ZERO);
    if totals.len() < 5 {
        return None;
    }
    totals.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let whole: Decimal = totals.iter().map(|(_, amount)| amount).sum();
    let top = totals.len().div_ceil(5);
    let share: Decimal = totals.iter().take(top).map(|(_, amount)| amount).sum();
    let (largest, most) = &totals[0];
    Some(Insight {
        kind: InsightKind::Concentration,
        sentence: format!(
            "The top 20 % of {noun} ({top} of {}) {verb} {} of the last 12 months' sales ({} of {}); the largest, {largest}, {}.",
            totals.len(),
            percent(share, whole, false).unwrap_or_default(),
            year.money(share, false),
            year.money(whole, false),
            percent(*most, whole, false).unwrap_or_default(),
        ),
        impact: None,
        link,
    })
}
