//! Exports written and read back: by calamine for xlsx (equal to what was
//! exported), as text for csv; formulas never survive; nothing half-written.
#![allow(clippy::unwrap_used)]

use calamine::{Data, Reader, open_workbook_auto};
use rust_decimal::Decimal;
use salesplan_core::demo::{self, DEMO_PASSWORD};
use salesplan_core::exports::{self, Column, ColumnKind, ExportTable, ExportWhat, Value};
use salesplan_core::imports::{Progress, Silent};
use salesplan_core::users;
use salesplan_files::export::{ExportFormat, write};
use std::path::Path;

/// The fixtures hold sales of September 2026: the demo as of October 2026 has it open.
const FIXTURES_MONTH: salesplan_core::month::Month = salesplan_core::month::Month::new(2026, 10);

fn sample() -> ExportTable {
    let column = |header: &str, kind| Column {
        header: header.into(),
        kind,
    };
    let mut rows = Vec::new();
    for (name, amount) in [
        ("=HYPERLINK(\"http://evil\",\"x\")", "12.50"),
        ("+41 79 000", "-3.25"),
        ("-1+2", "0"),
        ("@SUM(A1)", "1234567.89"),
        ("\tTabbed", "7"),
        ("Plain, with \"quotes\"", "0.10"),
    ] {
        rows.push(vec![
            Value::Text(name.into()),
            Value::Number(amount.parse().unwrap()),
            Value::Date("2026-09-14".into()),
            Value::Date("2026-09".into()),
            Value::Number(Decimal::new(125, 1)),
            Value::Empty,
        ]);
    }
    ExportTable {
        title: "Risky: names [test]".into(),
        currency: "EUR".into(),
        columns: vec![
            column("Name", ColumnKind::Text),
            column("Amount", ColumnKind::Money),
            column("Day", ColumnKind::Date),
            column("Month", ColumnKind::Month),
            column("Share", ColumnKind::Percent),
            column("Nothing", ColumnKind::Text),
        ],
        rows,
        stamp: None,
    }
}

/// The first sheet's cells, as calamine reads them.
fn read_back(path: &Path) -> (String, Vec<Vec<Data>>) {
    let mut book = open_workbook_auto(path).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let formulas = book.worksheet_formula(&name).unwrap();
    assert!(
        formulas
            .used_cells()
            .all(|(_, _, formula)| formula.is_empty()),
        "no cell holds a formula"
    );
    (name, range.rows().map(<[Data]>::to_vec).collect())
}

/// A value as calamine gives it back for comparison with what was exported.
fn same(exported: &Value, read: &Data) -> bool {
    match (exported, read) {
        (Value::Empty, Data::Empty) => true,
        (Value::Text(text), Data::String(back)) => text == back,
        (Value::Number(number), Data::Float(back)) => {
            number.to_string().parse::<f64>().unwrap() == *back
        }
        (Value::Date(day), Data::DateTime(moment)) => {
            let (year, month, date, ..) = moment.to_ymd_hms_milli();
            let full = if day.len() == 7 {
                format!("{day}-01")
            } else {
                day.clone()
            };
            full == format!("{year:04}-{month:02}-{date:02}")
        }
        _ => false,
    }
}

fn assert_read_back_equal(table: &ExportTable, path: &Path) {
    let (_, rows) = read_back(path);
    let headers: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
    let expected: Vec<String> = table
        .columns
        .iter()
        .map(|column| column.header.clone())
        .collect();
    assert_eq!(headers, expected);
    assert_eq!(rows.len(), table.rows.len() + 1);
    for (exported, read) in table.rows.iter().zip(&rows[1..]) {
        for (column, value) in exported.iter().enumerate() {
            let back = read.get(column).cloned().unwrap_or(Data::Empty);
            assert!(same(value, &back), "{value:?} came back as {back:?}");
        }
    }
}

