//! Importing reference data (products, customers) from a table: created or
//! updated by key, every problem reported, reversed as a whole.

use crate::support::{TestLedger, demo_months, month, year_after};
use rust_decimal::Decimal;
use salesplan_core::Actor;
use salesplan_core::imports::{self, Accept, ImportKind, MemoryTable, Silent, Source};
use salesplan_core::reference::{self, Channel, Customer, Product, ReferenceItem};

fn table(rows: &[&[&str]]) -> MemoryTable {
    MemoryTable::new(
        "products.csv",
        rows.iter()
            .map(|row| row.iter().map(|cell| (*cell).to_owned()).collect())
            .collect(),
    )
}

/// Each problem of a report, as the user reads it.
fn described(report: &imports::ImportReport) -> Vec<String> {
    report
        .problems
        .iter()
        .map(|problem| problem.describe())
        .collect()
}

/// The administrator's preview of a products file.
fn preview_products(demo: &TestLedger, admin: &Actor, file: &MemoryTable) -> imports::ImportReport {
    imports::preview(
        &demo.ledger,
        admin,
        file,
        &request(ImportKind::Products, file),
        &Silent,
    )
    .unwrap()
}

use crate::support::import_request as request;

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
    let report = preview_products(&demo, &admin, &file);
    let found = described(&report);
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
    assert_eq!(water.fields.sku, "BEV-010", "and keeps its own spelling");

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

#[test]
fn budget_lines_go_into_an_editable_budget_and_come_out_again() {
    use salesplan_core::budgets::{self, NewBudget, OwnerKind, OwnerRef, Transition};
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let y = year_after(5);
    let y1 = y + 1;
    let new_budget = NewBudget {
        fiscal_year: y,
        scenario: "Base".into(),
        owner: OwnerRef {
            kind: OwnerKind::Salesman,
            id: sam.id,
        },
        from_last_year_percent: None,
        template_id: None,
    };
    let budget = budgets::create(&mut demo.ledger, &sam, new_budget)
        .unwrap()
        .budget;
    let milk = reference::find::<Product>(&demo.ledger, &sam, "DRY-010")
        .unwrap()
        .id;
    budgets::set_line(
        &mut demo.ledger,
        &sam,
        budget.id,
        budgets::LineEdit {
            quantity: Some(Decimal::from(7)),
            ..budgets::LineEdit::new(milk, month(&format!("{y}-03")))
        },
    )
    .unwrap();
    let file = table(&[
        &["SKU", "Month", "Quantity", "Price", "Amount"],
        &["DRY-010", &format!("03/{y}"), "120", "", ""],
        &["BEV-010", &format!("{y}-04"), "", "", "1.500,00"],
        &["BEV-010", &format!("{y1}-01"), "5", "", ""],
        &["XYZ-1", &format!("{y}-05"), "5", "", ""],
        &["BEV-020", &format!("{y}-05"), "-5", "", ""],
        &["DRY-010", &format!("{y}-03"), "1", "", ""],
        &["BEV-020", &format!("{y}-06"), "", "", ""],
    ]);
    let mut request = request(ImportKind::Budget, &file);
    let missing = imports::preview(&demo.ledger, &sam, &file, &request, &Silent).unwrap_err();
    assert_eq!(
        missing.to_string(),
        "budget_id: choose the budget the lines go into"
    );
    request.budget_id = Some(budget.id);
    let report = imports::preview(&demo.ledger, &sam, &file, &request, &Silent).unwrap();
    let found = described(&report);
    assert_eq!(
        found,
        [
            format!(
                "row 4, column B (Month): month: {y1}-01 is outside fiscal year {y} ({y}-01 to {y}-12)"
            ),
            "row 5, column A (SKU): sku: 'XYZ-1' is not a product in the ledger".to_owned(),
            "row 6, column C (Quantity): quantity: -5 is negative".to_owned(),
            format!("row 7, column B (Month): month: DRY-010 {y}-03 is on an earlier row too"),
            "row 8, column C (Quantity): quantity: give a quantity or an amount".to_owned(),
        ]
    );
    let outcome = imports::commit(
        &mut demo.ledger,
        &sam,
        &file,
        &request,
        Accept::ValidRows,
        &Silent,
    )
    .unwrap();
    assert_eq!(outcome.import.target_id, Some(budget.id));
    let sheet = budgets::show(&demo.ledger, &sam, budget.id).unwrap();
    let cell = |sku_id: uuid::Uuid, period: &str| {
        sheet
            .lines
            .iter()
            .find(|l| l.product_id == sku_id && l.period.to_string() == period)
            .cloned()
    };
    let water = reference::find::<Product>(&demo.ledger, &sam, "BEV-010")
        .unwrap()
        .id;
    assert_eq!(
        cell(milk, &format!("{y}-03")).unwrap().quantity,
        Decimal::from(120)
    );
    let typed = cell(water, &format!("{y}-04")).unwrap();
    assert_eq!(
        (typed.amount, typed.amount_entered),
        (Decimal::from(1500), true)
    );

    // Submitted, it cannot be reversed; back in draft, the reversal restores both lines.
    budgets::transition(&mut demo.ledger, &sam, budget.id, Transition::Submit, "").unwrap();
    let refused = imports::reverse(&mut demo.ledger, &sam, outcome.import.id).unwrap_err();
    assert!(
        refused.to_string().contains("cannot be edited"),
        "{refused}"
    );
    let maria = demo.user("maria");
    budgets::transition(
        &mut demo.ledger,
        &maria,
        budget.id,
        Transition::Reject,
        "redo",
    )
    .unwrap();
    imports::reverse(&mut demo.ledger, &sam, outcome.import.id).unwrap();
    let sheet = budgets::show(&demo.ledger, &sam, budget.id).unwrap();
    let cell = |sku_id: uuid::Uuid, period: &str| {
        sheet
            .lines
            .iter()
            .find(|l| l.product_id == sku_id && l.period.to_string() == period)
            .cloned()
    };
    assert_eq!(
        cell(milk, &format!("{y}-03")).unwrap().quantity,
        Decimal::from(7),
        "the line as it was"
    );
    assert_eq!(
        cell(water, &format!("{y}-04")).unwrap().amount,
        Decimal::ZERO,
        "a line the import made is zero again"
    );
    assert_eq!(
        sheet.total_amount,
        cell(milk, &format!("{y}-03")).unwrap().amount
    );
}

