//! A budget exported, edited in a spreadsheet program and imported back (issue
//! #19): exactly the edited cells change, one change record each; a cell also
//! changed in the app since the export is a conflict and keeps the app's value.
//! The spreadsheet programs are real: rust_xlsxwriter writes the edited
//! workbook, and LibreOffice (headless, where installed) reads the export and
//! writes the edited file.
#![allow(clippy::unwrap_used)]

use calamine::{Data, Reader, open_workbook_auto};
use rust_decimal::Decimal;
use salesplan_core::budgets::{self, LineEdit, NewBudget, OwnerKind, OwnerRef};
use salesplan_core::demo::{self, DEMO_PASSWORD};
use salesplan_core::exports::{self, ExportWhat};
use salesplan_core::imports::round_trip::{self, CellChangeKind};
use salesplan_core::imports::{self, Accept, Silent, Source};
use salesplan_core::month::Month;
use salesplan_core::{Actor, Ledger, users};
use salesplan_files::export::{ExportFormat, write};
use salesplan_files::{ReadOptions, Table, read};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use uuid::Uuid;

const AS_OF: salesplan_core::month::Month = salesplan_core::month::Month::new(2026, 10);

struct Demo {
    ledger: Ledger,
    sam: Actor,
    budget: Uuid,
    dir: tempfile::TempDir,
}

/// (SKU, month) → quantity.
type Quantities = BTreeMap<(String, String), Decimal>;

