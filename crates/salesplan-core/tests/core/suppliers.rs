//! Suppliers: reference data Supply Chain keeps (lead time, its variability,
//! order cost), checked by head office's own field types wherever they arrive.

use crate::support::{TestLedger, count};
use rust_decimal::Decimal;
use salesplan_core::ErrorCode;
use salesplan_core::reference::{self, Supplier};

fn supplier(code: &str) -> Supplier {
    Supplier {
        code: code.into(),
        name: "Alpen Getränke AG".into(),
        contact: "  Hanna Brunner, +41 61 555 0101 ".into(),
        currency: "chf".into(),
        lead_time_days: 18,
        lead_time_sd_days: Decimal::new(25, 1),
        order_cost: Decimal::new(7500, 2),
    }
}

#[test]
fn the_demo_buys_from_six_suppliers_from_a_week_to_two_months_away() {
    let demo = TestLedger::demo();
    let sven = demo.user("sven");
    let suppliers = reference::list::<Supplier>(&demo.ledger, &sven, false).unwrap();
    assert_eq!(suppliers.len(), 6);
    let lead_times: Vec<u16> = suppliers
        .iter()
        .map(|supplier| supplier.fields.lead_time_days)
        .collect();
    assert_eq!(lead_times.iter().min(), Some(&5));
    assert_eq!(lead_times.iter().max(), Some(&60));
    assert!(
        suppliers
            .iter()
            .all(|supplier| supplier.fields.order_cost > Decimal::ZERO)
    );
}

#[test]
fn supply_chain_keeps_suppliers_and_every_change_is_recorded() {
    let mut demo = TestLedger::demo();
    let sven = demo.user("sven");
    let before = demo.outbox_len();
    let created = reference::create(&mut demo.ledger, &sven, supplier("SUP-ALP")).unwrap();
    assert_eq!(
        created.fields.currency, "CHF",
        "a currency code is kept in capitals"
    );
    assert_eq!(created.fields.contact, "Hanna Brunner, +41 61 555 0101");
    let edited = reference::update(
        &mut demo.ledger,
        &sven,
        created.id,
        Some(created.version),
        Supplier {
            lead_time_days: 21,
            ..created.fields.clone()
        },
    )
    .unwrap();
    assert_eq!(edited.fields.lead_time_days, 21);
    reference::set_archived::<Supplier>(&mut demo.ledger, &sven, created.id, true).unwrap();
    assert_eq!(demo.outbox_len(), before + 3);
    assert_eq!(
        count(
            &demo.path(),
            &format!(
                "SELECT count(*) FROM outbox WHERE entity = 'supplier' AND entity_id = '{}'",
                created.id
            )
        ),
        3
    );

    let sam = demo.user("sam");
    let refused = reference::create(&mut demo.ledger, &sam, supplier("SUP-SAM")).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden);
    assert!(
        refused
            .to_string()
            .starts_with("Maintaining suppliers is not allowed for a Salesman"),
        "{refused}"
    );
}

#[test]
fn bad_suppliers_are_refused_naming_the_field_and_write_nothing() {
    let mut demo = TestLedger::demo();
    let sven = demo.user("sven");
    let before = demo.outbox_len();
    let cases: Vec<(Supplier, &str, &str)> = vec![
        (
            Supplier {
                lead_time_days: 0,
                ..supplier("S1")
            },
            "lead_time_days",
            "must be from 1 to 365",
        ),
        (
            Supplier {
                lead_time_days: 366,
                ..supplier("S2")
            },
            "lead_time_days",
            "must be from 1 to 365",
        ),
        (
            Supplier {
                lead_time_sd_days: Decimal::new(-1, 0),
                ..supplier("S3")
            },
            "lead_time_sd_days",
            "must not be negative",
        ),
        (
            Supplier {
                lead_time_sd_days: Decimal::new(125, 2),
                ..supplier("S4")
            },
            "lead_time_sd_days",
            "decimal places",
        ),
        (
            Supplier {
                currency: "euro".into(),
                ..supplier("S5")
            },
            "currency",
            "is not a currency code",
        ),
        (
            Supplier {
                name: "  ".into(),
                ..supplier("S6")
            },
            "name",
            "must not be empty",
        ),
        (
            Supplier {
                order_cost: Decimal::new(-5, 0),
                ..supplier("S7")
            },
            "order_cost",
            "must not be negative",
        ),
        (
            Supplier {
                contact: "line\u{7}bell".into(),
                ..supplier("S8")
            },
            "contact",
            "control character",
        ),
        (supplier("SUP-BEV"), "code", "SUP-BEV"),
    ];
    for (bad, field, rule) in cases {
        let error = reference::create(&mut demo.ledger, &sven, bad).unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains(field) && text.contains(rule),
            "{field}: {text}"
        );
    }
    assert_eq!(demo.outbox_len(), before, "nothing written");
}

mod products {
    use super::*;
    use salesplan_core::suppliers::{self, SupplierTerms};

    fn ids(demo: &TestLedger, supplier: &str, sku: &str) -> (uuid::Uuid, uuid::Uuid) {
        let sven = demo.user("sven");
        (
            reference::find::<Supplier>(&demo.ledger, &sven, supplier)
                .unwrap()
                .id,
            reference::find::<salesplan_core::reference::Product>(&demo.ledger, &sven, sku)
                .unwrap()
                .id,
        )
    }