#[test]
fn stock_counts_and_movements_add_up_and_a_branch_manager_keeps_to_his_branch() {
    use salesplan_core::stock;
    let mut demo = TestLedger::demo();
    let sven = demo.user("sven");
    // Two products new to the ledger: the demo's own stock history does not move them.
    let admin = demo.user("admin");
    let water = reference::find::<Product>(&demo.ledger, &admin, "BEV-010").unwrap();
    for sku in ["BEV-910", "DRY-910"] {
        let item = ReferenceItem::Product(Product {
            sku: sku.into(),
            ..water.fields.clone()
        });
        reference::create_item(&mut demo.ledger, &admin, item).unwrap();
    }
    let new_items = |rows: Vec<stock::OnHand>| -> Vec<stock::OnHand> {
        rows.into_iter()
            .filter(|row| row.sku.ends_with("-910"))
            .collect()
    };
    let month = demo_months().1;
    let future = month.plus(25);
    let file = table(&[
        &["Date", "Warehouse", "SKU", "Qty", "Type", "Note"],
        &[
            &format!("{month}-01"),
            "WH-1",
            "BEV-910",
            "100",
            "count",
            "opening",
        ],
        &[&format!("{month}-02"), "WH-1", "BEV-910", "40", "issue", ""],
        &[
            &format!("{month}-03"),
            "Central Warehouse",
            "BEV-910",
            "25",
            "Wareneingang",
            "",
        ],
        &[
            &format!("{month}-05"),
            "WH-1",
            "BEV-910",
            "80",
            "",
            "recount",
        ],
        &[&format!("{month}-05"), "WH-1", "DRY-910", "-3", "count", ""],
        &[&format!("{month}-06"), "WH-1", "DRY-910", "3", "theft", ""],
        &[
            &format!("{future}-01"),
            "WH-1",
            "DRY-910",
            "3",
            "receipt",
            "",
        ],
    ]);
    let request = request(ImportKind::Stock, &file);
    let report = imports::preview(&demo.ledger, &sven, &file, &request, &Silent).unwrap();
    let found = described(&report);
    assert_eq!(
        found,
        [
            "row 6, column D (Qty): quantity: -3 is negative; a count cannot be below zero",
            "row 7, column E (Type): reason: 'theft' is not a kind of stock entry (count, receipt, issue, sale, transfer_in, transfer_out, adjustment)",
            format!("row 8, column A (Date): date: {future}-01 is in the future").as_str(),
        ]
    );
    let outcome = imports::commit(
        &mut demo.ledger,
        &sven,
        &file,
        &request,
        Accept::ValidRows,
        &Silent,
    )
    .unwrap();
    assert_eq!(outcome.import.rows_imported, 4);
    // 100 counted, 40 out, 25 in (85), then counted at 80: on hand is the count.
    let on_hand = new_items(stock::on_hand(&demo.ledger, &sven).unwrap());
    let water: Vec<_> = on_hand.iter().filter(|row| row.sku == "BEV-910").collect();
    assert_eq!(
        (
            water.len(),
            water[0].location_code.as_str(),
            water[0].quantity
        ),
        (1, "WH-1", Decimal::from(80))
    );
    let movements = crate::support::count(
        &demo.path(),
        "SELECT count(*) FROM stock_movements WHERE reason = 'count' AND CAST(quantity AS INTEGER) = -5
           AND import_id IS NOT NULL",
    );
    assert_eq!(
        movements, 1,
        "the recount is stored as the movement of -5 that brings 85 to 80"
    );

    let bella = demo.user("bella");
    let refused = imports::preview(&demo.ledger, &bella, &file, &request, &Silent).unwrap();
    assert_eq!(
        refused
            .counts
            .iter()
            .find(|c| c.kind == imports::ProblemKind::OutOfScope)
            .map(|c| c.rows),
        Some(7),
        "every row is at the warehouse"
    );
    assert!(
        stock::on_hand(&demo.ledger, &bella)
            .unwrap()
            .iter()
            .all(|row| row.location_code == "BR-N"),
        "the warehouse is not bella's branch"
    );
    let sam = demo.user("sam");
    assert_eq!(
        imports::preview(&demo.ledger, &sam, &file, &request, &Silent)
            .unwrap_err()
            .code(),
        salesplan_core::ErrorCode::Forbidden
    );

    imports::reverse(&mut demo.ledger, &sven, outcome.import.id).unwrap();
    assert!(
        new_items(stock::on_hand(&demo.ledger, &sven).unwrap())
            .iter()
            .all(|row| row.quantity.is_zero())
    );
}