impl Demo {
    /// The demo company, and Sam's 2027 budget made from last year's sales.
    fn new() -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let (mut ledger, _) = demo::create_as_of(&dir.path().join("ledger.db"), AS_OF).unwrap();
        let sam = users::sign_in(&ledger, "sam", DEMO_PASSWORD).unwrap();
        let new_budget = NewBudget {
            fiscal_year: 2027,
            scenario: "Base".into(),
            owner: OwnerRef {
                kind: OwnerKind::Salesman,
                id: sam.id,
            },
            from_last_year_percent: Some(Decimal::from(5)),
            template_id: None,
        };
        let budget = budgets::create(&mut ledger, &sam, new_budget)
            .unwrap()
            .budget
            .id;
        Demo {
            ledger,
            sam,
            budget,
            dir,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn export(&mut self, format: ExportFormat, name: &str) -> PathBuf {
        let what = ExportWhat::Budget { id: self.budget };
        let table = exports::table(&mut self.ledger, &self.sam, &what).unwrap();
        let path = self.path(name);
        write(&table, format, &path, &Silent).unwrap();
        path
    }

    fn quantities(&self) -> Quantities {
        let sheet = budgets::show(&self.ledger, &self.sam, self.budget).unwrap();
        let products = salesplan_core::reference::list::<salesplan_core::reference::Product>(
            &self.ledger,
            &self.sam,
            true,
        )
        .unwrap();
        let sku = |id: Uuid| {
            products
                .iter()
                .find(|product| product.id == id)
                .unwrap()
                .fields
                .sku
                .clone()
        };
        sheet
            .lines
            .iter()
            .filter(|line| !line.quantity.is_zero())
            .map(|line| {
                (
                    (sku(line.product_id), line.period.to_string()),
                    line.quantity.normalize(),
                )
            })
            .collect()
    }

    fn changes_recorded(&self) -> i64 {
        let conn = rusqlite::Connection::open(self.ledger.path()).unwrap();
        conn.query_row("SELECT count(*) FROM outbox", [], |row| row.get(0))
            .unwrap()
    }

    fn set(&mut self, sku: &str, period: &str, quantity: i64) {
        let product = salesplan_core::reference::list::<salesplan_core::reference::Product>(
            &self.ledger,
            &self.sam,
            true,
        )
        .unwrap()
        .into_iter()
        .find(|product| product.fields.sku == sku)
        .unwrap();
        let edit = LineEdit {
            quantity: Some(Decimal::from(quantity)),
            ..LineEdit::new(product.id, Month::parse("month", period).unwrap())
        };
        budgets::set_line(&mut self.ledger, &self.sam, self.budget, edit).unwrap();
    }
}

fn open(path: &Path) -> Table {
    read(path, &ReadOptions::default()).unwrap()
}

/// A sheet's cells as calamine reads them.
fn cells_of(path: &Path) -> Vec<Vec<Data>> {
    let mut book = open_workbook_auto(path).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

/// Writes cells as a spreadsheet program saving the file would: text as text, numbers as numbers.
fn save_xlsx(cells: &[Vec<Data>], path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (row, values) in cells.iter().enumerate() {
        for (column, value) in values.iter().enumerate() {
            let (row, column) = (u32::try_from(row).unwrap(), u16::try_from(column).unwrap());
            match value {
                Data::String(text) => {
                    sheet.write_string(row, column, text).unwrap();
                }
                Data::Float(number) => {
                    sheet.write_number(row, column, *number).unwrap();
                }
                Data::Int(number) => {
                    sheet.write_number(row, column, *number as f64).unwrap();
                }
                Data::Empty => {}
                other => panic!("an export holds no {other:?}"),
            }
        }
    }
    book.save(path).unwrap();
}

/// The column of a month and the row of a SKU in an exported grid (stamp in row 1, headers in row 2).
fn at(cells: &[Vec<Data>], sku: &str, period: &str) -> (usize, usize) {
    let column = cells[1]
        .iter()
        .position(|header| *header == period)
        .unwrap();
    let row = cells.iter().position(|row| row[0] == sku).unwrap();
    (row, column)
}

fn with(quantities: &Quantities, changes: &[(&str, &str, Option<i64>)]) -> Quantities {
    let mut expected = quantities.clone();
    for (sku, period, quantity) in changes {
        let key = ((*sku).to_owned(), (*period).to_owned());
        match quantity {
            Some(quantity) => expected.insert(key, Decimal::from(*quantity)),
            None => expected.remove(&key),
        };
    }
    expected
}

#[test]
fn a_budget_edited_in_three_cells_writes_three_lines_and_reverses() {
    let mut demo = Demo::new();
    // A cell the budget holds nothing in: the product's July is zero.
    let new_sku = {
        let sheet = budgets::show(&demo.ledger, &demo.sam, demo.budget).unwrap();
        let product = sheet.lines[sheet.lines.len() / 2].product_id;
        salesplan_core::reference::list::<salesplan_core::reference::Product>(
            &demo.ledger,
            &demo.sam,
            true,
        )
        .unwrap()
        .into_iter()
        .find(|candidate| candidate.id == product)
        .unwrap()
        .fields
        .sku
    };
    demo.set(&new_sku, "2027-07", 0);
    let before = demo.quantities();
    let exported = demo.export(ExportFormat::Xlsx, "budget.xlsx");
    let mut cells = cells_of(&exported);
    assert!(
        cells[0][0]
            .to_string()
            .starts_with("Salesplan budget export | 2027 Base Sam Becker"),
        "the stamp is the first line: {}",
        cells[0][0]
    );
    let skus: Vec<String> = cells[2..].iter().map(|row| row[0].to_string()).collect();
    let (first, second) = (skus[0].clone(), skus[1].clone());
    let (row, column) = at(&cells, &first, "2027-03");
    let old = before[&(first.clone(), "2027-03".to_owned())];
    cells[row][column] = Data::Float(123.0);
    let (row, column) = at(&cells, &second, "2027-04");
    cells[row][column] = Data::Empty;
    let (row, column) = at(&cells, &new_sku, "2027-07");
    assert_eq!(cells[row][column], Data::Float(0.0));
    cells[row][column] = Data::Float(40.0);
    let edited = demo.path("budget edited.xlsx");
    save_xlsx(&cells, &edited);

    let table = open(&edited);
    assert_eq!(table.info().stamp.as_ref().unwrap().budget_id, demo.budget);
    let diff = round_trip::compare(&demo.ledger, &demo.sam, &table).unwrap();
    let changes: Vec<(String, String, CellChangeKind, String, String)> = diff
        .changes
        .iter()
        .map(|change| {
            (
                change.sku.clone(),
                change.period.to_string(),
                change.kind,
                change.before.to_string(),
                change.after.to_string(),
            )
        })
        .collect();
    let old_april = before[&(second.clone(), "2027-04".to_owned())];
    let mut expected = vec![
        (
            first.clone(),
            "2027-03".to_owned(),
            CellChangeKind::Changed,
            old.to_string(),
            "123".to_owned(),
        ),
        (
            second.clone(),
            "2027-04".to_owned(),
            CellChangeKind::Removed,
            old_april.to_string(),
            "0".to_owned(),
        ),
        (
            new_sku.clone(),
            "2027-07".to_owned(),
            CellChangeKind::Added,
            "0".to_owned(),
            "40".to_owned(),
        ),
    ];
    expected.sort();
    let mut changes = changes;
    changes.sort();
    assert_eq!(changes, expected);
    assert_eq!((diff.changed, diff.added, diff.removed), (1, 1, 1));
    assert_eq!(
        diff.unchanged,
        skus.len() * 12 - 3,
        "every other cell of the file"
    );
    assert!(diff.conflicts.is_empty() && diff.problems.is_empty() && diff.export_kept);

    let recorded = demo.changes_recorded();
    let written =
        round_trip::apply(&mut demo.ledger, &demo.sam, &table, Accept::AllOrNothing).unwrap();
    assert_eq!(
        demo.changes_recorded() - recorded,
        4,
        "three lines and the import, one change record each"
    );
    let after = with(
        &before,
        &[
            (&first, "2027-03", Some(123)),
            (&second, "2027-04", None),
            (&new_sku, "2027-07", Some(40)),
        ],
    );
    assert_eq!(demo.quantities(), after);

    let again = round_trip::apply(
        &mut demo.ledger,
        &demo.sam,
        &open(&edited),
        Accept::AllOrNothing,
    )
    .unwrap_err()
    .to_string();
    assert!(again.contains("changes nothing in budget"), "{again}");

    imports::reverse(&mut demo.ledger, &demo.sam, written.import.id).unwrap();
    assert_eq!(demo.quantities(), before, "the import reverses as a whole");
}

#[test]
fn a_cell_changed_in_the_app_since_the_export_is_a_conflict_and_keeps_the_apps_value() {
    let mut demo = Demo::new();
    let exported = demo.export(ExportFormat::Csv, "budget.csv");
    let text = std::fs::read_to_string(&exported).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("\"Salesplan budget export | ")
            || lines[0].starts_with("Salesplan budget export | ")
    );
    let headers: Vec<&str> = lines[1].split(',').collect();
    let row =
        |index: usize| -> Vec<String> { lines[index].split(',').map(str::to_owned).collect() };
    let (a, b, c) = (row(2)[0].clone(), row(3)[0].clone(), row(4)[0].clone());
    let march = headers
        .iter()
        .position(|header| *header == "2027-03")
        .unwrap();
    // In the app since the export: A and B change.
    demo.set(&a, "2027-03", 500);
    demo.set(&b, "2027-03", 600);
    let in_app = demo.quantities();
    // In the file: A and C change; B is left as exported.
    let mut edited: Vec<String> = lines.iter().map(|line| (*line).to_owned()).collect();
    for (index, quantity) in [(2, "7"), (4, "9")] {
        let mut fields = row(index);
        fields[march] = quantity.to_owned();
        edited[index] = fields.join(",");
    }
    let path = demo.path("budget edited.csv");
    std::fs::write(&path, edited.join("\n")).unwrap();

    let diff = round_trip::compare(&demo.ledger, &demo.sam, &open(&path)).unwrap();
    assert_eq!(diff.conflicts.len(), 1, "{:?}", diff.conflicts);
    let conflict = &diff.conflicts[0];
    assert_eq!(
        (
            conflict.sku.as_str(),
            conflict.period.to_string().as_str(),
            conflict.in_file,
            conflict.in_budget
        ),
        (a.as_str(), "2027-03", Decimal::from(7), Decimal::from(500))
    );
    assert_eq!(conflict.exported, Some(row(2)[march].parse().unwrap()));
    assert_eq!(
        diff.kept_from_budget, 1,
        "B: changed in the app, not in the file"
    );
    assert_eq!(diff.changes.len(), 1);
    assert_eq!(
        (diff.changes[0].sku.as_str(), diff.changes[0].after),
        (c.as_str(), Decimal::from(9))
    );

    let recorded = demo.changes_recorded();
    let refused = round_trip::apply(
        &mut demo.ledger,
        &demo.sam,
        &open(&path),
        Accept::AllOrNothing,
    )
    .unwrap_err()
    .to_string();
    assert!(
        refused.contains("1 cell changed both in the file and in the budget since the export")
            && refused.contains("nothing was imported"),
        "{refused}"
    );
    assert_eq!(
        demo.changes_recorded(),
        recorded,
        "a refusal writes nothing"
    );
    round_trip::apply(&mut demo.ledger, &demo.sam, &open(&path), Accept::ValidRows).unwrap();
    assert_eq!(
        demo.quantities(),
        with(&in_app, &[(&c, "2027-03", Some(9))])
    );
}

#[test]
fn an_export_this_ledger_does_not_keep_counts_cells_written_since_as_conflicts() {
    let mut demo = Demo::new();
    let exported = demo.export(ExportFormat::Xlsx, "budget.xlsx");
    let mut cells = cells_of(&exported);
    let (first, second) = (cells[2][0].to_string(), cells[3][0].to_string());
    // Exported from another copy of the ledger: this one never kept it.
    rusqlite::Connection::open(demo.ledger.path())
        .unwrap()
        .execute("DELETE FROM budget_exports", [])
        .unwrap();
    demo.set(&first, "2027-05", 321);
    for sku in [&first, &second] {
        let (row, column) = at(&cells, sku, "2027-05");
        cells[row][column] = Data::Float(11.0);
    }
    let edited = demo.path("edited.xlsx");
    save_xlsx(&cells, &edited);
    let diff = round_trip::compare(&demo.ledger, &demo.sam, &open(&edited)).unwrap();
    assert!(!diff.export_kept);
    let conflicts: Vec<(&str, Option<Decimal>)> = diff
        .conflicts
        .iter()
        .map(|conflict| (conflict.sku.as_str(), conflict.exported))
        .collect();
    assert_eq!(conflicts, [(first.as_str(), None)]);
    let changed: Vec<&str> = diff
        .changes
        .iter()
        .map(|change| change.sku.as_str())
        .collect();
    assert_eq!(changed, [second.as_str()]);
}

#[test]
fn a_file_that_is_not_an_export_or_names_an_unknown_product_is_told_so() {
    let mut demo = Demo::new();
    let exported = demo.export(ExportFormat::Csv, "budget.csv");
    let text = std::fs::read_to_string(&exported).unwrap();
    let unstamped = demo.path("plain.csv");
    std::fs::write(
        &unstamped,
        text.lines().skip(1).collect::<Vec<_>>().join("\n"),
    )
    .unwrap();
    let plain = read(
        &unstamped,
        &ReadOptions {
            header_row: Some(1),
            ..ReadOptions::default()
        },
    )
    .unwrap();
    let refused = round_trip::compare(&demo.ledger, &demo.sam, &plain)
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("is not a budget exported by Salesplan"),
        "{refused}"
    );

    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[2] = lines[2]
        .replacen(',', "X,", 1)
        .replacen(",83,", ",lots,", 1);
    let typo = demo.path("typo.csv");
    std::fs::write(&typo, lines.join("\n")).unwrap();
    let diff = round_trip::compare(&demo.ledger, &demo.sam, &open(&typo)).unwrap();
    let problem = diff.problems[0].describe();
    assert!(
        problem.starts_with("row 3, column A (SKU): sku: '") && problem.contains("did you mean"),
        "{problem}"
    );
    assert!(
        diff.changes.is_empty(),
        "a row that cannot be read is not taken as deleted: {:?}",
        diff.changes
    );
}

