//! The rolling forecast against the demo ledger: six months closed with their
//! snapshots, last month ended but open, a baseline for every series.

use crate::support::{TestLedger, count, open_month};
use rust_decimal::Decimal;
use salesplan_core::budgets::variance::{DrillStep, VarianceLevel};
use salesplan_core::forecast::{
    self, AccuracyQuery, ForecastQuery, ForecastView, NewOverride, OverrideKind, RunRequest,
};
use salesplan_core::imports::{self, ImportKind, ImportRequest, MemoryTable, ProblemKind, Silent};
use salesplan_core::month::Month;
use salesplan_core::reference::{self, Location, Product, ProductCategory};
use salesplan_core::sales::{self, NewSale};
use salesplan_core::{Actor, ErrorCode, users};
use std::str::FromStr;

fn show(
    demo: &TestLedger,
    actor: &Actor,
    level: VarianceLevel,
    within: Vec<DrillStep>,
) -> ForecastView {
    forecast::show(
        &demo.ledger,
        actor,
        ForecastQuery {
            level,
            within: Some(within),
            history_months: Some(12),
        },
    )
    .unwrap()
}

fn step(level: VarianceLevel, key: uuid::Uuid) -> DrillStep {
    DrillStep { level, key }
}

fn product(demo: &TestLedger, sku: &str) -> uuid::Uuid {
    reference::find::<Product>(&demo.ledger, &demo.user("admin"), sku)
        .unwrap()
        .id
}

fn branch(demo: &TestLedger, code: &str) -> uuid::Uuid {
    reference::find::<Location>(&demo.ledger, &demo.user("admin"), code)
        .unwrap()
        .id
}

fn override_of(
    target: Vec<DrillStep>,
    month: Month,
    kind: OverrideKind,
    value: i64,
) -> NewOverride {
    NewOverride {
        target,
        first_month: month.to_string(),
        last_month: None,
        kind,
        value: Decimal::from(value),
        reason: "Key account promotion agreed for this month".into(),
        expires_on: None,
    }
}

fn open() -> Month {
    Month::parse("open", &open_month()).unwrap().plus(-1)
}

#[test]
fn the_demo_has_six_closed_months_a_baseline_and_snapshots_with_no_nan() {
    let demo = TestLedger::demo();
    let admin = demo.user("admin");
    let view = show(&demo, &admin, VarianceLevel::Company, vec![]);
    assert_eq!(
        view.open_month,
        open(),
        "last month has ended but is not closed"
    );
    assert_eq!(view.last_closed, Some(open().plus(-1)));
    assert_eq!(view.months.len(), 12);
    assert_eq!(view.months[0], view.open_month);
    assert_eq!(view.history.len(), 12);
    let series = count(&demo.path(), "SELECT count(*) FROM forecast_series");
    assert_eq!(view.total.series as i64, series);
    assert!(series > 300, "{series} series");
    assert_eq!(
        count(
            &demo.path(),
            "SELECT count(*) FROM forecast_values WHERE quantity NOT GLOB '[0-9]*' OR CAST(quantity AS REAL) < 0"
        ),
        0,
        "every stored forecast is a number, none negative"
    );
    assert_eq!(
        count(
            &demo.path(),
            "SELECT count(DISTINCT as_of) FROM forecast_snapshots"
        ),
        6
    );
    // Seasonal demo data: seasonal methods and the intermittent ones both win somewhere.
    let methods: Vec<&str> = view
        .total
        .methods
        .iter()
        .map(|m| m.method.as_str())
        .collect();
    assert!(
        methods
            .iter()
            .any(|m| m.starts_with("holt_winters") || *m == "snaive"),
        "{methods:?}"
    );
    assert!(
        methods.iter().any(|m| *m == "croston" || *m == "tsb"),
        "{methods:?}"
    );
    // An interval where exponential smoothing won; none where only other methods did.
    assert!(view.total.low.iter().all(Option::is_some));
}

