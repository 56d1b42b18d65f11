//! Importing reference data (products, customers) from a table: created or
//! updated by key, every problem reported, reversed as a whole.

use crate::support::TestLedger;
use rust_decimal::Decimal;
use salesplan_core::imports::{
    self, Accept, ImportKind, ImportRequest, MemoryTable, Silent, Source,
};
use salesplan_core::reference::{self, Channel, Customer, Product};

fn table(rows: &[&[&str]]) -> MemoryTable {
    MemoryTable::new(
        "products.csv",
        rows.iter()
            .map(|row| row.iter().map(|cell| (*cell).to_owned()).collect())
            .collect(),
    )
}

fn request(kind: ImportKind, table: &MemoryTable) -> ImportRequest {
    ImportRequest {
        kind,
        mapping: imports::suggest(kind, &table.info().headers),
        decimal_separator: Default::default(),
        date_order: Default::default(),
        budget_id: None,
        force: false,
    }
}

#[test]
fn products_are_created_or_updated_by_sku_and_an_import_reverses_whole() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let water_before = reference::find::<Product>(&demo.ledger, &admin, "BEV-010").unwrap();
    let file = table(&[
        &["SKU", "Name", "Category", "Unit", "Price"],
        &["BEV-900", "Ginger Beer 0.33l", "BEV", "", "1,49"],
        &["bev-010", "Sparkling Water 1L", "BEV", "pcs", "0,99"],
        &["BEV-901", "Tonic", "BVE", "", "1,20"],
        &["BEV-902", "Cola", "BEV", "", "-2"],
        &["BEV-900", "Ginger Beer again", "BEV", "", "1,49"],
        &["", "No SKU", "BEV", "", "1"],
    ]);
    let report = imports::preview(
        &demo.ledger,
        &admin,
        &file,
        &request(ImportKind::Products, &file),
        &Silent,
    )
    .unwrap();
    let found: Vec<String> = report
        .problems
        .iter()
        .map(|problem| problem.describe())
        .collect();
    assert_eq!(
        found,
        [
            "row 4, column C (Category): category: 'BVE' is not a product category in the ledger; did you mean BEV?",
            "row 5, column E (Price): list_price: -2 is negative",
            "row 6, column A (SKU): sku: sku 'BEV-900' is also on row 2",
            "row 7, column A (SKU): sku: is empty",
        ]
    );
    assert_eq!((report.rows_read, report.rows_valid), (6, 2));

    let outcome = imports::commit(
        &mut demo.ledger,
        &admin,
        &file,
        &request(ImportKind::Products, &file),
        Accept::ValidRows,
        &Silent,
    )
    .unwrap();
    assert_eq!(
        (outcome.import.rows_imported, outcome.import.rows_skipped),
        (2, 4)
    );
    let ginger = reference::find::<Product>(&demo.ledger, &admin, "BEV-900").unwrap();
    assert_eq!(
        (ginger.fields.list_price, ginger.fields.unit.as_str()),
        (Decimal::new(149, 2), "pcs")
    );
    let water = reference::find::<Product>(&demo.ledger, &admin, "BEV-010").unwrap();
    assert_eq!(
        water.fields.list_price,
        Decimal::new(99, 2),
        "an existing SKU is updated, whatever its case"
    );

    imports::reverse(&mut demo.ledger, &admin, outcome.import.id).unwrap();
    let water = reference::find::<Product>(&demo.ledger, &admin, "BEV-010").unwrap();
    assert_eq!(water.fields, water_before.fields, "the update is undone");
    let ginger = reference::find::<Product>(&demo.ledger, &admin, "BEV-900").unwrap();
    assert!(
        ginger.archived_at.is_some(),
        "what the import created is archived"
    );
}

#[test]
fn customers_take_a_channel_and_only_reference_editors_import_them() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let file = table(&[
        &["Customer code", "Customer name", "Channel"],
        &["C-X1", "Harbour Kiosk", "Online"],
        &["C-X2", "Dock Shop", "mail order"],
    ]);
    let mut request = request(ImportKind::Customers, &file);
    request.mapping = imports::suggest(ImportKind::Customers, &file.info().headers);
    let report = imports::preview(&demo.ledger, &admin, &file, &request, &Silent).unwrap();
    assert_eq!(
        report.problems[0].describe(),
        "row 3, column C (Channel): channel: 'mail order' is not a channel (retail, wholesale, online, distributor)"
    );
    imports::commit(
        &mut demo.ledger,
        &admin,
        &file,
        &request,
        Accept::ValidRows,
        &Silent,
    )
    .unwrap();
    let kiosk = reference::find::<Customer>(&demo.ledger, &admin, "C-X1").unwrap();
    assert_eq!(kiosk.fields.channel, Channel::Online);

    let sam = demo.user("sam");
    let refused = imports::preview(&demo.ledger, &sam, &file, &request, &Silent).unwrap_err();
    assert_eq!(refused.code(), salesplan_core::ErrorCode::Forbidden);
}