/// LibreOffice where installed (`libreoffice-calc-nogui`; scripts/setup.sh installs it).
fn soffice() -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("soffice"))
            .find(|path| path.is_file())
    })
}

/// Converts `file` with LibreOffice headless into `format` in `out`, with a profile of its own.
fn convert(soffice: &Path, file: &Path, format: &str, out: &Path) -> PathBuf {
    let profile = out.join("profile");
    let status = std::process::Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            format,
            "--outdir",
        ])
        .arg(out)
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(
        status.success(),
        "LibreOffice could not convert {}",
        file.display()
    );
    let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
    let extension = format.split(':').next().unwrap();
    out.join(format!("{stem}.{extension}"))
}

#[test]
fn a_budget_edited_in_libreoffice_changes_exactly_the_edited_cells() {
    let Some(soffice) = soffice() else {
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return;
    };
    let mut demo = Demo::new();
    let before = demo.quantities();
    let exported = demo.export(ExportFormat::Xlsx, "budget.xlsx");
    // LibreOffice reads the export; the edit is made in its text, and LibreOffice writes the workbook.
    let work = demo.path("libreoffice");
    std::fs::create_dir_all(&work).unwrap();
    // Values as stored, not as shown (an amount shown as "8,449.74 EUR" would hold a comma).
    let as_text = convert(
        &soffice,
        &exported,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false",
        &work,
    );
    let text = std::fs::read_to_string(&as_text).unwrap();
    let mut lines: Vec<Vec<String>> = text
        .lines()
        .map(|line| line.split(',').map(str::to_owned).collect())
        .collect();
    let march = lines[1]
        .iter()
        .position(|header| header == "2027-03")
        .unwrap();
    let august = lines[1]
        .iter()
        .position(|header| header == "2027-08")
        .unwrap();
    let (a, b) = (lines[2][0].clone(), lines[5][0].clone());
    lines[2][march] = "77".into();
    lines[5][august] = "88".into();
    let edited = work.join("edited.csv");
    std::fs::write(
        &edited,
        lines
            .iter()
            .map(|line| line.join(","))
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .unwrap();
    let workbook = convert(&soffice, &edited, "xlsx", &work);
    let table = open(&workbook);
    let diff = round_trip::compare(&demo.ledger, &demo.sam, &table).unwrap();
    assert_eq!(diff.changes.len(), 2, "{:?}", diff.changes);
    round_trip::apply(&mut demo.ledger, &demo.sam, &table, Accept::AllOrNothing).unwrap();
    assert_eq!(
        demo.quantities(),
        with(
            &before,
            &[(&a, "2027-03", Some(77)), (&b, "2027-08", Some(88))]
        )
    );
}

/// Imports a reference export back with the mapping its headers suggest; answers the change records written.
fn import_reference(demo: &mut Demo, admin: &Actor, kind: imports::ImportKind, path: &Path) -> i64 {
    let table = open(path);
    let request = imports::ImportRequest {
        kind,
        mapping: imports::suggest(kind, &table.info().headers),
        decimal_separator: imports::DecimalSeparator::Auto,
        date_order: imports::DateOrder::Auto,
        budget_id: None,
        force: true,
    };
    let recorded = demo.changes_recorded();
    imports::commit(
        &mut demo.ledger,
        admin,
        &table,
        &request,
        Accept::AllOrNothing,
        &Silent,
    )
    .unwrap();
    demo.changes_recorded() - recorded
}

#[test]
fn products_and_customers_come_back_by_their_codes_and_only_edited_records_are_written() {
    use salesplan_core::reference::{self, Customer, Product, ReferenceKind};
    let mut demo = Demo::new();
    let admin = users::sign_in(&demo.ledger, "admin", DEMO_PASSWORD).unwrap();
    let mut export = |kind: ReferenceKind, name: &str| {
        let what = ExportWhat::Reference { kind };
        let table = exports::table(&mut demo.ledger, &admin, &what).unwrap();
        let path = demo.dir.path().join(name);
        write(&table, ExportFormat::Csv, &path, &Silent).unwrap();
        std::fs::read_to_string(&path).unwrap()
    };
    let products = export(ReferenceKind::Product, "products.csv");
    let customers = export(ReferenceKind::Customer, "customers.csv");
    assert!(
        products.starts_with("sku,name,active,category,list_price,unit\n"),
        "{products}"
    );
    assert!(
        customers.starts_with("code,name,channel,location\n"),
        "{customers}"
    );
    let as_is = demo.path("products as is.csv");
    std::fs::write(&as_is, &products).unwrap();
    assert_eq!(
        import_reference(&mut demo, &admin, imports::ImportKind::Products, &as_is),
        1,
        "the file as exported (a category by its code) changes nothing: only the import is recorded"
    );

    // One price and one product's category changed; one customer moved to another branch.
    let mut lines: Vec<String> = products.lines().map(str::to_owned).collect();
    let first: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
    let (sku, price) = (first[0].clone(), first[4].clone());
    lines[1] = lines[1].replacen(&format!(",{price},"), ",99.95,", 1);
    let other_category = lines
        .iter()
        .skip(1)
        .map(|line| line.split(',').nth(3).unwrap().to_owned())
        .find(|category| *category != first[3])
        .unwrap();
    let second_sku = lines[2].split(',').next().unwrap().to_owned();
    let mut second: Vec<String> = lines[2].split(',').map(str::to_owned).collect();
    second[3] = other_category.clone();
    lines[2] = second.join(",");
    let edited = demo.path("products edited.csv");
    std::fs::write(&edited, lines.join("\n")).unwrap();
    assert_eq!(
        import_reference(&mut demo, &admin, imports::ImportKind::Products, &edited),
        3
    );
    let stored = reference::list::<Product>(&demo.ledger, &admin, false).unwrap();
    let find = |sku: &str| {
        stored
            .iter()
            .find(|product| product.fields.sku == sku)
            .unwrap()
    };
    assert_eq!(
        find(&sku).fields.list_price,
        "99.95".parse::<Decimal>().unwrap()
    );
    let categories =
        reference::list::<reference::ProductCategory>(&demo.ledger, &admin, false).unwrap();
    let category = categories
        .iter()
        .find(|category| category.id == find(&second_sku).fields.category_id)
        .unwrap();
    assert_eq!(category.fields.code, other_category);

    let mut lines: Vec<String> = customers.lines().map(str::to_owned).collect();
    let mut first: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
    let branch = lines
        .iter()
        .skip(1)
        .filter_map(|line| line.split(',').nth(3))
        .find(|branch| !branch.is_empty() && *branch != first[3])
        .unwrap()
        .to_owned();
    first[3] = branch.clone();
    let code = first[0].clone();
    lines[1] = first.join(",");
    let edited = demo.path("customers edited.csv");
    std::fs::write(&edited, lines.join("\n")).unwrap();
    assert_eq!(
        import_reference(&mut demo, &admin, imports::ImportKind::Customers, &edited),
        2
    );
    let customer = reference::list::<Customer>(&demo.ledger, &admin, false)
        .unwrap()
        .into_iter()
        .find(|customer| customer.fields.code == code)
        .unwrap();
    let location = reference::list::<reference::Location>(&demo.ledger, &admin, false)
        .unwrap()
        .into_iter()
        .find(|location| Some(location.id) == customer.fields.location_id)
        .unwrap();
    assert_eq!(location.fields.code, branch);
}

#[test]
fn locations_departments_categories_and_suppliers_come_back_with_only_the_edited_record_written() {
    use salesplan_core::reference::ReferenceKind;
    let mut demo = Demo::new();
    let admin = users::sign_in(&demo.ledger, "admin", DEMO_PASSWORD).unwrap();
    for (kind, import, header) in [
        (
            ReferenceKind::Location,
            imports::ImportKind::Locations,
            "code,name,city,kind",
        ),
        (
            ReferenceKind::Department,
            imports::ImportKind::Departments,
            "code,name",
        ),
        (
            ReferenceKind::ProductCategory,
            imports::ImportKind::ProductCategories,
            "code,name",
        ),
        (
            ReferenceKind::BudgetCategory,
            imports::ImportKind::BudgetCategories,
            "code,name",
        ),
        (
            ReferenceKind::Supplier,
            imports::ImportKind::Suppliers,
            "code,name,contact,currency,lead_time_days,lead_time_sd_days,order_cost",
        ),
    ] {
        let what = ExportWhat::Reference { kind };
        let table = exports::table(&mut demo.ledger, &admin, &what).unwrap();
        let path = demo.path("reference.csv");
        write(&table, ExportFormat::Csv, &path, &Silent).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(&format!("{header}\n")), "{kind:?}: {text}");
        assert_eq!(
            import_reference(&mut demo, &admin, import, &path),
            1,
            "{kind:?} as exported writes nothing but the import"
        );
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let mut fields: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
        fields[1] = format!("{} (renamed)", fields[1]);
        lines[1] = fields.join(",");
        std::fs::write(&path, lines.join("\n")).unwrap();
        assert_eq!(
            import_reference(&mut demo, &admin, import, &path),
            2,
            "{kind:?}: the renamed record and the import"
        );
        let again = exports::table(&mut demo.ledger, &admin, &what).unwrap();
        assert!(
            again
                .rows
                .iter()
                .any(|row| row[1] == fields[1].as_str().into()),
            "{kind:?}: {:?}",
            again.rows
        );
    }
}

