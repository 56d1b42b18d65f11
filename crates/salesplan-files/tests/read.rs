//! Reading real files, one per quirk of point 1 of the imports issue: the
//! committed fixtures come from real writers (see fixtures/make_fixtures.py),
//! the xlsx is written here by rust_xlsxwriter.
#![allow(clippy::unwrap_used)]

use salesplan_core::imports::{Cell, Source};
use salesplan_files::{ReadOptions, Table, read};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn open(name: &str) -> Table {
    read(&fixture(name), &ReadOptions::default()).unwrap_or_else(|error| panic!("{name}: {error}"))
}

/// Every row as (row number, cells shown as text).
fn rows(table: &Table) -> Vec<(usize, Vec<String>)> {
    let mut rows = Vec::new();
    table
        .rows(&mut |number, cells| {
            rows.push((number, cells.iter().map(Cell::shown).collect()));
            true
        })
        .unwrap();
    rows
}

#[test]
fn a_csv_with_a_bom_title_rows_and_trailing_blanks() {
    let table = open("sales-title-rows.csv");
    let info = table.info();
    assert_eq!(info.header_row, 3);
    assert_eq!(
        info.headers,
        [
            "Date",
            "SKU",
            "Branch",
            "Salesman",
            "Customer",
            "Quantity",
            "Unit price",
            "Amount"
        ],
        "the BOM is gone and the empty last column dropped"
    );
    assert_eq!(info.rows, 6, "the empty rows at the end are not rows");
    let rows = rows(&table);
    assert_eq!(rows[0].0, 4);
    assert_eq!(
        rows[0].1,
        [
            "2026-09-03",
            "BEV-010",
            "BR-N",
            "sam",
            "C-N1",
            "12",
            "1.20",
            "14.40"
        ]
    );
    assert_eq!(rows[1].1[4], "", "an empty cell");
    assert_eq!(rows[2].1[7], "4,362.50", "quoted, with a thousands comma");
    assert_eq!(info.content_hash.len(), 64);
}

#[test]
fn a_windows_1252_csv_with_semicolons_and_decimal_commas() {
    let table = open("sales-semicolon-1252.csv");
    let info = table.info();
    assert_eq!(info.headers[3], "Verkäufer", "decoded from Windows-1252");
    assert_eq!(info.rows, 6);
    let rows = rows(&table);
    assert_eq!(
        rows[2].1,
        [
            "14.09.2026",
            "HOU-020",
            "North Branch",
            "Nina Hoffmann",
            "C-N2",
            "1.250",
            "3,49",
            "4.362,50"
        ]
    );
}

#[test]
fn a_tsv_with_month_first_dates() {
    let table = open("sales-month-first.tsv");
    assert_eq!(
        table.info().headers,
        ["Invoice Date", "Item", "Store", "Rep", "Qty", "Price"]
    );
    assert_eq!(
        rows(&table)[3].1[..2],
        ["09/15/2026".to_owned(), "BEV-020".to_owned()]
    );
}

#[test]
fn an_xls_with_the_sales_on_its_second_sheet_below_a_merged_title() {
    // Not told which sheet: the notes sheet holds no table, so the sales sheet is read.
    let table = open("sales-two-sheets.xls");
    assert_eq!(table.info().sheets, ["Notes", "Sales"]);
    assert_eq!(table.info().sheet.as_deref(), Some("Sales"));
    let notes = ReadOptions {
        sheet: Some("notes".into()),
        ..ReadOptions::default()
    };
    let error = read(&fixture("sales-two-sheets.xls"), &notes)
        .err()
        .unwrap();
    assert!(
        error
            .to_string()
            .contains("sheet 'Notes' has no header row"),
        "{error}"
    );
    let info = table.info();
    assert_eq!(info.sheet.as_deref(), Some("Sales"));
    assert_eq!(info.header_row, 3);
    assert_eq!(info.rows, 6);
    let mut first_row = Vec::new();
    table
        .rows(&mut |_, cells| {
            first_row = cells.iter().map(|cell| format!("{cell:?}")).collect();
            false
        })
        .unwrap();
    assert_eq!(first_row[0], "Date(2026-09-03)", "a date cell stays a date");
    assert_eq!(first_row[5], "Number(12.0)");

    let missing = ReadOptions {
        sheet: Some("Returns".into()),
        ..ReadOptions::default()
    };
    let error = read(&fixture("sales-two-sheets.xls"), &missing)
        .err()
        .unwrap();
    assert_eq!(
        error.to_string(),
        "sales-two-sheets.xls: has no sheet 'Returns' (its sheets: Notes, Sales)"
    );
}

#[test]
fn an_ods_with_a_spanning_title_and_date_cells() {
    let table = open("sales-merged-title.ods");
    let info = table.info();
    assert_eq!(info.header_row, 2);
    assert_eq!(
        info.headers,
        [
            "Date",
            "SKU",
            "Branch",
            "Salesman",
            "Customer",
            "Quantity",
            "Unit price"
        ]
    );
    let rows = rows(&table);
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[5].1[0], "2026-09-30");
    assert_eq!(rows[5].1[5], "-2");
}