#[test]
fn every_level_adds_up_to_its_series() {
    let demo = TestLedger::demo();
    let admin = demo.user("admin");
    let company = show(&demo, &admin, VarianceLevel::Company, vec![]);
    for level in VarianceLevel::ALL {
        let view = show(&demo, &admin, level, vec![]);
        for m in 0..view.months.len() {
            let sum: Decimal = view.rows.iter().map(|row| row.final_quantity[m]).sum();
            // Each row is rounded to cents: the sum may differ by half a cent a row.
            let tolerance = Decimal::new(5, 3) * Decimal::from(view.rows.len());
            assert!(
                (sum - company.total.final_quantity[m]).abs() <= tolerance,
                "{level:?} month {m}"
            );
            let baseline: Decimal = view.rows.iter().map(|row| row.baseline[m]).sum();
            assert!(
                (baseline - company.total.baseline[m]).abs() <= tolerance,
                "{level:?}"
            );
        }
        for m in 0..view.history.len() {
            let sum: Decimal = view.rows.iter().map(|row| row.actual[m]).sum();
            assert_eq!(sum, company.total.actual[m], "{level:?} history month {m}");
        }
        assert_eq!(
            view.rows.iter().map(|row| row.series).sum::<usize>(),
            company.total.series
        );
    }
    // Drilling into North Branch: its products add up to North's row.
    let north = branch(&demo, "BR-N");
    let branches = show(&demo, &admin, VarianceLevel::Branch, vec![]);
    let north_row = branches
        .rows
        .iter()
        .find(|row| row.key == Some(north))
        .unwrap();
    let products = show(
        &demo,
        &admin,
        VarianceLevel::Product,
        vec![step(VarianceLevel::Branch, north)],
    );
    let sum: Decimal = products.rows.iter().map(|row| row.actual[11]).sum();
    assert_eq!(sum, north_row.actual[11]);
    assert_eq!(products.total.final_quantity, north_row.final_quantity);
}

#[test]
fn each_role_sees_the_series_of_its_scope() {
    let demo = TestLedger::demo();
    let path = demo.path();
    for (username, sql) in [
        (
            "sam",
            "SELECT count(*) FROM forecast_series f JOIN users u ON u.id = f.salesman_id WHERE u.username = 'sam'",
        ),
        (
            "bella",
            "SELECT count(*) FROM forecast_series f JOIN locations l ON l.id = f.location_id WHERE l.code = 'BR-N'",
        ),
        (
            "maria",
            "SELECT count(*) FROM forecast_series f JOIN departments d ON d.id = f.department_id WHERE d.code = 'RET'",
        ),
        ("sven", "SELECT count(*) FROM forecast_series"),
    ] {
        let view = show(&demo, &demo.user(username), VarianceLevel::Company, vec![]);
        assert_eq!(view.total.series as i64, count(&path, sql), "{username}");
    }
    assert!(!show(&demo, &demo.user("sven"), VarianceLevel::Company, vec![]).can_override);
}

