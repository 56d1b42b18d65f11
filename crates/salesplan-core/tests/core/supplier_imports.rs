//! Suppliers and what they sell come in from files like products: created or
//! updated by their codes, every problem named by row and column, Supply Chain's
//! to make, reversed as a whole.

use crate::support::TestLedger;
use rust_decimal::Decimal;
use salesplan_core::ErrorCode;
use salesplan_core::imports::{self, Accept, ImportKind, ImportReport, MemoryTable, Silent};
use salesplan_core::reference::{self, Product, Supplier};
use salesplan_core::suppliers;
use salesplan_core::{Actor, Ledger};
use uuid::Uuid;

fn table(name: &str, rows: &[&[&str]]) -> MemoryTable {
    MemoryTable::new(
        name,
        rows.iter()
            .map(|row| row.iter().map(|cell| (*cell).to_owned()).collect())
            .collect(),
    )
}

use crate::support::import_request as request;

fn problems(report: &ImportReport) -> Vec<String> {
    report
        .problems
        .iter()
        .map(|problem| problem.describe())
        .collect()
}

/// Previews, then imports the valid rows; answers the report and the import's id.
fn import(
    ledger: &mut Ledger,
    actor: &Actor,
    kind: ImportKind,
    file: &MemoryTable,
) -> (ImportReport, Uuid) {
    let request = request(kind, file);
    let report = imports::preview(ledger, actor, file, &request, &Silent).unwrap();
    let outcome =
        imports::commit(ledger, actor, file, &request, Accept::ValidRows, &Silent).unwrap();
    (report, outcome.import.id)
}

#[test]
fn suppliers_are_created_or_updated_by_code_and_an_import_reverses_whole() {
    let mut demo = TestLedger::demo();
    let sven = demo.user("sven");
    let beverages = reference::find::<Supplier>(&demo.ledger, &sven, "SUP-BEV").unwrap();
    let file = table(
        "suppliers.csv",
        &[
            &[
                "Code",
                "Name",
                "Currency",
                "Lead time",
                "Lead time variability",
                "Order cost",
            ],
            &["SUP-PAP", "Nordic Paper Oy", "", "12", "", "45.50"],
            &["sup-bev", "Beverage Wholesale (renamed)", "", "", "", ""],
            &["SUP-X2", "No lead time", "", "", "", ""],
            &["SUP-X3", "Too far", "", "400", "", ""],
            &["SUP-X4", "Bad currency", "EURO", "10", "", ""],
            &["SUP-X5", "Part days", "", "2.5", "", ""],
        ],
    );
    let (report, id) = import(&mut demo.ledger, &sven, ImportKind::Suppliers, &file);
    assert_eq!(
        problems(&report),
        [
            "row 4, column D (Lead time): lead_time_days: is empty",
            "row 5, column D (Lead time): lead_time_days: must be from 1 to 365 (got 400)",
            "row 6, column C (Currency): currency: 'EURO' is not a currency code (three capital letters, like EUR)",
            "row 7, column D (Lead time): lead_time_days: 2.5 is not a whole number of days from 1 to 365",
        ]
    );
    assert_eq!((report.rows_read, report.rows_valid), (6, 2));
    let paper = reference::find::<Supplier>(&demo.ledger, &sven, "SUP-PAP").unwrap();
    assert_eq!(
        (
            paper.fields.currency.as_str(),
            paper.fields.lead_time_days,
            paper.fields.lead_time_sd_days,
            paper.fields.order_cost
        ),
        ("EUR", 12, Decimal::ZERO, Decimal::new(4550, 2)),
        "a new supplier takes the company's currency and no variability unless told"
    );
    let renamed = reference::find::<Supplier>(&demo.ledger, &sven, "SUP-BEV").unwrap();
    assert_eq!(renamed.fields.name, "Beverage Wholesale (renamed)");
    assert_eq!(
        Supplier {
            name: beverages.fields.name.clone(),
            ..renamed.fields.clone()
        },
        beverages.fields,
        "what the file leaves blank is kept"
    );

    imports::reverse(&mut demo.ledger, &sven, id).unwrap();
    let restored = reference::find::<Supplier>(&demo.ledger, &sven, "SUP-BEV").unwrap();
    assert_eq!(restored.fields, beverages.fields);
    let paper = reference::find::<Supplier>(&demo.ledger, &sven, "SUP-PAP").unwrap();
    assert!(
        paper.archived_at.is_some(),
        "what the import created is archived"
    );

    // Maintaining suppliers is Supply Chain's (and the administrator's), not a salesman's.
    let sam = demo.user("sam");
    let refused = imports::preview(
        &demo.ledger,
        &sam,
        &file,
        &request(ImportKind::Suppliers, &file),
        &Silent,
    )
    .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden);
}

