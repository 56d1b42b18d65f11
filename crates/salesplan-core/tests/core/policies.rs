//! Stock policies worked out from the forecast: each number checked against
//! the ledger read independently (SQL on the file, the forecast screen's own
//! figures) and the formulas of `salesplan_forecast::stock_policy` (whose own
//! tests check them against values worked by hand, with their sources).

use crate::support::{TestLedger, count};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use salesplan_core::budgets::variance::{DrillStep, VarianceLevel};
use salesplan_core::forecast::{self, ForecastQuery, NewOverride, OverrideKind};
use salesplan_core::reference::{self, Location, Product, Supplier};
use salesplan_core::settings;
use salesplan_core::stock::policy::{
    self, DemandSource, NewPolicyOverride, PolicyLine, PolicyMethod, SigmaSource,
};
use salesplan_core::suppliers;
use salesplan_core::{Actor, ErrorCode};
use std::path::Path;
use uuid::Uuid;

/// Days in an average month, as lead times are turned into months.
const DAYS_PER_MONTH: f64 = 30.4375;

fn f(value: Decimal) -> f64 {
    value.to_f64().unwrap()
}

fn ids(demo: &TestLedger, actor: &Actor, location: &str, sku: &str) -> (Uuid, Uuid) {
    (
        reference::find::<Location>(&demo.ledger, actor, location)
            .unwrap()
            .id,
        reference::find::<Product>(&demo.ledger, actor, sku)
            .unwrap()
            .id,
    )
}

fn policy_of(demo: &TestLedger, actor: &Actor, location: &str, sku: &str) -> PolicyLine {
    let (location_id, product_id) = ids(demo, actor, location, sku);
    policy::policy(&demo.ledger, actor, location_id, product_id).unwrap()
}

/// The standard normal quantile of a class's default service level, from the tables.
fn z_of(service_level: Decimal) -> f64 {
    match service_level.to_string().as_str() {
        "98" => 2.053_749,
        "95" => 1.644_854,
        "90" => 1.281_552,
        other => panic!("no table value for {other} %"),
    }
}

