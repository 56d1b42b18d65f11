use crate::support::{TestLedger, count, open_month};
use rust_decimal::Decimal;
use salesplan_core::reference::{self, Location, Product};
use salesplan_core::sales::{self, NewSale};
use salesplan_core::{ErrorCode, Scope, users};

fn sale_for(demo: &TestLedger, salesman: &str, quantity: i64) -> NewSale {
    let admin = demo.user("admin");
    let seller = users::find(&demo.ledger, &admin, salesman).unwrap();
    let product = reference::find::<Product>(&demo.ledger, &admin, "DRY-010").unwrap();
    NewSale {
        period: open_month(),
        product_id: product.id,
        location_id: seller.profile.location_id.unwrap(),
        salesman_id: Some(seller.id),
        customer_id: None,
        quantity: Decimal::from(quantity),
        unit_price: Decimal::new(1099, 2),
    }
}

#[test]
fn each_role_sees_the_sales_of_its_scope() {
    let demo = TestLedger::demo();
    let path = demo.path();
    let cases = [
        ("admin", Scope::All, "SELECT count(*) FROM actual_sales"),
        ("sven", Scope::All, "SELECT count(*) FROM actual_sales"),
        (
            "sam",
            Scope::Own,
            "SELECT count(*) FROM actual_sales WHERE salesman_id = (SELECT id FROM users WHERE username = 'sam')",
        ),
        (
            "maria",
            Scope::Department,
            "SELECT count(*) FROM actual_sales WHERE salesman_id IN (SELECT id FROM users WHERE department_id = (SELECT id FROM departments WHERE code = 'RET'))",
        ),
        (
            "bella",
            Scope::Location,
            "SELECT count(*) FROM actual_sales WHERE location_id = (SELECT id FROM locations WHERE code = 'BR-N')",
        ),
    ];
    for (username, scope, sql) in cases {
        let overview = sales::overview(&demo.ledger, &demo.user(username)).unwrap();
        assert_eq!(overview.scope, scope, "{username}");
        assert_eq!(overview.sale_count as i64, count(&path, sql), "{username}");
        assert_eq!(overview.months.len(), 36, "{username}");
        let twelve: Decimal = overview
            .months
            .iter()
            .rev()
            .take(12)
            .map(|month| month.amount)
            .sum();
        let by_branch: Decimal = overview
            .by_location
            .iter()
            .map(|branch| branch.amount)
            .sum();
        assert_eq!(
            twelve, by_branch,
            "{username}: the last 12 months add up by branch, exactly"
        );
    }
}

#[test]
fn a_salesman_posts_his_own_sales_only() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let own = sale_for(&demo, "sam", 3);
    let posted = sales::post(&mut demo.ledger, &sam, vec![own]).unwrap();
    assert_eq!(posted[0].amount, Decimal::new(3297, 2));

    let colleague = sale_for(&demo, "nina", 3);
    let error = sales::post(&mut demo.ledger, &sam, vec![colleague]).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Forbidden);
    assert!(
        error.to_string().contains("outside their own records"),
        "{error}"
    );
}

#[test]
fn a_batch_with_one_bad_sale_posts_none() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let before = count(&demo.path(), "SELECT count(*) FROM actual_sales");
    let good = sale_for(&demo, "sam", 2);
    let bad_period = NewSale {
        period: "2026-13".into(),
        ..good.clone()
    };
    let error = sales::post(&mut demo.ledger, &admin, vec![good.clone(), bad_period]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "sales[1].period: '2026-13' is not a month; write it as YYYY-MM"
    );
    let bad_price = NewSale {
        unit_price: Decimal::from(-1),
        ..good.clone()
    };
    let error = sales::post(&mut demo.ledger, &admin, vec![good.clone(), bad_price]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "sales[1].unit_price: must not be negative"
    );
    let warehouse = reference::find::<Location>(&demo.ledger, &admin, "WH-1").unwrap();
    reference::set_archived::<Location>(&mut demo.ledger, &admin, warehouse.id, true).unwrap();
    let archived_place = NewSale {
        location_id: warehouse.id,
        ..good
    };
    assert!(sales::post(&mut demo.ledger, &admin, vec![archived_place]).is_err());
    assert_eq!(
        count(&demo.path(), "SELECT count(*) FROM actual_sales"),
        before
    );
}

#[test]
fn a_return_is_a_negative_sale_not_an_edit() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let before = sales::overview(&demo.ledger, &sam).unwrap();
    let sale_and_return = vec![sale_for(&demo, "sam", 5), sale_for(&demo, "sam", -5)];
    sales::post(&mut demo.ledger, &sam, sale_and_return).unwrap();
    let after = sales::overview(&demo.ledger, &sam).unwrap();
    assert_eq!(after.sale_count, before.sale_count + 2);
    let october = |overview: &sales::SalesOverview| {
        overview
            .months
            .iter()
            .find(|month| month.period.to_string() == open_month())
            .map_or(Decimal::ZERO, |month| month.amount)
    };
    assert_eq!(october(&after), october(&before));
}

/// A value head office would refuse never enters the ledger by hand either:
/// a quantity or a price beyond the shared bounds is refused with the rule,
/// and a huge product of the two does not crash the sum.
#[test]
fn a_sale_beyond_the_bounds_head_office_checks_is_refused_with_the_rule() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let huge = Decimal::from_i128_with_scale(100_000_000_000_000_000_000, 0);
    let cases = [
        (
            huge,
            Decimal::new(1099, 2),
            "sales[0].quantity: must be at most 1000000000000 in size",
        ),
        (
            Decimal::ONE,
            huge,
            "sales[0].unit_price: must be at most 1000000000000000 in size",
        ),
        (
            Decimal::new(1, 7),
            Decimal::ONE,
            "sales[0].quantity: must have at most 6 decimal places",
        ),
        (
            Decimal::ONE,
            Decimal::new(12_345, 5),
            "sales[0].unit_price: must have at most 4 decimal places",
        ),
    ];
    for (quantity, unit_price, expected) in cases {
        let sale = NewSale {
            quantity,
            unit_price,
            ..sale_for(&demo, "sam", 1)
        };
        let error = sales::post(&mut demo.ledger, &sam, vec![sale]).unwrap_err();
        assert!(error.to_string().starts_with(expected), "{error}");
    }
    sales::overview(&demo.ledger, &sam).unwrap();
}
