//! BI on a ledger of the size issue #16 names: 10,000 products, 50 branches,
//! 200 salesmen, 2,000 customers and 5 million sales over three years, each
//! sale of a random product, salesman and customer (so the sales summary
//! holds nearly one cell per sale: the worst case for it, unlike the demo
//! copied over and over). On it: a typical report (one measure, two
//! dimensions, a year, a comparison) and others, the home screen of each
//! role, and the whole company's insights. Figures go to docs/BENCHMARKS.md.
#![allow(clippy::unwrap_used)]

mod common;

use common::measure;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::params;
use salesplan_core::demo::DEMO_PASSWORD;
use salesplan_core::reports::{
    self, Comparison, Dimension as D, Measure as M, Period, ReportDefinition, RowOrder,
};
use salesplan_core::timestamp::Day;
use salesplan_core::{forecast, home, insights, users};
use std::time::Instant;
use uuid::Uuid;

struct Size {
    products: usize,
    branches: usize,
    salesmen: usize,
    customers: usize,
    sales: usize,
}

fn main() {
    let smoke = !std::env::args().any(|arg| arg == "--bench");
    let size = if smoke {
        println!("smoke run: small sizes, to check the code path (full size: cargo bench)");
        Size {
            products: 200,
            branches: 6,
            salesmen: 20,
            customers: 50,
            sales: 20_000,
        }
    } else {
        Size {
            products: 10_000,
            branches: 50,
            salesmen: 200,
            customers: 2_000,
            sales: 5_000_000,
        }
    };
    // SALESPLAN_BI_LEDGER=FILE keeps the filled ledger there and reuses it on
    // the next run (the fill takes minutes; opening it migrates it).
    let dir = tempfile::tempdir().unwrap();
    let path = std::env::var_os("SALESPLAN_BI_LEDGER")
        .filter(|_| !smoke)
        .map_or_else(|| dir.path().join("bi.db"), std::path::PathBuf::from);
    let last = if path.exists() {
        println!("reusing the ledger filled before: {}", path.display());
        let conn = rusqlite::Connection::open(&path).unwrap();
        let last: String = conn
            .query_row("SELECT max(period) FROM actual_sales", [], |row| row.get(0))
            .unwrap();
        salesplan_core::month::Month::parse("last", &last).unwrap()
    } else {
        let (ledger, summary) = salesplan_core::demo::create(&path).unwrap();
        drop(ledger);
        let start = Instant::now();
        let (first, last) = (summary.first_period, summary.last_period);
        let cells = fill(&path, &size, (first, last));
        println!(
            "{} sales written in {:.1} s; the finest summary holds {cells} cells",
            size.sales,
            start.elapsed().as_secs_f64()
        );
        last
    };
    let mut ledger = salesplan_core::Ledger::open(&path).unwrap();
    let admin = users::sign_in(&ledger, "admin", DEMO_PASSWORD).unwrap();
    let maria = users::sign_in(&ledger, "maria", DEMO_PASSWORD).unwrap();
    let sam = users::sign_in(&ledger, "sam", DEMO_PASSWORD).unwrap();
    let year = last.year();
    let report = |measures: &[M], rows: &[D], columns: &[D], comparison, top| ReportDefinition {
        measures: measures.to_vec(),
        rows: rows.to_vec(),
        columns: columns.to_vec(),
        filters: Vec::new(),
        period: Period::FiscalYear { year: Some(year) },
        comparison,
        visual: reports::Visual::Table,
        chart: reports::ChartSettings {
            order: RowOrder::Largest,
            top,
            labels: false,
        },
    };
    let typical = report(
        &[M::SalesAmount],
        &[D::Branch],
        &[D::Month],
        Comparison::LastYear,
        None,
    );
    for (name, actor, definition) in [
        (
            "report, sales by branch × month vs last year, company",
            &admin,
            &typical,
        ),
        (
            "report, the same, manager (her department)",
            &maria,
            &typical,
        ),
        ("report, the same, salesman (his own)", &sam, &typical),
        (
            "report, sales by category × quarter vs budget, company",
            &admin,
            &report(
                &[M::SalesAmount],
                &[D::Category],
                &[D::Quarter],
                Comparison::Budget,
                None,
            ),
        ),
        (
            "report, top 20 products × month, company",
            &admin,
            &report(
                &[M::SalesAmount],
                &[D::Product],
                &[D::Month],
                Comparison::None,
                Some(20),
            ),
        ),
        (
            "report, landing and forecast by branch × month, company",
            &admin,
            &report(
                &[M::Landing, M::Forecast],
                &[D::Branch],
                &[D::Month],
                Comparison::None,
                None,
            ),
        ),
        (
            "report, forecast WAPE and units by branch × month, company",
            &admin,
            &ReportDefinition {
                period: Period::LastMonths { months: 12 },
                ..report(
                    &[M::ForecastWape, M::SalesQuantity],
                    &[D::Branch],
                    &[D::Month],
                    Comparison::None,
                    None,
                )
            },
        ),
        (
            "report, stock on hand, value and cover by category, company",
            &admin,
            &report(
                &[M::StockOnHand, M::StockValue, M::StockCover],
                &[D::Category],
                &[],
                Comparison::None,
                None,
            ),
        ),
        (
            "report, top 20 customers by sales and units vs last year",
            &admin,
            &report(
                &[M::SalesAmount, M::SalesQuantity],
                &[D::Customer],
                &[],
                Comparison::LastYear,
                Some(20),
            ),
        ),
    ] {
        let shown = reports::run(&ledger, actor, definition).unwrap();
        assert!(!shown.rows.is_empty(), "{name}");
        measure(name, 5, || {
            reports::run(&ledger, actor, definition).unwrap();
        });
    }
    for (who, actor) in [
        ("administrator", &admin),
        ("manager", &maria),
        ("salesman", &sam),
    ] {
        // What the app opens on: the digest kept (movers, accuracy,
        // insights) and the rest worked out; then the digest worked out
        // again, as after an import, a sync or any other change.
        let shown = home::home(&mut ledger, actor).unwrap();
        assert!(shown.problems.is_empty(), "{:?}", shown.problems);
        assert!(shown.digest.is_some_and(|digest| digest.current));
        let widgets = shown.layout.len();
        measure(
            &format!("home screen, {who}, {widgets} widgets, digest kept"),
            5,
            || {
                home::home(&mut ledger, actor).unwrap();
            },
        );
        measure(
            &format!("home screen, {who}, {widgets} widgets, digest worked out again"),
            2,
            || {
                home::home_on(&mut ledger, actor, Day::today(), home::Refresh::Now).unwrap();
            },
        );
    }
    // The home screen's widgets one by one, as the administrator (the
    // sales, trend and movers are one read; the insights are measured below).
    let accuracy = || forecast::AccuracyQuery {
        level: salesplan_core::budgets::variance::VarianceLevel::Company,
        within: None,
    };
    measure("home widget, landing estimate, administrator", 2, || {
        forecast::landing(&ledger, &admin, None).unwrap();
    });
    measure("home widget, forecast accuracy, administrator", 2, || {
        forecast::accuracy(&ledger, &admin, accuracy()).unwrap();
    });
    measure("home widget, approvals, administrator", 2, || {
        salesplan_core::budgets::inbox(&ledger, &admin).unwrap();
    });
    measure("home widget, stock alerts, administrator", 2, || {
        salesplan_core::stock::alerts::alerts(&ledger, &admin).unwrap();
    });
    measure("home widget, forecast accuracy, salesman", 2, || {
        forecast::accuracy(&ledger, &sam, accuracy()).unwrap();
    });
    measure("home widget, landing estimate, salesman", 2, || {
        forecast::landing(&ledger, &sam, None).unwrap();
    });
    measure("insights, salesman (his own)", 2, || {
        insights::list(&ledger, &sam).unwrap();
    });
    // Alert rules: one of each measure for the manager (added once to the
    // kept ledger), checked together as after an import.
    if salesplan_core::alert_rules::list(&ledger, &maria)
        .unwrap()
        .is_empty()
    {
        use salesplan_core::alert_rules::{Notify, RuleCondition, RuleDefinition, RuleMeasure};
        for (name, measure) in [
            ("sales of last month", RuleMeasure::SalesMonth),
            ("sales year to date", RuleMeasure::SalesYearToDate),
            ("against last year", RuleMeasure::ChangeVsLastYear),
            ("against last month", RuleMeasure::ChangeVsLastMonth),
            ("against the budget", RuleMeasure::VarianceVsBudget),
        ] {
            let rule = RuleDefinition {
                name: name.into(),
                measure,
                within: None,
                condition: RuleCondition::Below,
                threshold: rust_decimal::Decimal::ZERO,
                stock_kind: None,
                notify: Notify::Every,
            };
            salesplan_core::alert_rules::add(&mut ledger, &maria, rule).unwrap();
        }
    }
    measure("alert rules, manager, 5 rules checked", 2, || {
        salesplan_core::alert_rules::check(&mut ledger, &maria).unwrap();
    });
    let found = insights::list(&ledger, &admin).unwrap();
    assert!(!found.items.is_empty());
    measure("insights, the whole company", 2, || {
        insights::list(&ledger, &admin).unwrap();
    });
}