#[test]
fn supplier_lines_come_back_by_supplier_and_sku_and_only_an_edited_price_is_written() {
    use salesplan_core::reference::{self, Product, Supplier};
    let mut demo = Demo::new();
    let sven = users::sign_in(&demo.ledger, "sven", DEMO_PASSWORD).unwrap();
    for format in [ExportFormat::Xlsx, ExportFormat::Csv] {
        let table = exports::table(&mut demo.ledger, &sven, &ExportWhat::SupplierProducts).unwrap();
        assert!(
            table.rows.len() > 40,
            "every live line: {}",
            table.rows.len()
        );
        let path = demo.path(match format {
            ExportFormat::Xlsx => "supplier-products.xlsx",
            ExportFormat::Csv => "supplier-products.csv",
        });
        write(&table, format, &path, &Silent).unwrap();
        assert_eq!(
            import_reference(
                &mut demo,
                &sven,
                imports::ImportKind::SupplierProducts,
                &path
            ),
            1,
            "{format:?}: as exported, nothing but the import is written"
        );
    }
    // The soap's importer line, a cost price edited in the file.
    let table = exports::table(&mut demo.ledger, &sven, &ExportWhat::SupplierProducts).unwrap();
    let path = demo.path("edited.csv");
    write(&table, ExportFormat::Csv, &path, &Silent).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let row = lines
        .iter()
        .position(|line| line.starts_with("SUP-IMP,HOU-020,"))
        .expect("the importer sells soap");
    let mut cells: Vec<String> = lines[row].split(',').map(str::to_owned).collect();
    cells[3] = "0.77".into();
    lines[row] = cells.join(",");
    std::fs::write(&path, lines.join("\n")).unwrap();
    assert_eq!(
        import_reference(
            &mut demo,
            &sven,
            imports::ImportKind::SupplierProducts,
            &path
        ),
        2,
        "the edited line and the import"
    );
    let importer = reference::find::<Supplier>(&demo.ledger, &sven, "SUP-IMP").unwrap();
    let soap = reference::find::<Product>(&demo.ledger, &sven, "HOU-020").unwrap();
    let line = salesplan_core::suppliers::products(
        &demo.ledger,
        &sven,
        Some(importer.id),
        Some(soap.id),
        false,
    )
    .unwrap()
    .pop()
    .unwrap();
    assert_eq!(line.terms.cost_price, Decimal::new(77, 2));
}