#[test]
fn an_xlsx_export_reads_back_equal_and_runs_no_formula() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("risky.xlsx");
    let table = sample();
    write(&table, ExportFormat::Xlsx, &path, &Silent).unwrap();
    assert_read_back_equal(&table, &path);
    assert_eq!(
        read_back(&path).0,
        "Risky- names -test-",
        "a sheet name Excel accepts"
    );
}

#[test]
fn a_csv_export_is_utf8_with_a_header_and_neutralised_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("risky.csv");
    write(&sample(), ExportFormat::Csv, &path, &Silent).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Name,Amount,Day,Month,Share,Nothing");
    assert_eq!(
        lines[1],
        "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",12.5,2026-09-14,2026-09,12.5,"
    );
    assert_eq!(lines[2], "'+41 79 000,-3.25,2026-09-14,2026-09,12.5,");
    assert_eq!(lines[3], "'-1+2,0,2026-09-14,2026-09,12.5,");
    assert_eq!(lines[4], "'@SUM(A1),1234567.89,2026-09-14,2026-09,12.5,");
    assert_eq!(lines[5], "'\tTabbed,7,2026-09-14,2026-09,12.5,");
    assert_eq!(
        lines[6],
        "\"Plain, with \"\"quotes\"\"\",0.1,2026-09-14,2026-09,12.5,"
    );
}

struct CancelAt(usize, std::cell::Cell<usize>);

impl Progress for CancelAt {
    fn update(&self, done: usize, _total: usize) {
        self.1.set(done);
    }
    fn cancelled(&self) -> bool {
        self.1.get() >= self.0
    }
}

#[test]
fn a_cancelled_export_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let mut table = sample();
    let row = table.rows[0].clone();
    table.rows = vec![row; 20_000];
    for format in [ExportFormat::Xlsx, ExportFormat::Csv] {
        let path = dir.path().join(format!("big.{}", format.extension()));
        let error = write(
            &table,
            format,
            &path,
            &CancelAt(10_000, std::cell::Cell::new(0)),
        )
        .unwrap_err();
        assert_eq!(error.to_string(), "cancelled: nothing was written");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no file, no partial file"
        );
    }
}

#[test]
fn every_report_of_the_demo_company_exports_and_reads_back_equal() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ledger, _) =
        demo::create_as_of(&dir.path().join("ledger.db"), FIXTURES_MONTH).unwrap();
    let admin = users::sign_in(&ledger, "admin", DEMO_PASSWORD).unwrap();
    let year: i32 = {
        let conn = rusqlite::Connection::open(ledger.path()).unwrap();
        conn.query_row(
            "SELECT CAST(max(substr(period, 1, 4)) AS INTEGER) FROM actual_sales",
            [],
            |row| row.get(0),
        )
        .unwrap()
    };
    let query: salesplan_core::budgets::variance::VarianceQuery =
        serde_json::from_value(serde_json::json!({ "fiscal_year": year, "level": "branch" }))
            .unwrap();
    let reports = [
        ExportWhat::Sales,
        ExportWhat::Budgets { fiscal_year: None },
        ExportWhat::Variance { query },
        ExportWhat::Reference {
            kind: salesplan_core::reference::ReferenceKind::Product,
        },
        ExportWhat::Users,
        ExportWhat::Imports,
        ExportWhat::Audit {
            filter: Default::default(),
        },
    ];
    for what in &reports {
        let table = exports::table(&mut ledger, &admin, what).unwrap();
        let path = dir.path().join("report.xlsx");
        write(&table, ExportFormat::Xlsx, &path, &Silent).unwrap();
        assert_read_back_equal(&table, &path);
    }
    let sales = exports::table(&mut ledger, &admin, &ExportWhat::Sales).unwrap();
    assert_eq!(sales.rows.len(), 36, "36 months of demo sales");
    let sam = users::sign_in(&ledger, "sam", DEMO_PASSWORD).unwrap();
    assert!(
        exports::table(&mut ledger, &sam, &ExportWhat::Users).is_err(),
        "a salesman may not export the users"
    );
}