/// actual − forecast of each closed month, as the snapshot taken as of that
/// month forecast it, read from the file with plain SQL.
fn one_month_ahead_errors(path: &Path, location_id: Uuid, product_id: Uuid) -> Vec<f64> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut query = conn
        .prepare(
            "SELECT f.month, sum(CAST(f.final AS REAL)),
                    (SELECT coalesce(sum(CAST(s.quantity AS REAL)), 0) FROM actual_sales s
                     WHERE s.period = f.month AND s.location_id = ?1 AND s.product_id = ?2)
             FROM forecast_snapshots f
             WHERE f.as_of = f.month AND f.location_id = ?1 AND f.product_id = ?2
             GROUP BY f.month",
        )
        .unwrap();
    query
        .query_map([location_id.to_string(), product_id.to_string()], |row| {
            Ok(row.get::<_, f64>(2)? - row.get::<_, f64>(1)?)
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_branch_plans_its_final_forecast_over_the_lead_time_with_the_error_it_measured() {
    let demo = TestLedger::demo();
    let sven = demo.user("sven");
    let (branch, product) = ids(&demo, &sven, "BR-C", "DRY-010");
    let line = policy::policy(&demo.ledger, &sven, branch, product).unwrap();
    let p = &line.computed;
    assert_eq!(p.demand_source, DemandSource::Forecast);
    assert_eq!(p.supplied_by, "WH-1 (warehouse)");
    assert_eq!(
        p.lead_time_days,
        Decimal::from(7),
        "a branch is a week from its warehouse"
    );

    // d: the forecast screen's final quantity of the item's first month (7 days span one month).
    let view = forecast::show(
        &demo.ledger,
        &sven,
        ForecastQuery {
            level: VarianceLevel::Product,
            within: Some(vec![DrillStep {
                level: VarianceLevel::Branch,
                key: branch,
            }]),
            history_months: None,
        },
    )
    .unwrap();
    let row = view
        .rows
        .iter()
        .find(|row| row.key == Some(product))
        .unwrap();
    // It plans from this month: an open month that has ended (the demo's last month) is history.
    assert_eq!(p.first_month, salesplan_core::month::Month::current());
    let skip = p.first_month.since(view.open_month) as usize;
    assert_eq!(skip, 1, "the demo's open month is last month");
    assert!((f(p.demand_per_month) - f(row.final_quantity[skip])).abs() < 0.006);
    assert_eq!(p.demand.len(), row.final_quantity.len() - skip);

    // σ: the root mean square of the six closed months' one-month-ahead errors.
    let errors = one_month_ahead_errors(&demo.path(), branch, product);
    assert_eq!(errors.len(), 6);
    let rmse = (errors.iter().map(|e| e * e).sum::<f64>() / 6.0).sqrt();
    assert_eq!(p.sigma_source, SigmaSource::Measured);
    assert_eq!(p.sigma_points, 6);
    assert!((f(p.sigma) - rmse).abs() < 0.006, "{} vs {rmse}", p.sigma);

    // Safety stock z·σ·√L (a sure lead time), reorder point ⌈d·L + SS⌉.
    assert_eq!(p.method, PolicyMethod::Normal);
    let lead = 7.0 / DAYS_PER_MONTH;
    let z = z_of(p.service_level);
    let safety = z * rmse * lead.sqrt();
    let demand = f(row.final_quantity[skip]);
    assert!(
        (f(p.safety_stock) - safety).abs() < 0.01,
        "{} vs {safety}",
        p.safety_stock
    );
    assert!((f(p.lead_time_demand) - demand * lead).abs() < 0.01);
    let reorder = f(p.reorder_point);
    assert!(reorder >= demand * lead + safety - 0.01 && reorder < demand * lead + safety + 1.0);
    assert_eq!(line.reorder_point, p.reorder_point, "no override");
}

#[test]
fn the_warehouse_plans_for_what_its_branches_need_on_its_suppliers_terms() {
    let demo = TestLedger::demo();
    let sven = demo.user("sven");
    let warehouse = policy_of(&demo, &sven, "WH-1", "DRY-010").computed;
    let (_, product) = ids(&demo, &sven, "WH-1", "DRY-010");
    let branches: Vec<_> = ["BR-C", "BR-E", "BR-N", "BR-S", "BR-W"]
        .iter()
        .map(|code| policy_of(&demo, &sven, code, "DRY-010").computed)
        .collect();
    assert_eq!(warehouse.demand_source, DemandSource::Branches);
    assert_eq!(warehouse.sigma_source, SigmaSource::Branches);
    for month in 0..warehouse.demand.len() {
        let sum: f64 = branches.iter().map(|branch| f(branch.demand[month])).sum();
        assert!(
            (f(warehouse.demand[month]) - sum).abs() < 0.05,
            "month {month}"
        );
    }
    let sigma = branches
        .iter()
        .map(|branch| f(branch.sigma).powi(2))
        .sum::<f64>()
        .sqrt();
    assert!((f(warehouse.sigma) - sigma).abs() < 0.05);

    // The primary supplier's terms: its lead time, order cost, cost price, pack and minimum.
    let line = suppliers::products(&demo.ledger, &sven, None, Some(product), false)
        .unwrap()
        .into_iter()
        .find(|line| line.terms.is_primary)
        .unwrap();
    let supplier = reference::find::<Supplier>(&demo.ledger, &sven, &line.supplier_code)
        .unwrap()
        .fields;
    assert_eq!(warehouse.lead_time_days, Decimal::from(line.lead_time_days));
    assert!(warehouse.supplied_by.starts_with(&supplier.code));
    let yearly = 12.0 * f(warehouse.demand_per_month);
    let eoq = (2.0 * yearly * f(supplier.order_cost) / (f(line.terms.cost_price) * 0.20)).sqrt();
    assert!((f(warehouse.eoq.unwrap()) - eoq).abs() / eoq < 0.001);
    let pack = line.terms.pack_size;
    assert_eq!(
        warehouse.order_quantity % pack,
        Decimal::ZERO,
        "whole packs"
    );
    assert!(warehouse.order_quantity >= line.terms.min_order);
    assert!(
        f(warehouse.order_quantity) <= 3.0 * f(warehouse.demand_per_month) + f(pack),
        "at most three months' demand (the default), rounded up to a pack"
    );
}

#[test]
fn an_override_applies_until_removed_and_says_why() {
    let mut demo = TestLedger::demo();
    let sven = demo.user("sven");
    let (location_id, product_id) = ids(&demo, &sven, "BR-N", "FRZ-010");
    let computed = policy::policy(&demo.ledger, &sven, location_id, product_id).unwrap();
    let new =
        |reorder_point: Option<i64>, order_quantity: Option<i64>, reason: &str| NewPolicyOverride {
            location_id,
            product_id,
            reorder_point: reorder_point.map(Decimal::from),
            order_quantity: order_quantity.map(Decimal::from),
            reason: reason.into(),
        };
    let before = demo.outbox_len();
    policy::set_override(
        &mut demo.ledger,
        &sven,
        new(Some(500), None, "freezer promotion in May"),
        None,
    )
    .unwrap();
    let overridden = policy::policy(&demo.ledger, &sven, location_id, product_id).unwrap();
    assert_eq!(overridden.reorder_point, Decimal::from(500));
    assert_eq!(
        overridden.order_quantity, computed.order_quantity,
        "the number left out stays the computation's"
    );
    assert_eq!(overridden.computed, computed.computed);
    let over = overridden.overridden.clone().unwrap();
    assert_eq!(over.reason, "freezer promotion in May");
    assert_eq!(over.created_by_name.as_deref(), Some("sven"));
    assert_eq!(demo.outbox_len(), before + 1, "the override travels");

    // Bad input: named field, nothing written.
    for (bad, field) in [
        (new(Some(10), None, "  "), "reason"),
        (new(Some(-1), None, "x"), "reorder_point"),
        (new(None, None, "x"), "reorder_point"),
    ] {
        let refused = policy::set_override(&mut demo.ledger, &sven, bad, None).unwrap_err();
        assert_eq!(refused.code(), ErrorCode::Invalid);
        assert!(refused.to_string().contains(field), "{refused}");
    }
    // Only Supply Chain and administrators override policies.
    for who in ["bella", "maria", "sam"] {
        let actor = demo.user(who);
        let refused = policy::set_override(&mut demo.ledger, &actor, new(Some(1), None, "x"), None)
            .unwrap_err();
        assert_eq!(refused.code(), ErrorCode::Forbidden, "{who}");
    }
    assert_eq!(demo.outbox_len(), before + 1);

    // Someone else's change since is refused, not overwritten.
    let stale = policy::set_override(
        &mut demo.ledger,
        &sven,
        new(None, Some(48), "cases of 48 from now on"),
        Some(over.version - 1),
    )
    .unwrap_err();
    assert_eq!(stale.code(), ErrorCode::StaleVersion);

    // A forecast run works the policy out again; the override stays.
    let admin = demo.user("admin");
    forecast::run(
        &mut demo.ledger,
        &admin,
        forecast::RunRequest::default(),
        &salesplan_core::imports::Silent,
    )
    .unwrap();
    let after_run = policy::policy(&demo.ledger, &sven, location_id, product_id).unwrap();
    assert_eq!(after_run.reorder_point, Decimal::from(500));

    policy::remove_override(&mut demo.ledger, &sven, location_id, product_id).unwrap();
    let removed = policy::policy(&demo.ledger, &sven, location_id, product_id).unwrap();
    assert_eq!(removed.overridden, None);
    assert_eq!(removed.reorder_point, removed.computed.reorder_point);
    let again = policy::remove_override(&mut demo.ledger, &sven, location_id, product_id);
    assert_eq!(again.unwrap_err().code(), ErrorCode::NotFound);
    // Set again: the archived override comes back with the new numbers.
    policy::set_override(
        &mut demo.ledger,
        &sven,
        new(None, Some(48), "cases of 48 from now on"),
        None,
    )
    .unwrap();
    let back = policy::policy(&demo.ledger, &sven, location_id, product_id).unwrap();
    assert_eq!(back.order_quantity, Decimal::from(48));
    assert_eq!(back.reorder_point, back.computed.reorder_point);
}

#[test]
fn policies_follow_the_companys_service_levels_and_the_forecasts_overrides() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let sven = demo.user("sven");
    let before = policy_of(&demo, &sven, "BR-S", "BEV-010");
    let class = before.computed.abc.clone();

    // A higher service level for the item's class raises its safety stock at once.
    let current = settings::get(&demo.ledger, &admin).unwrap();
    let mut company = current.company.clone();
    let level = match class.as_str() {
        "A" => &mut company.stock.service_level_a,
        "B" => &mut company.stock.service_level_b,
        _ => &mut company.stock.service_level_c,
    };
    *level = Decimal::new(999, 1);
    settings::update(
        &mut demo.ledger,
        &admin,
        Some(current.version),
        company.clone(),
    )
    .unwrap();
    let raised = policy_of(&demo, &sven, "BR-S", "BEV-010");
    assert_eq!(raised.computed.service_level, Decimal::new(999, 1));
    assert!(raised.computed.safety_stock > before.computed.safety_stock);
    // z(99.9 %) = 3.090232 against the class's own.
    let ratio = f(raised.computed.safety_stock) / f(before.computed.safety_stock);
    assert!((ratio - 3.090_232 / z_of(before.computed.service_level)).abs() < 0.01);

    // Out of range: refused, naming the field; nothing changes.
    let current = settings::get(&demo.ledger, &admin).unwrap();
    for (bad, field) in [
        (Decimal::from(100), "service_level_a"),
        (Decimal::from(49), "service_level_a"),
    ] {
        let mut wrong = current.company.clone();
        wrong.stock.service_level_a = bad;
        let refused =
            settings::update(&mut demo.ledger, &admin, Some(current.version), wrong).unwrap_err();
        assert!(refused.to_string().contains(field), "{refused}");
    }
    let mut wrong = current.company.clone();
    wrong.stock.branch_lead_time_days = 0;
    let refused =
        settings::update(&mut demo.ledger, &admin, Some(current.version), wrong).unwrap_err();
    assert!(
        refused.to_string().contains("branch_lead_time_days"),
        "{refused}"
    );

    // A forecast override doubling the item at the branch doubles what it plans for.
    let (branch, product) = ids(&demo, &sven, "BR-S", "BEV-010");
    let open = before.computed.first_month;
    forecast::add_override(
        &mut demo.ledger,
        &admin,
        NewOverride {
            target: vec![
                DrillStep {
                    level: VarianceLevel::Branch,
                    key: branch,
                },
                DrillStep {
                    level: VarianceLevel::Product,
                    key: product,
                },
            ],
            first_month: open.to_string(),
            last_month: Some(open.plus(11).to_string()),
            kind: OverrideKind::Percent,
            value: Decimal::from(100),
            reason: "new listing at a supermarket chain".into(),
            expires_on: None,
        },
    )
    .unwrap();
    forecast::run(
        &mut demo.ledger,
        &admin,
        forecast::RunRequest::default(),
        &salesplan_core::imports::Silent,
    )
    .unwrap();
    let doubled = policy_of(&demo, &sven, "BR-S", "BEV-010");
    let ratio = f(doubled.computed.demand_per_month) / f(raised.computed.demand_per_month);
    assert!((ratio - 2.0).abs() < 0.02, "{ratio}");
}

#[test]
fn an_item_the_forecast_has_not_seen_plans_on_its_history_and_says_so() {
    let mut demo = TestLedger::demo();
    let sven = demo.user("sven");
    let (branch, product) = ids(&demo, &sven, "BR-E", "SNK-020");
    let open = policy_of(&demo, &sven, "BR-E", "SNK-020")
        .computed
        .first_month;
    // As for an item new since the last run: the forecast holds no series of it.
    let path = demo.path();
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "DELETE FROM forecast_series WHERE location_id = ?1 AND product_id = ?2",
            [branch.to_string(), product.to_string()],
        )
        .unwrap();
    // And it has no primary supplier any more.
    let primary = suppliers::products(&demo.ledger, &sven, None, Some(product), false)
        .unwrap()
        .into_iter()
        .find(|line| line.terms.is_primary)
        .unwrap();
    suppliers::remove(&mut demo.ledger, &sven, primary.terms.supplier_id, product).unwrap();
    let summary = policy::recompute(&mut demo.ledger, &sven).unwrap();
    assert!(summary.policies > 100);

    let p = policy_of(&demo, &sven, "BR-E", "SNK-020").computed;
    assert_eq!(p.demand_source, DemandSource::History);
    assert!(
        p.notes.iter().any(|note| note.starts_with("no forecast")),
        "{:?}",
        p.notes
    );
    let sold = count(
        &path,
        &format!(
            "SELECT CAST(round(sum(CAST(quantity AS REAL)) * 100 / 12) AS INTEGER) FROM actual_sales
             WHERE location_id = '{branch}' AND product_id = '{product}'
               AND period BETWEEN '{}' AND '{}'",
            open.plus(-12),
            open.plus(-1)
        ),
    );
    assert_eq!(
        p.demand_per_month,
        Decimal::new(sold, 2),
        "the last 12 months' mean"
    );
    assert_eq!(
        p.sigma_source,
        SigmaSource::Measured,
        "the past snapshots still measured how wrong the forecast was"
    );

    let warehouse = policy_of(&demo, &sven, "WH-1", "SNK-020").computed;
    assert_eq!(warehouse.lead_time_days, Decimal::from(30));
    assert!(
        warehouse
            .notes
            .iter()
            .any(|note| note.starts_with("no primary supplier")),
        "{:?}",
        warehouse.notes
    );
    // Salesmen and managers see no policies of stock they may not see.
    let sam = demo.user("sam");
    assert_eq!(
        policy::policies(&demo.ledger, &sam, None, None)
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden
    );
}

#[test]
fn a_branch_manager_reads_the_policies_of_her_branch_only() {
    let demo = TestLedger::demo();
    let bella = demo.user("bella");
    let list = policy::policies(&demo.ledger, &bella, None, None).unwrap();
    assert!(!list.lines.is_empty());
    let codes: std::collections::BTreeSet<_> = list
        .lines
        .iter()
        .map(|line| line.computed.location_code.clone())
        .collect();
    assert_eq!(codes.len(), 1, "{codes:?}");
    let sven = demo.user("sven");
    let (warehouse, product) = ids(&demo, &sven, "WH-1", "DRY-010");
    assert_eq!(
        policy::policy(&demo.ledger, &bella, warehouse, product)
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden
    );
    assert!(list.computed_at.is_some());
}