#[test]
fn a_salesman_overrides_next_month_with_a_reason_and_it_survives_a_rerun() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let soap = product(&demo, "HOU-020");
    let next = open().plus(1);
    let mine = || vec![step(VarianceLevel::Salesman, sam.id)];
    let before = show(&demo, &sam, VarianceLevel::Product, mine());
    let row = |view: &ForecastView| {
        view.rows
            .iter()
            .find(|row| row.key == Some(soap))
            .cloned()
            .unwrap()
    };
    let baseline = row(&before).baseline[1];

    let no_reason = NewOverride {
        reason: "  ".into(),
        ..override_of(
            vec![step(VarianceLevel::Product, soap)],
            next,
            OverrideKind::Absolute,
            500,
        )
    };
    let error = forecast::add_override(&mut demo.ledger, &sam, no_reason).unwrap_err();
    assert_eq!(error.field(), Some("reason"));
    // Beyond the bounds head office checks: refused here too, with the rule.
    let huge = override_of(
        vec![step(VarianceLevel::Product, soap)],
        next,
        OverrideKind::Absolute,
        10_000_000_000_000,
    );
    let error = forecast::add_override(&mut demo.ledger, &sam, huge).unwrap_err();
    assert_eq!(
        error.to_string(),
        "value: must be at most 1000000000000 in size (got 10000000000000)"
    );
    let closed = override_of(
        vec![step(VarianceLevel::Product, soap)],
        open().plus(-1),
        OverrideKind::Absolute,
        5,
    );
    let error = forecast::add_override(&mut demo.ledger, &sam, closed).unwrap_err();
    assert!(error.to_string().contains("is closed"), "{error}");

    // The target names only the product: sam's own scope is added to it.
    let added = forecast::add_override(
        &mut demo.ledger,
        &sam,
        override_of(
            vec![step(VarianceLevel::Product, soap)],
            next,
            OverrideKind::Absolute,
            500,
        ),
    )
    .unwrap();
    assert!(
        added
            .target
            .contains(&step(VarianceLevel::Salesman, sam.id))
    );
    let after = show(&demo, &sam, VarianceLevel::Product, mine());
    assert_eq!(row(&after).final_quantity[1], Decimal::from(500));
    assert_eq!(row(&after).overridden[1], Some(Decimal::from(500)));
    assert_eq!(
        row(&after).baseline[1],
        baseline,
        "the baseline stays as computed"
    );
    assert_eq!(row(&after).overridden[0], None, "only the month overridden");

    // A colleague's series is out of sam's reach.
    let nina = users::find(&demo.ledger, &demo.user("admin"), "nina").unwrap();
    let theirs = override_of(
        vec![
            step(VarianceLevel::Salesman, nina.id),
            step(VarianceLevel::Product, soap),
        ],
        next,
        OverrideKind::Percent,
        10,
    );
    let error = forecast::add_override(&mut demo.ledger, &sam, theirs).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Forbidden, "{error}");

    // Re-running the baseline keeps the override.
    forecast::run(&mut demo.ledger, &sam, RunRequest::default(), &Silent).unwrap();
    assert_eq!(
        row(&show(&demo, &sam, VarianceLevel::Product, mine())).final_quantity[1],
        Decimal::from(500)
    );
    let listed = forecast::overrides(&demo.ledger, &sam).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].reason,
        "Key account promotion agreed for this month"
    );
    assert!(
        listed[0].target_label.contains("HOU-020"),
        "{}",
        listed[0].target_label
    );

    forecast::remove_override(&mut demo.ledger, &sam, added.id).unwrap();
    let removed = show(&demo, &sam, VarianceLevel::Product, mine());
    assert_eq!(row(&removed).final_quantity[1], row(&removed).baseline[1]);
    assert!(forecast::overrides(&demo.ledger, &sam).unwrap().is_empty());
}

#[test]
fn a_branch_override_is_shared_down_in_proportion_to_the_baseline() {
    let mut demo = TestLedger::demo();
    let bella = demo.user("bella");
    let north = branch(&demo, "BR-N");
    let beverages = reference::find::<ProductCategory>(&demo.ledger, &bella, "BEV")
        .unwrap()
        .id;
    let target = vec![step(VarianceLevel::Category, beverages)];
    let within = vec![
        step(VarianceLevel::Branch, north),
        step(VarianceLevel::Category, beverages),
    ];
    let before = show(&demo, &bella, VarianceLevel::Product, within.clone());
    let month = open().plus(2);
    forecast::add_override(
        &mut demo.ledger,
        &bella,
        override_of(target, month, OverrideKind::Absolute, 10_000),
    )
    .unwrap();
    let after = show(&demo, &bella, VarianceLevel::Product, within);
    let total: Decimal = after.rows.iter().map(|row| row.final_quantity[2]).sum();
    assert!(
        (total - Decimal::from(10_000)).abs() < Decimal::new(5, 2),
        "{total}"
    );
    let share = Decimal::from(10_000) / before.total.baseline[2];
    for (old, new) in before.rows.iter().zip(&after.rows) {
        let expected = old.baseline[2] * share;
        assert!(
            (new.final_quantity[2] - expected).abs() < Decimal::new(2, 2),
            "{}: {} vs {expected}",
            new.label,
            new.final_quantity[2]
        );
    }
    // Bella's branch only: another branch's forecast did not move.
    let south = branch(&demo, "BR-S");
    let admin = demo.user("admin");
    let branches = show(&demo, &admin, VarianceLevel::Branch, vec![]);
    let south_row = branches
        .rows
        .iter()
        .find(|row| row.key == Some(south))
        .unwrap();
    assert_eq!(south_row.overridden[2], None);
}