/// A sale whose amount over its quantity would overflow a decimal (a quantity
/// of 10⁻²⁸ and an amount of 999,999,999) is a cell problem with its row and
/// column, in a dry run and a commit alike, never a panic.
#[test]
fn a_quantity_too_fine_for_the_ledger_is_a_cell_problem_not_a_crash() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let day = format!("{}-15", crate::support::open_month());
    let file = MemoryTable::new(
        "tiny.csv",
        vec![
            vec![
                "Date".into(),
                "SKU".into(),
                "Branch".into(),
                "Quantity".into(),
                "Amount".into(),
            ],
            vec![
                day.clone(),
                "DRY-010".into(),
                "BR-N".into(),
                "0.0000000000000000000000000001".into(),
                "999999999".into(),
            ],
            vec![
                day,
                "DRY-010".into(),
                "BR-N".into(),
                "2".into(),
                "3.12345".into(),
            ],
        ],
    );
    let request = request(ImportKind::Actuals, &file);
    let report = imports::preview(&demo.ledger, &admin, &file, &request, &Silent).unwrap();
    let found = described(&report);
    assert_eq!(
        found,
        [
            "row 2, column D (Quantity): quantity: 0.0000000000000000000000000001 has more than 6 decimal places",
            "row 3, column E (Amount): amount: 3.12345 has more than 4 decimal places",
        ]
    );
    let refused = imports::commit(
        &mut demo.ledger,
        &admin,
        &file,
        &request,
        Accept::ValidRows,
        &Silent,
    )
    .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "file: tiny.csv has no valid rows to import"
    );
}

/// A code a spreadsheet would read as a formula is refused on the way in,
/// so that an export's neutralisation never changes a code.
#[test]
fn codes_that_start_like_a_formula_are_refused() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let file = table(&[
        &["SKU", "Name", "Category", "Unit", "Price"],
        &["=1+1", "Formula", "BEV", "pcs", "1"],
        &["-X", "Minus", "BEV", "pcs", "1"],
        &["BEV-950", "Fine", "BEV", "pcs", "1"],
    ]);
    let report = preview_products(&demo, &admin, &file);
    let found = described(&report);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found
            .iter()
            .all(|problem| problem.contains("must not start with")),
        "{found:?}"
    );
    assert_eq!(report.rows_valid, 1);
    let by_hand = reference::create(
        &mut demo.ledger,
        &admin,
        Customer {
            code: "@SUM".into(),
            name: "At".into(),
            channel: Channel::Retail,
            location_id: None,
        },
    )
    .unwrap_err();
    assert!(
        by_hand
            .to_string()
            .starts_with("code: must not start with '@'"),
        "{by_hand}"
    );
}
