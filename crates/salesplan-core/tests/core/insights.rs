//! Automatic insights: ranked by the money at stake, within the reader's
//! scope, each a sentence whose numbers are the ledger's own (read here
//! independently, by SQL), with a link to the screen that shows it.

use crate::support::{TestLedger, demo_months, summed};
use rust_decimal::Decimal;
use salesplan_core::budgets::variance::VarianceLevel;
use salesplan_core::insights::{self, Insight, InsightKind};
use salesplan_core::month::Month;

/// "€1,234" as the sentences write it.
fn euros(amount: Decimal) -> String {
    let digits = amount.round().abs().to_string();
    let mut grouped = String::new();
    for (at, digit) in digits.chars().enumerate() {
        if at > 0 && (digits.len() - at).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("€{grouped}")
}

fn months_sql(months: &[Month]) -> String {
    let quoted: Vec<String> = months.iter().map(|month| format!("'{month}'")).collect();
    quoted.join(", ")
}

fn of_kind(found: &[Insight], kind: InsightKind) -> Vec<&Insight> {
    found
        .iter()
        .filter(|insight| insight.kind == kind)
        .collect()
}

#[test]
fn the_administrators_insights_are_ranked_by_money_and_say_the_ledgers_numbers() {
    let demo = TestLedger::demo();
    let path = demo.path();
    let (_, last) = demo_months();
    let admin = demo.user("admin");
    let found = insights::list(&demo.ledger, &admin).unwrap();
    assert_eq!(found.through, Some(last), "the latest month that has ended");
    let items = found.items;
    for kind in [
        InsightKind::MoverYear,
        InsightKind::MoverMonth,
        InsightKind::PriceVolumeMix,
        InsightKind::VarianceDriver,
        InsightKind::Concentration,
        InsightKind::Pace,
        InsightKind::StockRisk,
    ] {
        assert!(!of_kind(&items, kind).is_empty(), "{kind:?} in {items:#?}");
    }
    // Ranked by the money at stake; concentration and stock, which have none, last.
    for insight in &items {
        let unpriced = matches!(
            insight.kind,
            InsightKind::Concentration | InsightKind::StockRisk
        );
        assert_eq!(insight.impact.is_none(), unpriced, "{}", insight.sentence);
    }
    let impacts: Vec<Option<Decimal>> = items
        .iter()
        .map(|insight| insight.impact.map(|i| i.abs()))
        .collect();
    let mut ranked = impacts.clone();
    ranked.sort_by(|a, b| b.cmp(a));
    assert_eq!(impacts, ranked);

    // The year's biggest product mover: its two sums are the sales of those months.
    let this_year = Month::new(last.year(), 1).range(usize::from(last.number()));
    let last_year: Vec<Month> = this_year.iter().map(|month| month.plus(-12)).collect();
    let mover = of_kind(&items, InsightKind::MoverYear)
        .into_iter()
        .find(|insight| insight.link.level == Some(VarianceLevel::Product))
        .unwrap();
    let product = mover.link.key.unwrap();
    let now = summed(
        &path,
        &format!(
            "SELECT amount FROM actual_sales WHERE product_id = '{product}' AND period IN ({})",
            months_sql(&this_year)
        ),
    );
    let before = summed(
        &path,
        &format!(
            "SELECT amount FROM actual_sales WHERE product_id = '{product}' AND period IN ({})",
            months_sql(&last_year)
        ),
    );
    assert_eq!(mover.impact, Some(now - before));
    assert!(
        mover
            .sentence
            .contains(&format!("{} against {}", euros(now), euros(before))),
        "{}",
        mover.sentence
    );

    // The plan's gap: the planned sales to date against the approved lines to date.
    let gap = of_kind(&items, InsightKind::PriceVolumeMix)[0];
    let budget = summed(
        &path,
        &format!(
            "SELECT l.amount FROM budget_lines l JOIN budgets b ON b.id = l.budget_id
             WHERE b.status IN ('approved', 'locked') AND b.scenario = 'Base' AND b.owner_kind = 'salesman'
               AND b.fiscal_year = {} AND l.period IN ({})",
            last.year(),
            months_sql(&this_year)
        ),
    );
    let sold = summed(
        &path,
        &format!(
            "SELECT s.amount FROM actual_sales s WHERE s.period IN ({}) AND s.salesman_id IN
               (SELECT salesman_id FROM budgets WHERE status IN ('approved', 'locked') AND scenario = 'Base'
                  AND owner_kind = 'salesman' AND fiscal_year = {})",
            months_sql(&this_year),
            last.year()
        ),
    );
    assert_eq!(gap.impact, Some(sold - budget));
    assert!(
        gap.sentence
            .contains(&format!("({} against {}", euros(sold), euros(budget))),
        "{}",
        gap.sentence
    );
    assert!(
        gap.sentence.contains("volume") && gap.sentence.contains("mix"),
        "{}",
        gap.sentence
    );
    // A driver goes the way of the gap and names its share of it.
    for driver in of_kind(&items, InsightKind::VarianceDriver) {
        let impact = driver.impact.unwrap();
        assert_eq!(
            impact.is_sign_negative(),
            (sold - budget).is_sign_negative(),
            "{}",
            driver.sentence
        );
        assert!(driver.link.key.is_some());
    }
    // Stock: the alerts' items running out.
    let risk = of_kind(&items, InsightKind::StockRisk)[0];
    assert_eq!(risk.impact, None);
    assert_eq!(
        risk.link.screen,
        salesplan_core::insights::InsightScreen::Alerts
    );
}

#[test]
fn a_salesman_reads_insights_of_his_own_sales_only() {
    let demo = TestLedger::demo();
    let sam = demo.user("sam");
    let items = insights::list(&demo.ledger, &sam).unwrap().items;
    assert!(!items.is_empty());
    for insight in &items {
        assert!(
            matches!(
                insight.link.level,
                None | Some(VarianceLevel::Product) | Some(VarianceLevel::Company)
            ),
            "a salesman's sales rank no people or branches: {}",
            insight.sentence
        );
        assert_ne!(insight.kind, InsightKind::StockRisk, "he may not see stock");
        assert_ne!(insight.kind, InsightKind::VarianceDriver);
    }
    assert!(
        !of_kind(&items, InsightKind::PriceVolumeMix).is_empty(),
        "his plan is approved"
    );
    // His year is his own: the mover's sales are his.
    let (_, last) = demo_months();
    let mover = of_kind(&items, InsightKind::MoverYear)[0];
    let product = mover.link.key.unwrap();
    let this_year = Month::new(last.year(), 1).range(usize::from(last.number()));
    let his = summed(
        &demo.path(),
        &format!(
            "SELECT amount FROM actual_sales WHERE product_id = '{product}' AND salesman_id = '{}' AND period IN ({})",
            sam.id,
            months_sql(&this_year)
        ),
    );
    assert!(
        mover.sentence.contains(&format!("{} against", euros(his))),
        "{}",
        mover.sentence
    );
}

#[test]
fn a_ledger_without_sales_has_no_insights() {
    use salesplan_core::settings::{self, CompanySettings};
    let dir = tempfile::tempdir().unwrap();
    let company = CompanySettings {
        company_name: "Fjord Foods AS".into(),
        currency: "NOK".into(),
        fiscal_year_start_month: 1,
        sales_issue_stock: true,
        stock: Default::default(),
    };
    let (mut ledger, _) =
        salesplan_core::ledger::Ledger::create_with(&dir.path().join("empty.db"), |ledger| {
            settings::initialise(ledger, company, "olivia", "a-long-password-1")
        })
        .unwrap();
    let admin = salesplan_core::users::sign_in(&ledger, "olivia", "a-long-password-1").unwrap();
    let found = insights::list(&ledger, &admin).unwrap();
    assert_eq!(found.through, None);
    assert!(found.items.is_empty());
    let home = salesplan_core::home::home(&mut ledger, &admin).unwrap();
    assert!(home.problems.is_empty(), "{:?}", home.problems);
    assert_eq!(home.sales, None);
    assert_eq!(home.insights, Some(vec![]));
}