fn sale_in(demo: &TestLedger, period: &str) -> NewSale {
    let admin = demo.user("admin");
    let sam = users::find(&demo.ledger, &admin, "sam").unwrap();
    NewSale {
        period: period.into(),
        product_id: product(demo, "DRY-010"),
        location_id: sam.profile.location_id.unwrap(),
        salesman_id: Some(sam.id),
        customer_id: None,
        quantity: Decimal::from(2),
        unit_price: Decimal::new(149, 2),
    }
}

#[test]
fn closing_a_month_freezes_its_sales_snapshots_the_forecast_and_rolls_forward() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let closing = open();
    let late_sale = sale_in(&demo, &closing.to_string());
    // Before closing, the month still takes sales.
    sales::post(&mut demo.ledger, &admin, vec![late_sale.clone()]).unwrap();
    let error = forecast::close_month(
        &mut demo.ledger,
        &admin,
        Some(closing.plus(1).to_string()),
        &Silent,
    )
    .unwrap_err();
    assert!(error.to_string().contains("in order"), "{error}");

    // The preview says what will be frozen, and refuses what close would refuse.
    let preview = forecast::close_preview(&demo.ledger, &admin, None).unwrap();
    let sold = |column: &str| {
        count(
            &demo.path(),
            &format!(
                "SELECT CAST(round(sum(CAST({column} AS REAL))) AS INTEGER) FROM actual_sales WHERE period = '{closing}'"
            ),
        )
    };
    assert_eq!(
        (preview.month, preview.next_open_month),
        (closing, closing.plus(1))
    );
    assert_eq!(
        preview.sales as i64,
        count(
            &demo.path(),
            &format!("SELECT count(*) FROM actual_sales WHERE period = '{closing}'")
        )
    );
    assert_eq!(preview.units.round(), Decimal::from(sold("quantity")));
    assert_eq!(preview.amount.round(), Decimal::from(sold("amount")));
    assert!(
        forecast::close_preview(&demo.ledger, &admin, Some(closing.plus(1).to_string()))
            .unwrap_err()
            .to_string()
            .contains("in order")
    );

    let series = count(&demo.path(), "SELECT count(*) FROM forecast_series") as usize;
    let summary = forecast::close_month(&mut demo.ledger, &admin, None, &Silent).unwrap();
    assert_eq!(summary.closed_month, closing);
    assert_eq!(summary.snapshot_series, series);
    assert_eq!(summary.snapshot_values, series * 12);
    assert_eq!(summary.open_month, closing.plus(1));
    let run = summary.run.unwrap();
    assert_eq!(run.first_month, closing.plus(1), "the window rolled");
    assert_eq!(
        count(
            &demo.path(),
            &format!("SELECT count(*) FROM forecast_snapshots WHERE as_of = '{closing}'")
        ),
        (series * 12) as i64
    );

    // Frozen: no sale posted or imported into the closed month.
    let error = sales::post(&mut demo.ledger, &admin, vec![late_sale]).unwrap_err();
    assert!(
        error.to_string().contains(&format!("{closing} is closed")),
        "{error}"
    );
    let headers: Vec<String> = ["Date", "SKU", "Branch", "Quantity"]
        .map(String::from)
        .to_vec();
    let file = MemoryTable::new(
        "late.csv",
        vec![
            headers.clone(),
            vec![
                format!("{closing}-15"),
                "DRY-010".into(),
                "BR-N".into(),
                "4".into(),
            ],
        ],
    );
    let request = ImportRequest {
        kind: ImportKind::Actuals,
        mapping: imports::suggest(ImportKind::Actuals, &headers),
        decimal_separator: Default::default(),
        date_order: Default::default(),
        budget_id: None,
        force: false,
    };
    let report = imports::preview(&demo.ledger, &admin, &file, &request, &Silent).unwrap();
    assert_eq!(
        report.problems[0].kind,
        ProblemKind::ClosedPeriod,
        "{:?}",
        report.problems
    );
    assert!(report.problems[0].message.contains("is closed"));

    // The trigger is the backstop for any path that skips the services: a
    // copy of a sale from the open month, dated in the closed one, is refused.
    let conn = rusqlite::Connection::open(demo.path()).unwrap();
    salesplan_core::ledger::register_functions(&conn).unwrap();
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('actual_sales') WHERE name NOT IN ('id', 'period', 'sold_on', 'fingerprint')")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let columns = columns.join(", ");
    let error = conn
        .execute(
            &format!(
                "INSERT INTO actual_sales (id, period, sold_on, fingerprint, {columns})
                 SELECT lower(hex(randomblob(16))), ?1, ?2, NULL, {columns} FROM actual_sales LIMIT 1"
            ),
            [closing.to_string(), format!("{closing}-15")],
        )
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("the month of this sale is closed"),
        "{error}"
    );
    drop(conn);

    let bella = demo.user("bella");
    // The running month cannot close; nor can anyone but an administrator close one.
    let error = forecast::close_month(&mut demo.ledger, &admin, None, &Silent).unwrap_err();
    assert!(error.to_string().contains("has not ended"), "{error}");
    let error = forecast::close_month(&mut demo.ledger, &bella, None, &Silent).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Forbidden);
}