#[test]
fn supplier_lines_set_their_terms_a_primary_steps_the_other_back_and_a_reversal_restores_both() {
    let mut demo = TestLedger::demo();
    let sven = demo.user("sven");
    let id_of = |code: &str| {
        reference::find::<Supplier>(&demo.ledger, &sven, code)
            .unwrap()
            .id
    };
    let (home, importer, beverages) = (id_of("SUP-HOU"), id_of("SUP-IMP"), id_of("SUP-BEV"));
    let soap = reference::find::<Product>(&demo.ledger, &sven, "HOU-020")
        .unwrap()
        .id;
    let lines_of =
        |ledger: &Ledger| suppliers::products(ledger, &sven, None, Some(soap), true).unwrap();
    let before = lines_of(&demo.ledger);
    let terms_of = |lines: &[suppliers::SupplierProduct], supplier: Uuid| {
        lines
            .iter()
            .find(|line| line.terms.supplier_id == supplier)
            .map(|line| (line.terms.clone(), line.archived_at.is_some()))
    };
    assert!(terms_of(&before, home).unwrap().0.is_primary);
    assert!(!terms_of(&before, importer).unwrap().0.is_primary);
    assert_eq!(terms_of(&before, beverages), None);

    let file = table(
        "supplier-products.xlsx",
        &[
            &[
                "Supplier",
                "SKU",
                "Supplier SKU",
                "Cost price",
                "Pack size",
                "MOQ",
                "Lead time",
                "Primary",
            ],
            &["SUP-IMP", "HOU-020", "IMP-9", "0,80", "", "", "21", "yes"],
            &["SUP-BEV", "hou-020", "", "1,10", "6", "", "", ""],
            &["SUP-XXX", "BEV-010", "", "1", "", "", "", ""],
            &["SUP-BEV", "NOPE-1", "", "1", "", "", "", ""],
            &["SUP-BEV", "BEV-010", "", "1", "", "", "0", ""],
            &["SUP-BEV", "BEV-020", "", "-1", "", "", "", ""],
            &["SUP-BEV", "BEV-030", "", "1", "0", "", "", ""],
            &["SUP-IMP", "HOU-020", "", "0,70", "", "", "", ""],
        ],
    );
    let (report, id) = import(&mut demo.ledger, &sven, ImportKind::SupplierProducts, &file);
    let found = problems(&report);
    assert_eq!(found.len(), 6, "{found:#?}");
    for (found, expected) in found.iter().zip([
        "row 4, column A (Supplier): supplier: 'SUP-XXX' is not a supplier",
        "row 5, column B (SKU): sku: 'NOPE-1' is not a product",
        "row 6, column G (Lead time): lead_time_days: must be from 1 to 365",
        "row 7, column D (Cost price): cost_price: -1 is negative",
        "row 8, column E (Pack size): pack_size: ",
        "row 9, column B (SKU): sku: this supplier's line for this product is also on row 2",
    ]) {
        assert!(
            found.starts_with(expected),
            "{found} should start with {expected}"
        );
    }
    assert_eq!((report.rows_read, report.rows_valid), (8, 2));

    let after = lines_of(&demo.ledger);
    let (imported, _) = terms_of(&after, importer).unwrap();
    assert_eq!(
        (
            imported.supplier_sku.as_str(),
            imported.cost_price,
            imported.lead_time_days,
            imported.is_primary
        ),
        ("IMP-9", Decimal::new(80, 2), Some(21), true)
    );
    assert_eq!(
        (imported.pack_size, imported.min_order),
        {
            let (old, _) = terms_of(&before, importer).unwrap();
            (old.pack_size, old.min_order)
        },
        "terms the file leaves out are kept"
    );
    assert!(
        !terms_of(&after, home).unwrap().0.is_primary,
        "the other primary steps back"
    );
    let (new, archived) = terms_of(&after, beverages).unwrap();
    assert_eq!(
        (
            new.cost_price,
            new.pack_size,
            new.min_order,
            new.lead_time_days,
            new.is_primary,
            archived
        ),
        (
            Decimal::new(110, 2),
            Decimal::from(6),
            Decimal::ZERO,
            None,
            false,
            false
        ),
        "a new line: the supplier's lead time, not primary"
    );

    imports::reverse(&mut demo.ledger, &sven, id).unwrap();
    let reversed = lines_of(&demo.ledger);
    assert_eq!(terms_of(&reversed, importer), terms_of(&before, importer));
    assert_eq!(
        terms_of(&reversed, home),
        terms_of(&before, home),
        "the primary is back"
    );
    assert!(
        terms_of(&reversed, beverages).unwrap().1,
        "the new line is archived"
    );

    let sam = demo.user("sam");
    let refused = imports::preview(
        &demo.ledger,
        &sam,
        &file,
        &request(ImportKind::SupplierProducts, &file),
        &Silent,
    )
    .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden);
}
