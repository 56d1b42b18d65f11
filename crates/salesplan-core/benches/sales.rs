//! Sales benchmarks (issue #16): the sales overview on a ledger holding 5
//! million sales (the demo's 40 products × 10 salesmen, 36 months, about 350
//! sales a cell), read from the summary the triggers keep (V25), against
//! summing the sales themselves; and what keeping the summary costs a bulk
//! write; the home screen on it (the sales widgets read the same summary),
//! the variance report and reports. Figures go to docs/BENCHMARKS.md.
#![allow(clippy::unwrap_used)]

mod common;

use common::measure;

use salesplan_core::budgets::variance::{self, VarianceLevel, VarianceQuery};
use salesplan_core::demo::DEMO_PASSWORD;
use salesplan_core::{home, sales, users};
use std::path::Path;
use std::time::Instant;

fn main() {
    let smoke = !std::env::args().any(|arg| arg == "--bench");
    if smoke {
        println!("smoke run: small sizes, to check the code path (full size: cargo bench)");
    }
    let copies = if smoke { 2 } else { 380 };
    let dir = tempfile::tempdir().unwrap();
    // What keeping the summaries costs a bulk write: the demo's sales copied
    // 10 times into a fresh demo ledger, with every summary's triggers, with
    // V25's alone and with none (SALESPLAN_BENCH_ONLY="bulk write" measures
    // this alone).
    for (at, (kept, dropped)) in [
        ("every summary (V25, V30)", ""),
        (
            "the finest summary alone (V25)",
            "DROP TRIGGER sales_summaries_insert;",
        ),
        (
            "no summary",
            "DROP TRIGGER sales_summary_insert; DROP TRIGGER sales_summaries_insert;",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let other = dir.path().join(format!("sample-{at}.db"));
        drop(salesplan_core::demo::create(&other).unwrap());
        let start = Instant::now();
        let written = copy_sales(&other, if smoke { 1 } else { 10 }, dropped);
        println!(
            "bulk write: {written} sales written, {kept}: {:.2} s",
            start.elapsed().as_secs_f64()
        );
    }
    if std::env::var("SALESPLAN_BENCH_ONLY").is_ok_and(|only| only == "bulk write") {
        return;
    }
    let path = dir.path().join("demo.db");
    let (mut ledger, _) = salesplan_core::demo::create(&path).unwrap();
    let fill = Instant::now();
    let written = copy_sales(&path, copies, "");
    println!(
        "{written} sales written in {:.1} s",
        fill.elapsed().as_secs_f64()
    );

    let admin = users::sign_in(&ledger, "admin", DEMO_PASSWORD).unwrap();
    let sam = users::sign_in(&ledger, "sam", DEMO_PASSWORD).unwrap();
    let overview = sales::overview(&ledger, &admin).unwrap();
    assert!(overview.sale_count >= written);
    measure("sales overview, whole company (summary)", 5, || {
        sales::overview(&ledger, &admin).unwrap();
    });
    measure("sales overview, one salesman (summary)", 5, || {
        sales::overview(&ledger, &sam).unwrap();
    });
    let maria = users::sign_in(&ledger, "maria", DEMO_PASSWORD).unwrap();
    let year = overview.months.last().unwrap().period.year();
    for (who, actor) in [
        ("administrator", &admin),
        ("manager", &maria),
        ("salesman", &sam),
    ] {
        let shown = home::home(&mut ledger, actor).unwrap();
        assert!(shown.problems.is_empty() && shown.sales.is_some());
        let widgets = shown.layout.len();
        measure(
            &format!("home screen, {who}, {widgets} widgets, digest kept"),
            5,
            || {
                home::home(&mut ledger, actor).unwrap();
            },
        );
    }
    let sales_only = home::arrange(
        &mut ledger,
        &admin,
        vec![
            home::Widget::Sales,
            home::Widget::Trend,
            home::Widget::Movers,
        ],
    )
    .unwrap();
    assert_eq!(sales_only.layout.len(), 3);
    measure(
        "home screen, administrator, the sales widgets only",
        5,
        || {
            home::home(&mut ledger, &admin).unwrap();
        },
    );
    measure(
        "variance report, whole company by product (summary)",
        5,
        || {
            let query = VarianceQuery {
                fiscal_year: year,
                scenario: None,
                level: VarianceLevel::Product,
                basis: None,
                through: None,
                within: None,
            };
            variance::report(&ledger, &admin, query).unwrap();
        },
    );
    reports(&ledger, &admin, &maria, &sam, year);
    // What the summary saves: the same grouping summed over every sale.
    let conn = rusqlite::Connection::open(&path).unwrap();
    salesplan_core::ledger::register_functions(&conn).unwrap();
    measure(
        "without the summary: decimal_sum of every sale by month, product, location",
        3,
        || {
            let mut query = conn
                .prepare(
                    "SELECT period, product_id, location_id, decimal_sum(quantity), decimal_sum(amount)
                     FROM actual_sales GROUP BY period, product_id, location_id",
                )
                .unwrap();
            let cells = query.query_map([], |_| Ok(())).unwrap().count();
            assert!(cells > 1000);
        },
    );
}

/// Reports on the same ledger: the typical one (one measure, two
/// dimensions, a year, a comparison), the plan's, a customer's cut, a drill.
fn reports(
    ledger: &salesplan_core::Ledger,
    admin: &salesplan_core::Actor,
    maria: &salesplan_core::Actor,
    sam: &salesplan_core::Actor,
    year: i32,
) {
    use salesplan_core::reports::drill::{self, CellMember};
    use salesplan_core::reports::{
        self, Comparison, Dimension as D, Measure as M, Period, ReportDefinition,
    };
    let report = |measures: &[M], rows: &[D], columns: &[D], comparison| ReportDefinition {
        measures: measures.to_vec(),
        rows: rows.to_vec(),
        columns: columns.to_vec(),
        filters: Vec::new(),
        period: Period::FiscalYear { year: Some(year) },
        comparison,
        visual: reports::Visual::Table,
        chart: Default::default(),
    };
    let typical = report(
        &[M::SalesAmount],
        &[D::Branch],
        &[D::Month],
        Comparison::LastYear,
    );
    let shown = reports::run(ledger, admin, &typical).unwrap();
    assert!(!shown.rows.is_empty());
    for (name, actor, definition) in [
        (
            "report, sales by branch × month vs last year, company",
            admin,
            &typical,
        ),
        (
            "report, the same, manager (her department)",
            maria,
            &typical,
        ),
        ("report, the same, salesman (his own)", sam, &typical),
        (
            "report, sales by product × salesman vs budget, company",
            admin,
            &report(
                &[M::SalesAmount],
                &[D::Product],
                &[D::Salesman],
                Comparison::Budget,
            ),
        ),
        (
            "report, budget, variance, % by salesman × quarter",
            admin,
            &report(
                &[M::Budget, M::Variance, M::VariancePercent],
                &[D::Salesman],
                &[D::Quarter],
                Comparison::None,
            ),
        ),
        (
            "report, sales and margin by customer × category",
            admin,
            &report(
                &[M::SalesAmount, M::Margin],
                &[D::Customer],
                &[D::Category],
                Comparison::None,
            ),
        ),
    ] {
        measure(name, 20, || {
            reports::run(ledger, actor, definition).unwrap();
        });
    }
    let cell = [
        CellMember {
            dimension: D::Branch,
            key: shown.rows[0].members[0].key.clone(),
        },
        CellMember {
            dimension: D::Month,
            key: shown.columns[0].members[0].key.clone(),
        },
    ];
    let rows = drill::drill(ledger, admin, &typical, &cell).unwrap();
    assert!(rows.count > 0);
    measure(
        "report, the sales behind one cell (branch × month)",
        20,
        || {
            drill::drill(ledger, admin, &typical, &cell).unwrap();
        },
    );
}

/// The demo's sales copied `copies` times under new ids, as the sync engine
/// or an import puts rows in: one transaction, the table's triggers firing
/// (but `dropped_triggers`).
fn copy_sales(path: &Path, copies: usize, dropped_triggers: &str) -> usize {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    salesplan_core::ledger::register_functions(&conn).unwrap();
    // The copies fall in closed months, as a head office's history does.
    conn.execute_batch("DROP TRIGGER actual_sales_closed_month;")
        .unwrap();
    conn.execute_batch(dropped_triggers).unwrap();
    let originals: Vec<Vec<rusqlite::types::Value>> = {
        let mut query = conn
            .prepare(
                "SELECT period, product_id, location_id, salesman_id, customer_id, quantity, unit_price,
                        amount, created_by, created_at FROM actual_sales",
            )
            .unwrap();
        query
            .query_map([], |row| {
                (0..10)
                    .map(|at| row.get(at))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let tx = conn.transaction().unwrap();
    let mut written = 0;
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO actual_sales (id, period, product_id, location_id, salesman_id, customer_id,
                                           quantity, unit_price, amount, created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .unwrap();
        for _ in 0..copies {
            for sale in &originals {
                let id = rusqlite::types::Value::Text(uuid::Uuid::now_v7().to_string());
                insert
                    .execute(rusqlite::params_from_iter(std::iter::once(&id).chain(sale)))
                    .unwrap();
                written += 1;
            }
        }
    }
    tx.commit().unwrap();
    written
}
