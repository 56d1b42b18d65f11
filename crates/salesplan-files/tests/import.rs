//! Files imported into a real demo ledger: the same sales from every format,
//! the data-quality report's exact findings, re-import, reversal and atomicity.
#![allow(clippy::unwrap_used)]

use rust_decimal::Decimal;
use salesplan_core::demo::{self, DEMO_PASSWORD};
use salesplan_core::imports::{
    self, Accept, DateOrder, DecimalSeparator, ImportKind, ImportRequest, ProblemKind, Progress,
    Silent, Source,
};
use salesplan_core::{Actor, Ledger, users};
use salesplan_files::{ReadOptions, Table, read};
use std::cell::Cell;
use std::path::{Path, PathBuf};

/// The fixtures hold sales of September 2026: the demo as of October 2026 has it open.
const FIXTURES_MONTH: salesplan_core::month::Month = salesplan_core::month::Month::new(2026, 10);

struct Demo {
    ledger: Ledger,
    _dir: tempfile::TempDir,
}

impl Demo {
    fn new() -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let (ledger, _) =
            demo::create_as_of(&dir.path().join("ledger.db"), FIXTURES_MONTH).unwrap();
        Demo { ledger, _dir: dir }
    }

    fn user(&self, name: &str) -> Actor {
        users::sign_in(&self.ledger, name, DEMO_PASSWORD).unwrap()
    }

    fn count(&self, sql: &str) -> i64 {
        let conn = rusqlite::Connection::open(self.ledger.path()).unwrap();
        conn.query_row(sql, [], |row| row.get(0)).unwrap()
    }

    fn path(&self) -> &Path {
        self.ledger.path()
    }
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn table(name: &str) -> Table {
    read(&fixture(name), &ReadOptions::default()).unwrap()
}

fn request_for(table: &Table) -> ImportRequest {
    ImportRequest {
        kind: ImportKind::Actuals,
        mapping: imports::suggest(ImportKind::Actuals, &table.info().headers),
        decimal_separator: DecimalSeparator::Auto,
        date_order: DateOrder::Auto,
        budget_id: None,
        force: false,
    }
}