#[test]
fn accuracy_scores_each_snapshot_against_the_closed_months_actuals() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let closing = open();
    forecast::close_month(&mut demo.ledger, &admin, None, &Silent).unwrap();
    let report = forecast::accuracy(
        &demo.ledger,
        &admin,
        AccuracyQuery {
            level: VarianceLevel::Branch,
            within: None,
        },
    )
    .unwrap();
    assert_eq!(report.closed_months.len(), 7);
    assert_eq!(report.by_snapshot.len(), 7);
    // The newest snapshot scores one month: recompute its WAPE and bias from the ledger.
    let conn = rusqlite::Connection::open(demo.path()).unwrap();
    let sum = |sql: &str| -> f64 {
        let text: String = conn.query_row(sql, [], |row| row.get(0)).unwrap();
        f64::from_str(&text).unwrap()
    };
    let forecast = sum(&format!(
        "SELECT CAST(SUM(CAST(final AS REAL)) AS TEXT) FROM forecast_snapshots WHERE as_of = '{closing}' AND month = '{closing}'"
    ));
    let actual = sum(&format!(
        "SELECT CAST(SUM(CAST(quantity AS REAL)) AS TEXT) FROM actual_sales WHERE period = '{closing}'"
    ));
    let newest = report
        .by_snapshot
        .iter()
        .find(|row| row.label == format!("as of {closing}"))
        .unwrap();
    assert_eq!(newest.points, 1);
    let round1 = |value: f64| Decimal::from_str(&format!("{value:.1}")).unwrap();
    assert_eq!(
        newest.wape,
        Some(round1(100.0 * (actual - forecast).abs() / actual))
    );
    assert_eq!(
        newest.bias,
        Some(round1(100.0 * (forecast - actual) / actual))
    );
    // The oldest snapshot scores every closed month after it (7 months).
    assert_eq!(report.by_snapshot[0].points, 7);
    // Branch rows pool every snapshot's months; the seasonal demo is forecast within reason.
    assert_eq!(report.rows.len(), 5);
    for row in &report.rows {
        let wape = row.wape.unwrap();
        assert!(
            wape > Decimal::ZERO && wape < Decimal::from(40),
            "{}: {wape}",
            row.label
        );
        assert!(row.mase.is_some());
    }
    assert!(
        report
            .by_method
            .iter()
            .any(|row| row.label == "croston" || row.label == "tsb")
    );
    // Whichever summary a level's sales come from (by seller, by product),
    // the total is the same, and a branch's row is the report within it.
    let at = |level: VarianceLevel, within: Option<Vec<DrillStep>>| {
        forecast::accuracy(&demo.ledger, &admin, AccuracyQuery { level, within }).unwrap()
    };
    for level in [
        VarianceLevel::Company,
        VarianceLevel::Department,
        VarianceLevel::Salesman,
        VarianceLevel::Category,
        VarianceLevel::Product,
    ] {
        assert_eq!(at(level, None).total, report.total, "{level:?}");
    }
    let branch = &report.rows[0];
    let step = DrillStep {
        level: VarianceLevel::Branch,
        key: branch.key.unwrap(),
    };
    let within = at(VarianceLevel::Product, Some(vec![step])).total;
    assert_eq!(
        (
            within.points,
            within.actual,
            within.forecast,
            within.wape,
            within.mase
        ),
        (
            branch.points,
            branch.actual,
            branch.forecast,
            branch.wape,
            branch.mase
        ),
        "{}",
        branch.label
    );
}