    fn terms(demo: &TestLedger, supplier: &str, sku: &str) -> SupplierTerms {
        let (supplier_id, product_id) = ids(demo, supplier, sku);
        SupplierTerms {
            supplier_id,
            product_id,
            supplier_sku: " NQ-1001 ".into(),
            cost_price: Decimal::new(42, 2),
            pack_size: Decimal::from(12),
            min_order: Decimal::from(24),
            lead_time_days: Some(7),
            is_primary: true,
        }
    }

    #[test]
    fn every_demo_product_has_one_primary_supplier_and_some_a_second_source() {
        let demo = TestLedger::demo();
        let sven = demo.user("sven");
        let lines = suppliers::products(&demo.ledger, &sven, None, None, false).unwrap();
        let products =
            reference::list::<salesplan_core::reference::Product>(&demo.ledger, &sven, false)
                .unwrap();
        for product in &products {
            let primaries = lines
                .iter()
                .filter(|line| line.terms.product_id == product.id && line.terms.is_primary)
                .count();
            assert_eq!(primaries, 1, "{}", product.fields.sku);
        }
        assert!(
            lines.len() > products.len(),
            "the importer is a second source"
        );
        assert!(
            lines
                .iter()
                .all(|line| line.terms.cost_price > Decimal::ZERO && line.lead_time_days >= 5)
        );
    }

    #[test]
    fn a_new_primary_supplier_makes_the_other_step_back_and_a_line_can_be_removed() {
        let mut demo = TestLedger::demo();
        let sven = demo.user("sven");
        let before = demo.outbox_len();
        // HOU-020 is bought from CleanHome (primary) and the importer.
        let moved = terms(&demo, "SUP-IMP", "HOU-020");
        let (importer, soap) = (moved.supplier_id, moved.product_id);
        let current = suppliers::products(&demo.ledger, &sven, Some(importer), Some(soap), false)
            .unwrap()
            .remove(0);
        let line = suppliers::put(&mut demo.ledger, &sven, moved, Some(current.version)).unwrap();
        assert_eq!(line.terms.supplier_sku, "NQ-1001", "trimmed");
        assert_eq!(
            line.lead_time_days, 7,
            "the line's own lead time, not the supplier's 60"
        );
        let lines = suppliers::products(&demo.ledger, &sven, None, Some(soap), false).unwrap();
        let primaries: Vec<&str> = lines
            .iter()
            .filter(|line| line.terms.is_primary)
            .map(|line| line.supplier_code.as_str())
            .collect();
        assert_eq!(primaries, ["SUP-IMP"]);
        assert_eq!(
            demo.outbox_len(),
            before + 2,
            "the line and the one that stepped back"
        );

        let again = terms(&demo, "SUP-IMP", "HOU-020");
        let stale =
            suppliers::put(&mut demo.ledger, &sven, again, Some(current.version)).unwrap_err();
        assert_eq!(stale.code(), ErrorCode::StaleVersion);

        let removed = suppliers::remove(&mut demo.ledger, &sven, importer, soap).unwrap();
        assert!(removed.archived_at.is_some());
        assert_eq!(
            suppliers::products(&demo.ledger, &sven, None, Some(soap), false)
                .unwrap()
                .len(),
            1,
            "only CleanHome's line is live"
        );
        let sam = demo.user("sam");
        let refused = suppliers::products(&demo.ledger, &sam, None, None, false).unwrap_err();
        assert_eq!(
            refused.code(),
            ErrorCode::Forbidden,
            "cost prices are for those who buy"
        );
        let bella = demo.user("bella");
        let water = terms(&demo, "SUP-BEV", "BEV-010");
        let refused = suppliers::put(&mut demo.ledger, &bella, water, None).unwrap_err();
        assert_eq!(refused.code(), ErrorCode::Forbidden);
    }

    #[test]
    fn bad_terms_are_refused_naming_the_field_and_write_nothing() {
        let mut demo = TestLedger::demo();
        let sven = demo.user("sven");
        let before = demo.outbox_len();
        let base = terms(&demo, "SUP-BEV", "BEV-010");
        let cases: Vec<(SupplierTerms, &str, &str)> = vec![
            (
                SupplierTerms {
                    pack_size: Decimal::ZERO,
                    ..base.clone()
                },
                "pack_size",
                "must be more than 0",
            ),
            (
                SupplierTerms {
                    cost_price: Decimal::new(-1, 0),
                    ..base.clone()
                },
                "cost_price",
                "must not be negative",
            ),
            (
                SupplierTerms {
                    min_order: Decimal::new(-5, 0),
                    ..base.clone()
                },
                "min_order",
                "must not be negative",
            ),
            (
                SupplierTerms {
                    lead_time_days: Some(0),
                    ..base.clone()
                },
                "lead_time_days",
                "must be from 1 to 365",
            ),
            (
                SupplierTerms {
                    lead_time_days: Some(400),
                    ..base.clone()
                },
                "lead_time_days",
                "must be from 1 to 365",
            ),
            (
                SupplierTerms {
                    supplier_id: uuid::Uuid::now_v7(),
                    ..base.clone()
                },
                "supplier_id",
                "no active supplier",
            ),
            (
                SupplierTerms {
                    product_id: uuid::Uuid::now_v7(),
                    ..base.clone()
                },
                "product_id",
                "no active product",
            ),
        ];
        for (bad, field, rule) in cases {
            let error = suppliers::put(&mut demo.ledger, &sven, bad, None).unwrap_err();
            let text = error.to_string();
            assert!(
                text.contains(field) && text.contains(rule),
                "{field}: {text}"
            );
        }
        assert_eq!(demo.outbox_len(), before, "nothing written");
    }
}
