use crate::support::{TestLedger, count};
use salesplan_core::demo::MONTHS_OF_HISTORY;

#[test]
fn the_demo_company_has_the_promised_shape() {
    let demo = TestLedger::demo();
    let path = demo.path();
    let figures = [
        ("SELECT count(*) FROM departments", 2),
        ("SELECT count(*) FROM locations WHERE kind = 'branch'", 5),
        ("SELECT count(*) FROM locations WHERE kind = 'warehouse'", 1),
        ("SELECT count(*) FROM product_categories", 6),
        ("SELECT count(*) FROM products", 40),
        ("SELECT count(*) FROM users WHERE role = 2", 10),
        ("SELECT count(DISTINCT role) FROM users", 5),
        (
            "SELECT count(DISTINCT period) FROM actual_sales",
            i64::from(MONTHS_OF_HISTORY),
        ),
        ("SELECT count(DISTINCT salesman_id) FROM actual_sales", 10),
        ("SELECT count(DISTINCT location_id) FROM actual_sales", 5),
    ];
    for (sql, expected) in figures {
        assert_eq!(count(&path, sql), expected, "{sql}");
    }
}

#[test]
fn demo_sales_have_seasonality_and_intermittent_products() {
    let demo = TestLedger::demo();
    let path = demo.path();
    // Beverages sell more in July than in January, every year.
    let july = count(
        &path,
        "SELECT sum(CAST(quantity AS INTEGER)) FROM actual_sales s JOIN products p ON p.id = s.product_id WHERE p.sku LIKE 'BEV-%' AND s.period LIKE '%-07'",
    );
    let january = count(
        &path,
        "SELECT sum(CAST(quantity AS INTEGER)) FROM actual_sales s JOIN products p ON p.id = s.product_id WHERE p.sku LIKE 'BEV-%' AND s.period LIKE '%-01'",
    );
    assert!(july > january * 3 / 2, "July {july} vs January {january}");
    // An intermittent product sells in far fewer salesman-months than it could.
    let keg_months = count(
        &path,
        "SELECT count(*) FROM actual_sales s JOIN products p ON p.id = s.product_id WHERE p.name = 'Party Keg 20L'",
    );
    let possible = 10 * i64::from(MONTHS_OF_HISTORY);
    assert!(
        keg_months > 0 && keg_months < possible / 2,
        "{keg_months} of {possible}"
    );
    // Amounts are exact: quantity × unit price, to the cent.
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM actual_sales WHERE amount NOT GLOB '*[0-9]' OR instr(amount, '.') > 0 AND length(amount) - instr(amount, '.') > 2"
        ),
        0
    );
}

#[test]
fn every_demo_write_is_in_the_outbox() {
    let demo = TestLedger::demo();
    let path = demo.path();
    let rows = count(
        &path,
        "SELECT (SELECT count(*) FROM departments) + (SELECT count(*) FROM locations) + (SELECT count(*) FROM product_categories) + (SELECT count(*) FROM products) + (SELECT count(*) FROM customers) + (SELECT count(*) FROM budget_categories) + (SELECT count(*) FROM suppliers) + (SELECT count(*) FROM supplier_products) + (SELECT count(*) FROM users) + (SELECT count(*) FROM actual_sales) + (SELECT count(*) FROM stock_movements WHERE id NOT IN (SELECT id FROM actual_sales)) + (SELECT count(*) FROM forecast_runs) + (SELECT count(*) FROM forecast_closed_months) + 1 \
         + (SELECT count(*) + count(approved_at) + count(shipped_at) + count(closed_at) + count(cancelled_at) FROM transfers) \
         + (SELECT count(*) + count(shipped) FROM transfer_lines) \
         + (SELECT count(*) FROM budgets) + (SELECT count(*) FROM budget_lines) + (SELECT count(*) FROM budget_approvals) \
         + (SELECT count(*) FROM budget_expenses) + (SELECT count(*) FROM expense_transactions) \
         + (SELECT count(*) FROM saved_reports) + (SELECT count(*) FROM alert_rules)",
    );
    assert_eq!(
        demo.outbox_len(),
        rows,
        "one change record per row written (stock movements included, but a sale's issue is the sale's), per forecast run and per closed month (+1 for company settings), and per transfer step and line shipped, per budget, line, workflow step, expense line and spending, per saved report and alert rule"
    );
}

#[test]
fn a_demo_salesman_keeps_alert_rules_that_check_without_error() {
    use salesplan_core::alert_rules::{self, RuleState};
    let mut demo = TestLedger::demo();
    let owner = demo.user(salesplan_core::demo::rules::OWNER);
    let rules = alert_rules::list(&demo.ledger, &owner).unwrap();
    assert_eq!(rules.len(), 2);
    alert_rules::check(&mut demo.ledger, &owner).unwrap();
    for rule in alert_rules::list(&demo.ledger, &owner).unwrap() {
        assert_ne!(rule.state, RuleState::Error, "{:?}", rule.message);
        assert!(rule.value.is_some(), "{}", rule.definition.name);
    }
    // Nobody else's: the other demo users start without rules.
    for other in ["admin", "maria", "max", "bella", "sam", "sven"] {
        let user = demo.user(other);
        assert!(
            alert_rules::list(&demo.ledger, &user).unwrap().is_empty(),
            "{other}"
        );
    }
}
