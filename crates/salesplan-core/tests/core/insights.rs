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

/// The sales of `product` in the months `from..=to`, summed by SQL on the file.
fn product_sales(path: &std::path::Path, product: uuid::Uuid, from: Month, to: Month) -> Decimal {
    summed(
        path,
        &format!(
            "SELECT amount FROM actual_sales WHERE product_id = '{product}' AND period BETWEEN '{from}' AND '{to}'"
        ),
    )
}

#[test]
fn a_product_whose_last_three_months_leave_its_trend_is_named_with_the_money_against_its_pace() {
    use salesplan_core::reference::Product;
    let mut demo = TestLedger::demo();
    let path = demo.path();
    let admin = demo.user("admin");
    let (_, last) = demo_months();
    // Last month has ended but is not closed: a big sale of one product there
    // breaks its trend upwards.
    let sale = demo.sale_by_sam("DRY-010", last, 20_000);
    let product = salesplan_core::reference::find::<Product>(&demo.ledger, &admin, "DRY-010")
        .unwrap()
        .id;
    salesplan_core::sales::post(&mut demo.ledger, &admin, vec![sale]).unwrap();
    let items = insights::list(&demo.ledger, &admin).unwrap().items;
    let breaks = of_kind(&items, InsightKind::TrendBreak);
    let named = breaks
        .iter()
        .find(|insight| {
            insight.link.level == Some(VarianceLevel::Product) && insight.link.key == Some(product)
        })
        .unwrap_or_else(|| panic!("DRY-010 broke its trend: {breaks:#?}"));
    let recent = product_sales(&path, product, last.plus(-2), last);
    let before = product_sales(&path, product, last.plus(-11), last.plus(-3));
    let recent_last_year = product_sales(&path, product, last.plus(-14), last.plus(-12));
    let before_last_year = product_sales(&path, product, last.plus(-23), last.plus(-15));
    let expected = recent_last_year * before / before_last_year;
    assert_eq!(named.impact, Some(recent - expected));
    assert!(
        named.sentence.starts_with("DRY-010")
            && named.sentence.contains("sped up")
            && named.sentence.contains(&format!(
                "made {} against {} a year before",
                euros(recent),
                euros(recent_last_year)
            ))
            && named.sentence.contains(&format!(
                "{} more than the {} that pace would have made",
                euros(recent - expected),
                euros(expected)
            )),
        "{}",
        named.sentence
    );
    // It is the biggest break among the products, and every break told moved
    // its growth by 15 points or more.
    let first_product = breaks
        .iter()
        .find(|insight| insight.link.level == Some(VarianceLevel::Product))
        .unwrap();
    assert_eq!(first_product.link.key, Some(product));
    assert!(breaks.len() <= 6, "two a level: {breaks:#?}");
}