#[test]
fn the_landing_estimate_is_actuals_so_far_plus_the_forecast_of_the_rest() {
    let demo = TestLedger::demo();
    let maria = demo.user("maria");
    let landing = forecast::landing(&demo.ledger, &maria, None).unwrap();
    assert_eq!(
        landing.landing,
        landing.actual_to_date + landing.forecast_rest
    );
    // Every salesman of Maria's department has an approved budget in the demo:
    // all her landing is planned, against the sum of those budgets.
    let budgeted: String = rusqlite::Connection::open(demo.path())
        .unwrap()
        .query_row(
            &format!(
                "SELECT CAST(SUM(CAST(l.amount AS REAL)) AS TEXT) FROM budget_lines l JOIN budgets b ON b.id = l.budget_id
                 JOIN users u ON u.id = b.salesman_id JOIN departments d ON d.id = u.department_id
                 WHERE d.code = 'RET' AND b.fiscal_year = {} AND b.scenario = 'Base' AND b.status = 'approved'",
                landing.fiscal_year
            ),
            [],
            |row| row.get(0),
        )
        .unwrap();
    let budget = landing.budget.expect("the demo's approved plan");
    assert!((budget - Decimal::from_str(&budgeted).unwrap()).abs() < Decimal::new(1, 2));
    assert_eq!((landing.plan.approved, landing.plan.not_approved), (5, 0));
    assert_eq!(landing.gap, Some(landing.landing - budget));
    assert_eq!(landing.unplanned, Decimal::ZERO);
    let closed = landing.months.iter().filter(|m| m.closed).count();
    let open = open();
    assert_eq!(
        closed as i32,
        i32::from(open.number()) - 1,
        "calendar fiscal year: months before the open one"
    );
    let retail_actuals: String = rusqlite::Connection::open(demo.path())
        .unwrap()
        .query_row(
            &format!(
                "SELECT coalesce(CAST(SUM(CAST(s.amount AS REAL)) AS TEXT), '0') FROM actual_sales s JOIN users u ON u.id = s.salesman_id
                 JOIN departments d ON d.id = u.department_id WHERE d.code = 'RET' AND s.period >= '{}-01' AND s.period < '{open}'",
                open.year()
            ),
            [],
            |row| row.get(0),
        )
        .unwrap();
    let expected = Decimal::from_str(&retail_actuals).unwrap();
    assert!(
        (landing.actual_to_date - expected).abs() < Decimal::new(1, 2),
        "{} vs {expected}",
        landing.actual_to_date
    );
    assert!(landing.forecast_rest > Decimal::ZERO);
}