/// The imported sales as (day, sku, quantity, unit price, amount), sorted.
fn imported(path: &Path, import_id: uuid::Uuid) -> Vec<(String, String, String, String, String)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut query = conn
        .prepare(
            "SELECT s.sold_on, p.sku, s.quantity, s.unit_price, s.amount FROM actual_sales s
             JOIN products p ON p.id = s.product_id WHERE s.import_id = ?1 ORDER BY 1, 2, 3",
        )
        .unwrap();
    let normal = |text: String| text.parse::<Decimal>().unwrap().normalize().to_string();
    query
        .query_map([import_id.to_string()], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                normal(row.get(2)?),
                normal(row.get(3)?),
                normal(row.get(4)?),
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn the_same_sales_come_out_of_every_format() {
    let mut expected = None;
    for name in [
        "sales-title-rows.csv",
        "sales-semicolon-1252.csv",
        "sales-month-first.tsv",
        "sales-two-sheets.xls",
        "sales-merged-title.ods",
    ] {
        let mut demo = Demo::new();
        let bella = demo.user("bella");
        let table = table(name);
        let outcome = imports::commit(
            &mut demo.ledger,
            &bella,
            &table,
            &request_for(&table),
            Accept::AllOrNothing,
            &Silent,
        )
        .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(
            (
                outcome.report.rows_read,
                outcome.report.rows_valid,
                outcome.report.problems_total
            ),
            (6, 6, 0),
            "{name}: {:?}",
            outcome.report.problems
        );
        assert_eq!(outcome.import.rows_imported, 6);
        let rows = imported(demo.path(), outcome.import.id);
        assert_eq!(
            rows[0],
            (
                "2026-09-03".into(),
                "BEV-010".into(),
                "12".into(),
                "1.2".into(),
                "14.4".into()
            ),
            "{name}"
        );
        assert!(
            rows.contains(&(
                "2026-09-14".into(),
                "HOU-020".into(),
                "1250".into(),
                "3.49".into(),
                "4362.5".into()
            )),
            "{name}: {rows:?}"
        );
        assert!(
            rows.contains(&(
                "2026-09-30".into(),
                "BEV-010".into(),
                "-2".into(),
                "1.2".into(),
                "-2.4".into()
            )),
            "{name}: a return"
        );
        match &expected {
            None => expected = Some(rows),
            Some(first) => assert_eq!(&rows, first, "{name} reads like the first file"),
        }
    }
}

#[test]
fn the_quality_report_finds_each_problem_where_it_is() {
    let demo = Demo::new();
    let sam = demo.user("sam");
    let table = table("quality.csv");
    let report =
        imports::preview(&demo.ledger, &sam, &table, &request_for(&table), &Silent).unwrap();
    let found: Vec<String> = report
        .problems
        .iter()
        .map(|problem| problem.describe())
        .collect();
    let expected = [
        "row 3, column A (Date): date: the same sale as row 2 (add a document number column if both are real)",
        "row 4, column E (Quantity): quantity: is empty",
        "row 5, column E (Quantity): quantity: 'abc' is not a number",
        "row 6, column B (SKU): sku: 'BEV-01O' is not a product in the ledger; did you mean BEV-010?",
        "row 7, column C (Branch): branch: 'BR-X' is not a branch in the ledger; did you mean BR-C?",
        "row 8, column F (Unit price): unit_price: -3.49 is negative; a return is a negative quantity",
        &format!(
            "row 9, column A (Date): date: 2099-01 is in the future; actual sales go up to {}",
            report_month()
        ),
        "row 10, column C (Branch): branch: a sale of BR-S by stefan is outside your scope",
        "row 11, column A (Date): date: '2026-09-31' is not a date or a month",
    ];
    assert_eq!(found, expected);
    assert_eq!((report.rows_read, report.rows_valid), (11, 2));
    let kinds: Vec<(ProblemKind, usize)> = report
        .counts
        .iter()
        .map(|count| (count.kind, count.rows))
        .collect();
    assert_eq!(
        kinds,
        [
            (ProblemKind::MissingValue, 1),
            (ProblemKind::WrongType, 2),
            (ProblemKind::Unknown, 2),
            (ProblemKind::DuplicateInFile, 1),
            (ProblemKind::Negative, 1),
            (ProblemKind::ClosedPeriod, 1),
            (ProblemKind::OutOfScope, 1),
        ]
    );
    assert_eq!(
        demo.count("SELECT count(*) FROM imports"),
        0,
        "a preview writes nothing"
    );
}

fn report_month() -> String {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.query_row("SELECT strftime('%Y-%m', 'now')", [], |row| row.get(0))
        .unwrap()
}

#[test]
fn all_or_nothing_refuses_valid_rows_only_imports_them() {
    let mut demo = Demo::new();
    let sam = demo.user("sam");
    let table = table("quality.csv");
    let request = request_for(&table);
    let sales_before = demo.count("SELECT count(*) FROM actual_sales");
    let error = imports::commit(
        &mut demo.ledger,
        &sam,
        &table,
        &request,
        Accept::AllOrNothing,
        &Silent,
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("file: 9 problems in 9 rows of quality.csv"),
        "{error}"
    );
    assert_eq!(
        demo.count("SELECT count(*) FROM actual_sales"),
        sales_before
    );
    let outcome = imports::commit(
        &mut demo.ledger,
        &sam,
        &table,
        &request,
        Accept::ValidRows,
        &Silent,
    )
    .unwrap();
    assert_eq!(
        (outcome.import.rows_imported, outcome.import.rows_skipped),
        (2, 9)
    );
    assert_eq!(
        demo.count("SELECT count(*) FROM actual_sales"),
        sales_before + 2
    );
}

#[test]
fn a_file_imported_again_is_recognised_and_its_rows_are_never_doubled() {
    let mut demo = Demo::new();
    let bella = demo.user("bella");
    let table = table("sales-title-rows.csv");
    let mut request = request_for(&table);
    let first = imports::commit(
        &mut demo.ledger,
        &bella,
        &table,
        &request,
        Accept::AllOrNothing,
        &Silent,
    )
    .unwrap();
    let sales = demo.count("SELECT count(*) FROM actual_sales");

    let again = imports::commit(
        &mut demo.ledger,
        &bella,
        &table,
        &request,
        Accept::ValidRows,
        &Silent,
    )
    .unwrap_err();
    assert!(
        again
            .to_string()
            .contains("has the same content as sales-title-rows.csv, imported"),
        "{again}"
    );

    // Forced, or the same rows in another file: every row is found in the ledger.
    request.force = true;
    let report = imports::preview(&demo.ledger, &bella, &table, &request, &Silent).unwrap();
    assert_eq!(report.counts[0].kind, ProblemKind::AlreadyInLedger);
    assert_eq!((report.rows_valid, report.counts[0].rows), (0, 6));
    let xls = self::table("sales-two-sheets.xls");
    let overlap =
        imports::preview(&demo.ledger, &bella, &xls, &request_for(&xls), &Silent).unwrap();
    assert_eq!(
        overlap.rows_valid, 0,
        "the same sales from another file overlap"
    );
    assert_eq!(demo.count("SELECT count(*) FROM actual_sales"), sales);

    // Reversed, the sales are gone from every total and the file may come in again.
    let amount = |demo: &Demo| {
        demo.count(
            "SELECT CAST(round(sum(CAST(amount AS REAL)) * 100) AS INTEGER) FROM actual_sales",
        )
    };
    let before_reversal = amount(&demo);
    let reversal = imports::reverse(&mut demo.ledger, &bella, first.import.id).unwrap();
    assert_eq!(reversal.reverses, Some(first.import.id));
    assert_eq!(reversal.rows_imported, 6);
    assert_eq!(
        before_reversal - amount(&demo),
        1440 + 4470 + 436_250 + 213_600 + 3992 - 240
    );
    assert!(
        imports::show(&demo.ledger, &bella, first.import.id)
            .unwrap()
            .reversed_at
            .is_some()
    );
    let error = imports::reverse(&mut demo.ledger, &bella, first.import.id).unwrap_err();
    assert!(
        error.to_string().contains("was already reversed"),
        "{error}"
    );
    request.force = false;
    let back = imports::commit(
        &mut demo.ledger,
        &bella,
        &table,
        &request,
        Accept::AllOrNothing,
        &Silent,
    )
    .unwrap();
    assert_eq!(back.import.rows_imported, 6);
    assert_eq!(imports::list(&demo.ledger, &bella).unwrap().len(), 3);
}

/// Cancels once the commit has written this many batches.
struct CancelAfter {
    updates: Cell<usize>,
    limit: usize,
}

impl Progress for CancelAfter {
    fn update(&self, _done: usize, _total: usize) {
        self.updates.set(self.updates.get() + 1);
    }
    fn cancelled(&self) -> bool {
        self.updates.get() > self.limit
    }
}

#[test]
fn a_cancel_while_writing_leaves_the_ledger_as_it_was() {
    let mut demo = Demo::new();
    let bella = demo.user("bella");
    // A file big enough to be written in several batches.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.csv");
    let mut text = String::from("Date,SKU,Branch,Quantity,Unit price,Document\n");
    for n in 0..50_000 {
        text.push_str(&format!(
            "2026-09-{:02},BEV-010,BR-N,1,1.20,D-{n}\n",
            n % 28 + 1
        ));
    }
    std::fs::write(&path, text).unwrap();
    let table = read(&path, &ReadOptions::default()).unwrap();
    let (sales, outbox) = (
        demo.count("SELECT count(*) FROM actual_sales"),
        demo.count("SELECT count(*) FROM outbox"),
    );
    let cancel = CancelAfter {
        updates: Cell::new(0),
        limit: 4,
    };
    let error = imports::commit(
        &mut demo.ledger,
        &bella,
        &table,
        &request_for(&table),
        Accept::AllOrNothing,
        &cancel,
    )
    .unwrap_err();
    assert_eq!(error.to_string(), "cancelled: nothing was written");
    assert!(
        cancel.updates.get() > 3,
        "it was cancelled while writing, not before"
    );
    assert_eq!(demo.count("SELECT count(*) FROM actual_sales"), sales);
    assert_eq!(demo.count("SELECT count(*) FROM outbox"), outbox);
    assert_eq!(demo.count("SELECT count(*) FROM imports"), 0);
    let done = imports::commit(
        &mut demo.ledger,
        &bella,
        &table,
        &request_for(&table),
        Accept::AllOrNothing,
        &Silent,
    )
    .unwrap();
    assert_eq!(done.import.rows_imported, 50_000);
}
