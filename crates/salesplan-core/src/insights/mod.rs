//! Automatic insights: what a planner would look for first, each a sentence
//! with its numbers and a link to the screen that shows it, ranked by the
//! money at stake, within the reader's scope. Worked out on read from the
//! sales summary, the approved plan and the stock alerts, so they are always
//! those of the ledger as it stands (after an import, a sync or a close).
//!
//! The year compared is the fiscal year to date through the latest month with
//! sales that has ended (a running month is not compared with whole ones).

mod budget;
mod interval;
mod sales;
mod trend;

use crate::access::{Action, Actor, Scope};
use crate::budgets::variance::{self, VarianceLevel};
use crate::budgets::{fiscal_year_of, periods_of};
use crate::error::Result;
use crate::ledger::budgets::VarianceFact;
use crate::ledger::{self, Ledger};
use crate::month::Month;
use crate::stock::alerts::{self as stock_alerts, StockAlertKind};
use crate::timestamp::Day;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum InsightKind {
    /// A product, person or branch that rose or fell most against last year.
    MoverYear,
    /// A product that rose or fell most against the month before.
    MoverMonth,
    /// The budget gap split into volume, price and mix.
    PriceVolumeMix,
    /// A branch or person that explains much of the budget gap.
    VarianceDriver,
    /// How much of the sales the top fifth of customers or products make.
    Concentration,
    /// What is left of the year's budget against the pace of the last months.
    Pace,
    /// Items that will run out within their lead time.
    StockRisk,
    /// A product, person or branch whose last three months against last
    /// year run apart from the nine months before.
    TrendBreak,
    /// A product that sold outside the forecast's 80 % interval last month.
    OutsideInterval,
}

/// The screens an insight opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum InsightScreen {
    Variance,
    Overview,
    Alerts,
    Forecast,
}

/// The screen an insight opens, and the row to drill to there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InsightLink {
    pub screen: InsightScreen,
    pub level: Option<VarianceLevel>,
    pub key: Option<Uuid>,
}

impl InsightLink {
    fn variance(level: VarianceLevel, key: Option<Uuid>) -> InsightLink {
        InsightLink {
            screen: InsightScreen::Variance,
            level: Some(level),
            key,
        }
    }

