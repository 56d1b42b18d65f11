//! A SQLite file as a source: read-only, a cursor compared as a number.

use crate::support::{TestLedger, open_day};
use salesplan_core::sources::{Connection, JobOutcome, Refresh, SqliteFile};
use salesplan_sources::{FailureKind, discover, preview, test};

fn till_file(dir: &std::path::Path) -> (String, rusqlite::Connection) {
    let path = dir.join("till.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE sales (id INTEGER PRIMARY KEY, date TEXT, sku TEXT, branch TEXT, salesman TEXT,
             qty REAL, price TEXT, note BLOB)",
    )
    .unwrap();
    (path.display().to_string(), conn)
}

fn sell(conn: &rusqlite::Connection, ids: std::ops::RangeInclusive<i64>, day: &str) {
    for id in ids {
        conn.execute(
            "INSERT INTO sales (id, date, sku, branch, salesman, qty, price) VALUES (?1, ?2, 'BEV-010', 'BR-N', 'sam', 1.5, '2.00')",
            rusqlite::params![id, day],
        )
        .unwrap();
    }
}

const QUERY: &str =
    "SELECT id, 'T-' || id AS reference, date, sku, branch, salesman, qty, price FROM sales";

#[test]
fn a_sqlite_file_is_discovered_previewed_and_read_past_its_cursor_in_number_order() {
    let mut ledger = TestLedger::demo();
    let (path, conn) = till_file(ledger.dir.path());
    let connection = Connection::Sqlite(SqliteFile { path: path.clone() });
    assert!(
        test(&connection, None)
            .unwrap()
            .server
            .starts_with("SQLite 3.")
    );
    let tables = discover(&connection, None).unwrap();
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0].name, "sales");
    assert_eq!(tables[0].columns[5].data_type, "REAL");

    let day = open_day(6);
    sell(&conn, 1..=9, &day);
    let shown = preview(
        &connection,
        None,
        &salesplan_core::sources::SourceQuery::Sql { text: QUERY.into() },
    )
    .unwrap();
    assert_eq!(shown.rows.len(), 9);
    assert_eq!(shown.rows[0][6].as_deref(), Some("1.5"));

    let refresh = Refresh::Incremental {
        column: "id".into(),
    };
    ledger.add_sales_source("Till file", connection.clone(), QUERY, refresh, Some("sam"));
    let first = ledger.run("Till file", "sam", None);
    assert_eq!(
        (first.outcome, first.rows_imported),
        (JobOutcome::Imported, 9),
        "{}",
        first.message
    );
    assert_eq!(first.cursor_after.as_deref(), Some("9"));

    // 10 comes after 9 as a number (as text it would come before).
    sell(&conn, 10..=11, &day);
    let second = ledger.run("Till file", "sam", None);
    assert_eq!(
        (second.outcome, second.rows_read, second.rows_imported),
        (JobOutcome::Imported, 2, 2)
    );
    assert_eq!(second.cursor_after.as_deref(), Some("11"));
    assert_eq!(ledger.brought("Till file").0, 11);
    assert_eq!(
        ledger.run("Till file", "sam", None).outcome,
        JobOutcome::NothingNew
    );

    // Binary data is named, not guessed at.
    let blob = salesplan_core::sources::SourceQuery::Sql {
        text: "SELECT id, note FROM sales".into(),
    };
    conn.execute("UPDATE sales SET note = x'00ff' WHERE id = 1", [])
        .unwrap();
    let error = preview(&connection, None, &blob).unwrap_err();
    assert_eq!(error.kind, FailureKind::Data);
    assert!(
        error.message.contains("column 'note' holds binary data"),
        "{error}"
    );

    let missing = Connection::Sqlite(SqliteFile {
        path: ledger.dir.path().join("gone.sqlite").display().to_string(),
    });
    let error = test(&missing, None).unwrap_err();
    assert_eq!(error.kind, FailureKind::Setup);
    let not_a_database = ledger.dir.path().join("notes.sqlite");
    std::fs::write(&not_a_database, "these are notes, not a database").unwrap();
    let error = test(
        &Connection::Sqlite(SqliteFile {
            path: not_a_database.display().to_string(),
        }),
        None,
    )
    .unwrap_err();
    assert_eq!(error.kind, FailureKind::Data, "{error}");
}