/// Products, branches, salesmen and customers added to the demo company, and
/// the sales, written as rows in one transaction (the summary's triggers
/// firing); how many cells the summary holds then.
fn fill(
    path: &std::path::Path,
    size: &Size,
    (first, last): (salesplan_core::month::Month, salesplan_core::month::Month),
) -> i64 {
    let mut rng = StdRng::seed_from_u64(16);
    let mut conn = rusqlite::Connection::open(path).unwrap();
    salesplan_core::ledger::register_functions(&conn).unwrap();
    // The sales fall in closed months, as a head office's history does.
    conn.execute_batch("DROP TRIGGER actual_sales_closed_month;")
        .unwrap();
    let at = "2026-01-01T00:00:00.000Z";
    let tx = conn.transaction().unwrap();
    let ids = |tx: &rusqlite::Transaction<'_>, sql: &str| -> Vec<String> {
        let mut query = tx.prepare(sql).unwrap();
        query
            .query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let categories = ids(&tx, "SELECT id FROM product_categories");
    let departments = ids(&tx, "SELECT id FROM departments");
    let admin = ids(&tx, "SELECT id FROM users WHERE username = 'admin'").remove(0);
    let mut products: Vec<(String, i64)> = Vec::new();
    for n in 0..size.products {
        let (id, cents) = (Uuid::now_v7().to_string(), 100 + (n as i64 * 37) % 5_000);
        tx.execute(
            "INSERT INTO products (id, sku, name, category_id, unit, list_price, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'pcs', ?5, ?6, ?6)",
            params![id, format!("BI-{n:05}"), format!("Product {n}"), categories[n % categories.len()], format!("{}.{:02}", cents / 100, cents % 100), at],
        )
        .unwrap();
        products.push((id, cents));
    }
    let mut branches = Vec::new();
    for n in 0..size.branches {
        let id = Uuid::now_v7().to_string();
        tx.execute(
            "INSERT INTO locations (id, code, name, kind, created_at, updated_at) VALUES (?1, ?2, ?3, 'branch', ?4, ?4)",
            params![id, format!("BI-{n:02}"), format!("Branch {n}"), at],
        )
        .unwrap();
        branches.push(id);
    }
    // The demo's own salesmen (sam, nina…) sell too, at their branches.
    let mut salesmen: Vec<(String, String)> = {
        let mut query = tx
            .prepare("SELECT id, location_id FROM users WHERE role = 2")
            .unwrap();
        query
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let hash: String = tx
        .query_row(
            "SELECT password_hash FROM users WHERE username = 'sam'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    for n in salesmen.len()..size.salesmen {
        let (id, branch) = (
            Uuid::now_v7().to_string(),
            branches[n % branches.len()].clone(),
        );
        tx.execute(
            "INSERT INTO users (id, username, display_name, role, department_id, location_id, password_hash, created_at, updated_at)
             VALUES (?1, ?2, ?3, 2, ?4, ?5, ?6, ?7, ?7)",
            params![id, format!("bi{n:03}"), format!("Salesman {n}"), departments[n % departments.len()], branch, hash, at],
        )
        .unwrap();
        salesmen.push((id, branch));
    }
    let mut customers = Vec::new();
    for n in 0..size.customers {
        let id = Uuid::now_v7().to_string();
        tx.execute(
            "INSERT INTO customers (id, code, name, channel, created_at, updated_at) VALUES (?1, ?2, ?3, 'retail', ?4, ?4)",
            params![id, format!("BI-C{n:04}"), format!("Customer {n}"), at],
        )
        .unwrap();
        customers.push(id);
    }
    let months = usize::try_from(last.since(first)).unwrap() + 1;
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO actual_sales (id, period, product_id, location_id, salesman_id, customer_id,
                                           quantity, unit_price, amount, created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .unwrap();
        for _ in 0..size.sales {
            let (product, cents) = &products[rng.random_range(0..products.len())];
            let (salesman, branch) = &salesmen[rng.random_range(0..salesmen.len())];
            let customer = rng
                .random_bool(0.7)
                .then(|| customers[rng.random_range(0..customers.len())].clone());
            let month = first.plus(i32::try_from(rng.random_range(0..months)).unwrap());
            let quantity: i64 = rng.random_range(1..=20);
            let amount = cents * quantity;
            insert
                .execute(params![
                    Uuid::now_v7().to_string(),
                    month.to_string(),
                    product,
                    branch,
                    salesman,
                    customer,
                    quantity.to_string(),
                    format!("{}.{:02}", cents / 100, cents % 100),
                    format!("{}.{:02}", amount / 100, amount % 100),
                    admin,
                    at,
                ])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    conn.query_row("SELECT count(*) FROM sales_summary", [], |row| row.get(0))
        .unwrap()
}