#[test]
fn a_product_sold_outside_the_forecasts_interval_is_named_open_and_after_its_month_is_closed() {
    use salesplan_core::forecast::{self, ForecastQuery};
    use salesplan_core::reference::Product;
    let mut demo = TestLedger::demo();
    let path = demo.path();
    let admin = demo.user("admin");
    let (_, last) = demo_months();
    let product = salesplan_core::reference::find::<Product>(&demo.ledger, &admin, "DRY-010")
        .unwrap()
        .id;
    let sale = demo.sale_by_sam("DRY-010", last, 20_000);
    salesplan_core::sales::post(&mut demo.ledger, &admin, vec![sale]).unwrap();
    // The forecast screen's range for the month, at product level.
    let view = forecast::show(
        &demo.ledger,
        &admin,
        ForecastQuery {
            level: VarianceLevel::Product,
            within: None,
            history_months: Some(0),
        },
    )
    .unwrap();
    assert_eq!(view.open_month, last, "last month is still open");
    let row = view
        .rows
        .iter()
        .find(|row| row.key == Some(product))
        .unwrap();
    let (low, high, center) = (
        row.low[0].expect("an interval"),
        row.high[0].expect("an interval"),
        row.final_quantity[0],
    );
    let units = summed(
        &path,
        &format!(
            "SELECT quantity FROM actual_sales WHERE product_id = '{product}' AND period = '{last}'"
        ),
    );
    assert!(units > high);
    let said = format!(
        "sold {} units in {}, above the forecast's 80 % range of {}–{} (forecast {}): {} units over",
        units.normalize(),
        last.spelled(),
        low.normalize(),
        high.normalize(),
        center.normalize(),
        (units - high).normalize()
    );
    let told = |items: &[Insight]| -> Insight {
        of_kind(items, InsightKind::OutsideInterval)
            .into_iter()
            .find(|insight| insight.link.key == Some(product))
            .cloned()
            .unwrap_or_else(|| panic!("DRY-010 outside its interval: {items:#?}"))
    };
    let open = told(&insights::list(&demo.ledger, &admin).unwrap().items);
    assert!(open.sentence.contains(&said), "{}\n{said}", open.sentence);
    assert!(open.impact.unwrap() > Decimal::ZERO);
    assert_eq!(
        open.link.screen,
        salesplan_core::insights::InsightScreen::Forecast
    );

    // Closed, the month's forecast is the snapshot kept at the close, with
    // its interval: the same range, the same sentence.
    forecast::close_month(
        &mut demo.ledger,
        &admin,
        None,
        &salesplan_core::imports::Silent,
    )
    .unwrap();
    let closed = told(&insights::list(&demo.ledger, &admin).unwrap().items);
    assert_eq!(closed, open);
    // A salesman of another branch has no such insight: not his sales.
    let stefan = demo.user("stefan");
    let his = insights::list(&demo.ledger, &stefan).unwrap().items;
    assert!(
        of_kind(&his, InsightKind::OutsideInterval)
            .iter()
            .all(|insight| !insight.sentence.contains(&said)),
        "{his:#?}"
    );
}

#[test]
fn a_branch_that_sold_short_is_named_first_among_the_gaps_drivers_with_its_amount() {
    use salesplan_core::reference::Location;
    let mut demo = TestLedger::demo();
    let path = demo.path();
    let admin = demo.user("admin");
    let (_, last) = demo_months();
    // Sam's branch takes back €400,000 of one product in last month (ended,
    // not closed): North falls far short of its plan.
    let refund = demo.sale_by_sam("DRY-010", last, -40_000);
    salesplan_core::sales::post(&mut demo.ledger, &admin, vec![refund]).unwrap();
    let north = salesplan_core::reference::find::<Location>(&demo.ledger, &admin, "BR-N")
        .unwrap()
        .id;
    let items = insights::list(&demo.ledger, &admin).unwrap().items;
    let driver = of_kind(&items, InsightKind::VarianceDriver)
        .into_iter()
        .find(|insight| insight.link.level == Some(VarianceLevel::Branch))
        .unwrap_or_else(|| panic!("a branch drives the gap: {items:#?}"));
    assert_eq!(driver.link.key, Some(north), "{}", driver.sentence);
    // Its amount: North's planned sales to date against its approved lines, read by SQL.
    let this_year = Month::new(last.year(), 1).range(usize::from(last.number()));
    let planned = "SELECT salesman_id FROM budgets WHERE status IN ('approved', 'locked') AND scenario = 'Base'
                     AND owner_kind = 'salesman' AND fiscal_year = {year}";
    let planned = planned.replace("{year}", &last.year().to_string());
    let sold = summed(
        &path,
        &format!(
            "SELECT amount FROM actual_sales WHERE location_id = '{north}' AND period IN ({}) AND salesman_id IN ({planned})",
            months_sql(&this_year)
        ),
    );
    let budget = summed(
        &path,
        &format!(
            "SELECT l.amount FROM budget_lines l JOIN budgets b ON b.id = l.budget_id
             WHERE b.status IN ('approved', 'locked') AND b.scenario = 'Base' AND b.owner_kind = 'salesman'
               AND b.fiscal_year = {} AND b.location_id = '{north}' AND l.period IN ({})",
            last.year(),
            months_sql(&this_year)
        ),
    );
    assert_eq!(driver.impact, Some(sold - budget));
    assert!(
        driver.sentence.starts_with(&format!(
            "North Branch is −{} against plan in {} to date",
            euros(budget - sold),
            last.year()
        )),
        "{}",
        driver.sentence
    );
}