    fn screen(screen: InsightScreen) -> InsightLink {
        InsightLink {
            screen,
            level: None,
            key: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Insight {
    pub kind: InsightKind,
    /// What was found, with its numbers.
    pub sentence: String,
    /// The money at stake, what the list is ranked by; none where it has no
    /// price (stock at risk) or is context rather than a gain or a loss
    /// (concentration): those come last.
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub impact: Option<Decimal>,
    pub link: InsightLink,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Insights {
    /// The last month compared (the latest ended month with sales); none without sales.
    pub through: Option<Month>,
    pub items: Vec<Insight>,
}

/// The actor's insights today.
pub fn list(ledger: &Ledger, actor: &Actor) -> Result<Insights> {
    list_on(ledger, actor, Day::today())
}

/// The actor's insights as they read on `today`.
pub fn list_on(ledger: &Ledger, actor: &Actor, today: Day) -> Result<Insights> {
    let mut items = Vec::new();
    let year = Year::through_last_month(ledger, actor, today)?;
    let through = year.as_ref().map(|year| year.through);
    if let Some(year) = year {
        items.extend(sales::movers(&year)?);
        items.extend(trend::breaks(&year)?);
        items.extend(sales::concentration(&year)?);
        if let Ok(scope) = actor.scope_for(Action::ViewForecasts) {
            items.extend(interval::outside(&year, scope)?);
        }
        if actor.scope_for(Action::ViewBudgets).is_ok() {
            items.extend(budget::insights(ledger, actor, &year)?);
        }
    }
    if actor.scope_for(Action::ViewStock).is_ok() {
        items.extend(stock_risk(ledger, actor)?);
    }
    items.sort_by(by_impact);
    Ok(Insights { through, items })
}

/// The larger money at stake first, either way; those without any last; ties by sentence.
fn by_impact(a: &Insight, b: &Insight) -> std::cmp::Ordering {
    b.impact
        .map(|impact| impact.abs())
        .cmp(&a.impact.map(|impact| impact.abs()))
        .then_with(|| a.sentence.cmp(&b.sentence))
}

/// The fiscal year to date and the same months of last year, as the sales
/// summary holds them in the reader's scope.
pub(crate) struct Year<'a> {
    ledger: &'a Ledger,
    actor: &'a Actor,
    scope: Scope,
    fiscal_year: i32,
    /// This year's months, up to and including `through`.
    months: Vec<Month>,
    last_year: Vec<Month>,
    through: Month,
    /// Every month from the start of last fiscal year through `through`, by
    /// seller (branch, salesman, category): products are read by span.
    facts: Vec<VarianceFact>,
    labels: HashMap<VarianceLevel, HashMap<Uuid, String>>,
    /// The company currency's sign.
    currency: String,
}

impl<'a> Year<'a> {
    /// The year through the latest month with sales in the actor's scope that
    /// has ended by `today`; none without sales.
    pub(crate) fn through_last_month(
        ledger: &'a Ledger,
        actor: &'a Actor,
        today: Day,
    ) -> Result<Option<Year<'a>>> {
        let scope = actor.scope_for(Action::ViewActuals)?;
        let last = today.month().plus(-1);
        match ledger::sales::latest_month(ledger.read(), scope, actor, last)? {
            Some(through) => Year::read(ledger, actor, scope, through).map(Some),
            None => Ok(None),
        }
    }

    /// The last month the year counts.
    pub(crate) fn through(&self) -> Month {
        self.through
    }

    /// This fiscal year's months through `through`, and the same months of last year.
    pub(crate) fn to_date(&self) -> (&[Month], &[Month]) {
        (&self.months, &self.last_year)
    }

    /// The sales of `months` in the scope, or in one row of it.
    pub(crate) fn sales_in(
        &self,
        months: &[Month],
        within: Option<(VarianceLevel, Uuid)>,
    ) -> Result<Decimal> {
        if let Some((VarianceLevel::Product, product)) = within {
            let spans: Vec<(Month, Month)> = months.iter().map(|month| (*month, *month)).collect();
            let sums = self.product_sums(&spans)?;
            return Ok(sums
                .get(&product)
                .map(|sums| sums.iter().sum())
                .unwrap_or_default());
        }
        Ok(self
            .facts
            .iter()
            .filter(|fact| months.contains(&fact.period))
            .filter(|fact| within.is_none_or(|(level, key)| level.key_of(fact) == Some(key)))
            .map(|fact| fact.amount)
            .sum())
    }

    /// Each product's sales in each of `spans` (month ranges, inclusive; a
    /// month counts in the first span that holds it), in the scope.
    pub(crate) fn product_sums(
        &self,
        spans: &[(Month, Month)],
    ) -> Result<HashMap<Uuid, Vec<Decimal>>> {
        let sums = ledger::reports::amounts_by_span(
            self.ledger.read(),
            self.scope,
            self.actor,
            ledger::reports::SaleColumn::Product,
            spans,
        )?;
        Ok(sums
            .into_iter()
            .filter_map(|(key, sums)| key.map(|key| (key, sums)))
            .collect())
    }

    /// The planned sales to date against the approved plan in %, in the
    /// scope or one row of it; none without a plan for it.
    pub(crate) fn variance_percent(
        &self,
        within: Option<(VarianceLevel, Uuid)>,
    ) -> Result<Option<Decimal>> {
        let Some(plan) = budget::PlanSums::read(self.ledger, self.actor, self)? else {
            return Ok(None);
        };
        let key = within.map_or((VarianceLevel::Company, None), |(level, key)| {
            (level, Some(key))
        });
        Ok(plan.by.get(&key).and_then(|sums| {
            (!sums.budget.is_zero()).then(|| {
                crate::money::round(
                    (sums.actual - sums.budget) / sums.budget * Decimal::from(100),
                    1,
                )
            })
        }))
    }

    /// An amount in the company's currency, as a sentence writes it.
    pub(crate) fn say_money(&self, amount: Decimal) -> String {
        self.money(amount, false)
    }

    fn read(
        ledger: &'a Ledger,
        actor: &'a Actor,
        scope: Scope,
        through: Month,
    ) -> Result<Year<'a>> {
        let conn = ledger.read();
        let fiscal_year = fiscal_year_of(conn, through)?;
        let periods = periods_of(conn, fiscal_year)?;
        let count = periods
            .iter()
            .position(|p| *p == through)
            .map_or(12, |at| at + 1);
        let last_year: Vec<Month> = periods_of(conn, fiscal_year - 1)?
            .into_iter()
            .take(count)
            .collect();
        let first = (*last_year.first().unwrap_or(&through)).min(through.plus(-12));
        let facts = ledger::budgets::actual_facts(
            conn,
            scope,
            actor,
            (first, through),
            ledger::budgets::Grain::Seller,
        )?;
        let mut labels = HashMap::new();
        for level in [
            VarianceLevel::Product,
            VarianceLevel::Salesman,
            VarianceLevel::Branch,
        ] {
            labels.insert(level, variance::labels(conn, level)?);
        }
        let currency = ledger::settings::get(conn)?
            .map(|settings| currency_sign(&settings.company.currency))
            .unwrap_or_default();
        Ok(Year {
            currency,
            ledger,
            actor,
            scope,
            fiscal_year,
            months: periods.into_iter().take(count).collect(),
            last_year,
            through,
            facts,
            labels,
        })
    }

    /// An amount in the company's currency, as a sentence writes it.
    fn money(&self, amount: Decimal, signed: bool) -> String {
        money(&self.currency, amount, signed)
    }

    fn label(&self, level: VarianceLevel, key: Uuid) -> String {
        self.labels
            .get(&level)
            .and_then(|labels| labels.get(&key))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// The levels whose rows differ within the scope: a salesman's sales are one person's.
    fn levels(&self) -> Vec<VarianceLevel> {
        match self.scope {
            Scope::Own => vec![VarianceLevel::Product],
            // A department's branches each have its own salesmen: ranking both says it twice.
            Scope::Location | Scope::Department => {
                vec![VarianceLevel::Product, VarianceLevel::Salesman]
            }
            Scope::All => vec![
                VarianceLevel::Product,
                VarianceLevel::Salesman,
                VarianceLevel::Branch,
            ],
        }
    }
}

/// A currency's sign where it has a common one, else its code and a space.
fn currency_sign(code: &str) -> String {
    match code {
        "EUR" => "€".into(),
        "USD" => "$".into(),
        "GBP" => "£".into(),
        "JPY" => "¥".into(),
        other => format!("{other} "),
    }
}

/// Money as people read it in a sentence: "€1,234" rounded to the unit, with
/// its sign when `signed`.
fn money(currency: &str, amount: Decimal, signed: bool) -> String {
    let rounded = crate::money::round(amount, 0);
    let digits = rounded.abs().to_string();
    let mut grouped = String::new();
    for (at, digit) in digits.chars().enumerate() {
        if at > 0 && (digits.len() - at).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = match (rounded.is_sign_negative() && !rounded.is_zero(), signed) {
        (true, _) => "−",
        (false, true) => "+",
        (false, false) => "",
    };
    format!("{sign}{currency}{grouped}")
}

/// A share in %, one decimal, signed when asked.
fn percent(part: Decimal, of: Decimal, signed: bool) -> Option<String> {
    (!of.is_zero()).then(|| {
        let value = crate::money::round(part / of * Decimal::from(100), 1);
        match (signed, value.is_sign_negative()) {
            (true, false) => format!("+{value} %"),
            (_, true) => format!("−{} %", value.abs()),
            (false, false) => format!("{value} %"),
        }
    })
}

/// Items that will run out within their lead time, in one sentence.
fn stock_risk(ledger: &Ledger, actor: &Actor) -> Result<Option<Insight>> {
    let running_out: Vec<String> = stock_alerts::alerts(ledger, actor)?
        .into_iter()
        .filter(|alert| alert.kind == StockAlertKind::StockOutWithinLeadTime)
        .map(|alert| format!("{} {}", alert.location_code, alert.sku))
        .collect();
    Ok((!running_out.is_empty()).then(|| Insight {
        kind: InsightKind::StockRisk,
        sentence: format!(
            "{} will run out within {} lead time: {}.",
            match running_out.len() {
                1 => "1 item".to_owned(),
                n => format!("{n} items"),
            },
            if running_out.len() == 1 {
                "its"
            } else {
                "their"
            },
            running_out.join(", ")
        ),
        impact: None,
        link: InsightLink::screen(InsightScreen::Alerts),
    }))
}

#[cfg(test)]
mod tests {
    use super::{money, percent};
    use rust_decimal::Decimal;

    #[test]
    fn money_and_shares_read_as_people_write_them() {
        assert_eq!(money("€", Decimal::new(123456789, 2), false), "€1,234,568");
        assert_eq!(money("€", Decimal::new(-9995, 1), true), "−€1,000");
        assert_eq!(money("NOK ", Decimal::from(999), true), "+NOK 999");
        assert_eq!(money("€", Decimal::ZERO, false), "€0");
        assert_eq!(
            percent(Decimal::from(1), Decimal::from(3), true).expect("a share"),
            "+33.3 %"
        );
        assert_eq!(
            percent(Decimal::from(-1), Decimal::from(8), true).expect("a share"),
            "−12.5 %"
        );
        assert_eq!(percent(Decimal::from(1), Decimal::ZERO, true), None);
    }
}
