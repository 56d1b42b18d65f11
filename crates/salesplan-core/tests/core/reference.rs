use crate::support::TestLedger;
use rust_decimal::Decimal;
use salesplan_core::ErrorCode;
use salesplan_core::audit::{self, AuditFilter};
use salesplan_core::ledger::{ChangeKind, Entity};
use salesplan_core::reference::{self, Product, ProductCategory};
use std::str::FromStr;

pub(crate) fn new_product(demo: &TestLedger, sku: &str) -> Product {
    let admin = demo.user("admin");
    let beverages = reference::find::<ProductCategory>(&demo.ledger, &admin, "BEV").unwrap();
    Product {
        sku: sku.into(),
        name: "Ginger Beer 0.33L".into(),
        category_id: beverages.id,
        unit: "case".into(),
        list_price: Decimal::from_str("14.90").unwrap(),
        active: true,
    }
}

#[test]
fn a_product_is_created_edited_archived_and_restored_with_a_record_each() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let product = new_product(&demo, " BEV-900 ");
    let created = reference::create(&mut demo.ledger, &admin, product).unwrap();
    assert_eq!(
        (created.fields.sku.as_str(), created.version),
        ("BEV-900", 1)
    );

    let repriced = Product {
        list_price: Decimal::from_str("15.50").unwrap(),
        ..created.fields.clone()
    };
    let edited =
        reference::update(&mut demo.ledger, &admin, created.id, Some(1), repriced).unwrap();
    assert_eq!(
        (edited.version, edited.fields.list_price.to_string()),
        (2, "15.50".to_owned())
    );

    reference::set_archived::<Product>(&mut demo.ledger, &admin, created.id, true).unwrap();
    let live = reference::list::<Product>(&demo.ledger, &admin, false).unwrap();
    assert!(
        live.iter().all(|product| product.id != created.id),
        "archived rows leave the list"
    );
    let all = reference::list::<Product>(&demo.ledger, &admin, true).unwrap();
    assert!(
        all.iter()
            .any(|product| product.id == created.id && product.archived_at.is_some())
    );
    reference::set_archived::<Product>(&mut demo.ledger, &admin, created.id, false).unwrap();

    let filter = AuditFilter {
        entity: Some(Entity::Product),
        limit: Some(4),
        ..AuditFilter::default()
    };
    let trail = audit::list(&demo.ledger, &admin, filter).unwrap();
    let kinds: Vec<ChangeKind> = trail.iter().map(|entry| entry.kind).collect();
    assert_eq!(
        kinds,
        [
            ChangeKind::Restored,
            ChangeKind::Archived,
            ChangeKind::Updated,
            ChangeKind::Created
        ]
    );
    assert_eq!(
        trail[2].payload,
        serde_json::json!({ "list_price": "15.50" }),
        "an update records only what changed"
    );
    assert!(
        trail
            .iter()
            .all(|entry| entry.username.as_deref() == Some("admin"))
    );
}

#[test]
fn bad_products_name_the_field_and_change_nothing() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let before = demo.outbox_len();
    let good = new_product(&demo, "BEV-901");
    let cases = [
        (
            Product {
                sku: "bev-010".into(),
                ..good.clone()
            },
            "product with sku 'bev-010' already exists",
        ),
        (
            Product {
                name: " ".into(),
                ..good.clone()
            },
            "name: must not be empty",
        ),
        (
            Product {
                list_price: Decimal::from_str("-1").unwrap(),
                ..good.clone()
            },
            "list_price: must not be negative (got -1)",
        ),
        (
            Product {
                category_id: uuid::Uuid::now_v7(),
                ..good.clone()
            },
            "category_id: no active product category with id",
        ),
    ];
    for (product, expected) in cases {
        let error = reference::create(&mut demo.ledger, &admin, product).unwrap_err();
        assert!(
            error.to_string().starts_with(expected),
            "expected {expected:?}, got {error}"
        );
    }
    assert_eq!(demo.outbox_len(), before);
}

#[test]
fn an_archived_category_cannot_take_new_products() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let product = new_product(&demo, "BEV-902");
    reference::set_archived::<ProductCategory>(&mut demo.ledger, &admin, product.category_id, true)
        .unwrap();
    let error = reference::create(&mut demo.ledger, &admin, product).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Invalid);
    assert_eq!(error.field(), Some("category_id"));
}

#[test]
fn a_stale_edit_is_refused_and_a_no_op_edit_records_nothing() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let product = reference::find::<Product>(&demo.ledger, &admin, "SNK-010").unwrap();
    let renamed = Product {
        name: "Sea Salt Crisps 175g".into(),
        ..product.fields.clone()
    };
    reference::update(
        &mut demo.ledger,
        &admin,
        product.id,
        Some(product.version),
        renamed.clone(),
    )
    .unwrap();
    let error = reference::update(
        &mut demo.ledger,
        &admin,
        product.id,
        Some(product.version),
        renamed.clone(),
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("was changed by someone else"),
        "{error}"
    );

    let before = demo.outbox_len();
    reference::update(&mut demo.ledger, &admin, product.id, None, renamed).unwrap();
    assert_eq!(demo.outbox_len(), before);
}