#[test]
fn an_xlsx_written_by_rust_xlsxwriter() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("written.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Sales").unwrap();
    let title = Format::new().set_bold();
    sheet
        .merge_range(0, 0, 0, 3, "September sales", &title)
        .unwrap();
    for (col, header) in ["Date", "SKU", "Quantity", "Unit price"].iter().enumerate() {
        sheet.write_string(2, col as u16, *header).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    sheet
        .write_datetime_with_format(3, 0, ExcelDateTime::from_ymd(2026, 9, 14).unwrap(), &date)
        .unwrap();
    sheet.write_string(3, 1, "HOU-020").unwrap();
    sheet.write_number(3, 2, 1250).unwrap();
    sheet.write_number(3, 3, 3.49).unwrap();
    book.save(&path).unwrap();

    let table = read(&path, &ReadOptions::default()).unwrap();
    assert_eq!(table.info().header_row, 3);
    let mut cells = Vec::new();
    table
        .rows(&mut |_, row| {
            cells = row.iter().map(|cell| format!("{cell:?}")).collect();
            true
        })
        .unwrap();
    assert_eq!(
        cells,
        [
            "Date(2026-09-14)",
            "Text(\"HOU-020\")",
            "Number(1250.0)",
            "Number(3.49)"
        ]
    );
}

#[test]
fn bad_files_get_a_clear_error() {
    let cases = [
        (
            "not-a-workbook.xlsx",
            "not-a-workbook.xlsx: is not what its name says: it is named .xlsx but holds text",
        ),
        ("empty.csv", "empty.csv: is empty"),
        (
            "no-header.csv",
            "no-header.csv: has no header row (a row naming the columns, such as Date, SKU, Quantity) in its first 50 lines",
        ),
        (
            "password.xlsx",
            "password.xlsx: is password-protected; open it in your spreadsheet program, save it without a password, and import that copy",
        ),
        (
            "bomb.xlsx",
            "bomb.xlsx: would unpack to 1536 MB (at most 400 MB): it may be a zip bomb, or is too big to import",
        ),
    ];
    for (name, expected) in cases {
        let error = read(&fixture(name), &ReadOptions::default()).err().unwrap();
        assert_eq!(error.to_string(), expected);
    }
    let damaged = read(&fixture("damaged.xlsx"), &ReadOptions::default())
        .err()
        .unwrap();
    assert!(
        damaged
            .to_string()
            .starts_with("damaged.xlsx: is damaged and cannot be"),
        "{damaged}"
    );
}

#[test]
fn a_file_too_big_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.csv");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(2 * 1024 * 1024 * 1024).unwrap();
    let error = read(&path, &ReadOptions::default()).err().unwrap();
    assert_eq!(
        error.to_string(),
        "huge.csv: is 2048 MB; files up to 100 MB can be imported (split it, or export fewer rows)"
    );
}

/// Two valid workbooks from calamine's own tests (see fixtures/calamine/README.md):
/// part names with backslashes, and a workbook at the zip's root.
#[test]
fn workbooks_calamine_reads_are_read() {
    let table = open("calamine/issue_530.xlsx");
    assert_eq!(table.info().sheet.as_deref(), Some("出勤分类组织汇总表"));
    assert!(table.info().rows > 0);

    let table = open("calamine/minimal_package.xlsx");
    let info = table.info();
    assert_eq!(info.sheet.as_deref(), Some("Sheet1"));
    assert_eq!(
        info.header_row, 3,
        "below the title and the row of two spaces"
    );
    assert_eq!(info.headers.len(), 36);
    assert_eq!(info.headers[..3], ["BKG_NUM", "BKG_DT", "BKG_TM"]);
    assert_eq!(info.headers[35], "REL_LOC");
}

/// Inputs the fuzzer (scripts/fuzz.sh) found, each with the error it now gets.
#[test]
fn inputs_the_fuzzer_found_are_refused() {
    for (name, expected) in [
        // Its sector chain loops: calamine followed it until memory ran out.
        (
            "sector-loop.xls",
            "sector-loop.xls: is damaged and cannot be read (its sectors are chained in a loop)",
        ),
        // Its sheet claims 4 billion rows: calamine reserved 258 GB for them and aborted.
        (
            "huge-dimensions.xls",
            "an xls sheet has 65536 rows and 256 columns",
        ),
        // Its content breaks off inside its table: calamine's reader looped at the end.
        (
            "unclosed-content.ods",
            "unclosed-content.ods: is damaged and cannot be opened (content.xml: ill-formed document",
        ),
    ] {
        let error = read(&fixture(&format!("fuzz/{name}")), &ReadOptions::default())
            .err()
            .unwrap();
        assert!(error.to_string().contains(expected), "{name}: {error}");
    }
}