#[test]
fn the_landing_gap_counts_only_what_an_approved_budget_covers() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let maria = demo.user("maria");
    let year = forecast::landing(&demo.ledger, &maria, None)
        .unwrap()
        .fiscal_year;
    // The demo's plans reopened: drafts, until sam's is approved again.
    let (_, budget) = demo.reopen_plans(year, &sam);
    let draft = forecast::landing(&demo.ledger, &maria, None).unwrap();
    assert_eq!(
        (draft.budget, draft.gap),
        (None, None),
        "a draft is no plan"
    );
    assert_eq!((draft.plan.approved, draft.plan.not_approved), (0, 5));

    demo.approve(budget.budget.id, &sam);
    let landing = forecast::landing(&demo.ledger, &maria, None).unwrap();
    assert_eq!(landing.budget, Some(budget.total_amount));
    let planned = landing.landing - landing.unplanned;
    assert!(
        landing.unplanned > Decimal::ZERO && planned > Decimal::ZERO,
        "sam's sales are planned, the other salesmen's are not: {planned} / {}",
        landing.unplanned
    );
    assert_eq!(landing.gap, Some(planned - budget.total_amount));
    let mine = forecast::landing(&demo.ledger, &sam, None).unwrap();
    assert_eq!(
        mine.unplanned,
        Decimal::ZERO,
        "sam's own landing is all planned"
    );
}

#[test]
fn a_run_checks_method_and_horizon_and_takes_any_of_them() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let error = forecast::run(
        &mut demo.ledger,
        &admin,
        RunRequest {
            method: None,
            horizon: Some(2),
        },
        &Silent,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "horizon: 2 months is outside 3–24 months"
    );
    let error = forecast::run(
        &mut demo.ledger,
        &admin,
        RunRequest {
            method: Some("arima".into()),
            horizon: None,
        },
        &Silent,
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("use one of auto, ets, zero, snaive"),
        "{error}"
    );
    let summary = forecast::run(
        &mut demo.ledger,
        &admin,
        RunRequest {
            method: Some("ets".into()),
            horizon: Some(24),
        },
        &Silent,
    )
    .unwrap();
    assert_eq!(summary.horizon, 24);
    for count in &summary.by_method {
        assert!(
            [
                "ses",
                "holt",
                "holt_damped",
                "holt_winters_additive",
                "holt_winters_multiplicative",
                "zero",
                "moving_average"
            ]
            .contains(&count.method.as_str()),
            "{count:?}"
        );
    }
    let view = show(&demo, &admin, VarianceLevel::Company, vec![]);
    assert_eq!(view.months.len(), 24);
    assert_eq!(view.run_method.as_deref(), Some("ets"));
    let snaive = forecast::run(
        &mut demo.ledger,
        &admin,
        RunRequest {
            method: Some("snaive".into()),
            horizon: Some(3),
        },
        &Silent,
    )
    .unwrap();
    assert!(
        snaive
            .by_method
            .iter()
            .any(|count| count.method == "snaive")
    );
}

/// Cancels at the first progress report.
struct CancelAtOnce(std::sync::atomic::AtomicUsize);

impl imports::Progress for CancelAtOnce {
    fn update(&self, done: usize, _total: usize) {
        self.0.fetch_max(done, std::sync::atomic::Ordering::Relaxed);
    }
    fn cancelled(&self) -> bool {
        true
    }
}

#[test]
fn a_cancelled_run_writes_nothing() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let runs = count(&demo.path(), "SELECT count(*) FROM forecast_runs");
    let outbox = demo.outbox_len();
    let progress = CancelAtOnce(std::sync::atomic::AtomicUsize::new(0));
    let error =
        forecast::run(&mut demo.ledger, &admin, RunRequest::default(), &progress).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Cancelled);
    assert_eq!(
        count(&demo.path(), "SELECT count(*) FROM forecast_runs"),
        runs
    );
    assert_eq!(demo.outbox_len(), outbox);
    let series = count(&demo.path(), "SELECT count(*) FROM forecast_series") as usize;
    let reported = progress.0.load(std::sync::atomic::Ordering::Relaxed);
    assert!(
        reported < series,
        "stopped after {reported} of {series} series"
    );
}
