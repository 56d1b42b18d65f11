//! Budget benchmarks (issue #3): opening a full budget (40 products × 12 months)
//! and all ten salesmen's (4,800 lines), and whole-company variance over the
//! demo's three years of actuals. Figures go to docs/BENCHMARKS.md.
#![allow(clippy::unwrap_used)]

mod common;

use common::measure;

use rust_decimal::Decimal;
use salesplan_core::budgets::variance::{self, VarianceLevel, VarianceQuery};
use salesplan_core::budgets::{
    self, NewBudget, OwnerKind, OwnerRef, SpreadMeasure, SpreadProfile, SpreadRequest,
};
use salesplan_core::demo::DEMO_PASSWORD;
use salesplan_core::reference::{self, Product};
use salesplan_core::{Ledger, users};
use std::time::Instant;

fn main() {
    let smoke = !std::env::args().any(|arg| arg == "--bench");
    if smoke {
        println!("smoke run: small sizes, to check the code path (full size: cargo bench)");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let (mut ledger, summary) = salesplan_core::demo::create(&path).unwrap();
    let admin = users::sign_in(&ledger, "admin", DEMO_PASSWORD).unwrap();
    let last_year: i32 = summary.last_period.year();
    let products: Vec<_> = reference::list::<Product>(&ledger, &admin, false).unwrap();
    let salesmen = budgets::salesmen(&ledger, &admin).unwrap();

    // Every salesman gets a full budget for the current year: 40 products × 12 months.
    let mut budget_ids = Vec::new();
    let build = Instant::now();
    for salesman in &salesmen {
        let owner = OwnerRef {
            kind: OwnerKind::Salesman,
            id: salesman.id,
        };
        let new_budget = NewBudget {
            fiscal_year: last_year,
            scenario: "Bench".into(),
            owner,
            from_last_year_percent: None,
            template_id: None,
        };
        let id = budgets::create(&mut ledger, &admin, new_budget)
            .unwrap()
            .budget
            .id;
        for product in &products {
            budgets::spread_total(
                &mut ledger,
                &admin,
                id,
                SpreadRequest {
                    product_id: product.id,
                    total: Decimal::from(1200),
                    measure: SpreadMeasure::Quantity,
                    profile: SpreadProfile::LastYear,
                },
            )
            .unwrap();
        }
        budget_ids.push(id);
    }
    println!(
        "set-up: {} budgets × {} products × 12 months spread in {:.0} ms",
        budget_ids.len(),
        products.len(),
        build.elapsed().as_secs_f64() * 1e3
    );

    let ledger = Ledger::open(&path).unwrap();
    measure("open one budget (480 lines, history, totals)", 50, || {
        budgets::show(&ledger, &admin, budget_ids[0]).unwrap();
    });
    measure("open all 10 salesmen's budgets (4,800 lines)", 20, || {
        for id in &budget_ids {
            budgets::show(&ledger, &admin, *id).unwrap();
        }
    });
    let query = |year: i32, level| VarianceQuery {
        fiscal_year: year,
        scenario: None,
        level,
        basis: None,
        through: None,
        within: None,
    };
    measure("variance, whole company, one year", 20, || {
        variance::report(&ledger, &admin, query(last_year, VarianceLevel::Company)).unwrap();
    });
    measure(
        "variance, whole company, each of the 3 demo years",
        20,
        || {
            for year in last_year - 2..=last_year {
                variance::report(&ledger, &admin, query(year, VarianceLevel::Company)).unwrap();
            }
        },
    );
    measure("variance by product, one year", 20, || {
        variance::report(&ledger, &admin, query(last_year, VarianceLevel::Product)).unwrap();
    });
}
