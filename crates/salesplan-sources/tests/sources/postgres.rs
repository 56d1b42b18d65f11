//! A PostgreSQL source: the till's sales table of a real cluster.

use crate::support::{CancelInWrite, TestLedger, open_day};
use rust_decimal::Decimal;
use salesplan_core::error::Error;
use salesplan_core::sources::{
    self, Connection, JobOutcome, OnBreak, QualityCheck, QualityRule, Refresh, ServerAddress,
};
use salesplan_sources::{FailureKind, discover, preview, test};
use salesplan_test_servers::postgres::Cluster;
use std::str::FromStr;

const QUERY: &str =
    "SELECT sale_date, sku, branch, salesman, quantity, unit_price, updated_at FROM till_sales";

/// A database with a sales table and a reader who signs in with a password.
struct Till {
    database: String,
    reader: String,
}

impl Till {
    fn new() -> Till {
        let cluster = Cluster::get();
        let url = cluster.database();
        let database = url.rsplit('/').next().unwrap().to_owned();
        let reader = format!("reader_{database}");
        cluster.sql(
            &database,
            &format!(
                "CREATE TABLE till_sales (id serial PRIMARY KEY, sale_date date NOT NULL, sku text NOT NULL,
                     branch text NOT NULL, salesman text, quantity numeric NOT NULL, unit_price numeric NOT NULL,
                     updated_at timestamptz NOT NULL);
                 CREATE ROLE {reader} LOGIN PASSWORD 'till-secret' IN ROLE secured;
                 GRANT SELECT ON till_sales TO {reader};"
            ),
        );
        Till { database, reader }
    }

    fn connection(&self) -> Connection {
        self.connection_as(&self.reader)
    }

    fn connection_as(&self, user: &str) -> Connection {
        Connection::Postgres(ServerAddress {
            host: "127.0.0.1".into(),
            port: Some(Cluster::get().port()),
            database: self.database.clone(),
            user: user.into(),
            password: true,
        })
    }

    /// Sales of sam at BR-N: (day, sku, quantity, unit price, updated at).
    fn sell(&self, rows: &[(&str, &str, i64, &str, &str)]) {
        let values: Vec<String> = rows
            .iter()
            .map(|(day, sku, quantity, price, updated)| {
                format!("('{day}', '{sku}', 'BR-N', 'sam', {quantity}, {price}, '{updated}')")
            })
            .collect();
        Cluster::get().sql(
            &self.database,
            &format!(
                "INSERT INTO till_sales (sale_date, sku, branch, salesman, quantity, unit_price, updated_at)
                 VALUES {}",
                values.join(", ")
            ),
        );
    }
}

fn decimal(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

#[test]
fn testing_a_connection_says_exactly_what_failed() {
    let till = Till::new();
    let checked = test(&till.connection(), Some("till-secret")).unwrap();
    assert!(checked.server.starts_with("PostgreSQL "), "{checked:?}");

    let wrong = test(&till.connection(), Some("not-the-secret")).unwrap_err();
    assert_eq!(wrong.kind, FailureKind::Authentication, "{wrong}");
    assert!(
        wrong.message.contains("password authentication failed"),
        "{wrong}"
    );
    let none = test(&till.connection(), None).unwrap_err();
    assert_eq!(none.kind, FailureKind::Authentication, "{none}");

    let mut nowhere = till.connection();
    if let Connection::Postgres(address) = &mut nowhere {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        address.port = Some(closed.local_addr().unwrap().port());
        drop(closed);
    }
    let refused = test(&nowhere, Some("till-secret")).unwrap_err();
    assert_eq!(refused.kind, FailureKind::Refused, "{refused}");

    let mut unknown = till.connection();
    if let Connection::Postgres(address) = &mut unknown {
        address.host = "no-such-host.invalid".into();
    }
    let dns = test(&unknown, Some("till-secret")).unwrap_err();
    assert_eq!(dns.kind, FailureKind::Dns, "{dns}");

    let mut missing = till.connection();
    if let Connection::Postgres(address) = &mut missing {
        address.database = "no_such_database".into();
    }
    let setup = test(&missing, Some("till-secret")).unwrap_err();
    assert_eq!(setup.kind, FailureKind::Setup, "{setup}");
    assert!(setup.message.contains("no_such_database"), "{setup}");

    // A server that takes the connection and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut hanging = till.connection();
    if let Connection::Postgres(address) = &mut hanging {
        address.port = Some(silent.local_addr().unwrap().port());
    }
    let started = std::time::Instant::now();
    let timeout = test(&hanging, Some("till-secret")).unwrap_err();
    assert_eq!(timeout.kind, FailureKind::Timeout, "{timeout}");
    let waited = started.elapsed().as_secs_f64();
    assert!((9.5..15.0).contains(&waited), "gave up after {waited} s");
}

#[test]
fn discovery_lists_the_tables_and_a_preview_shows_the_first_hundred_rows() {
    let till = Till::new();
    let rows: Vec<(String, i64)> = (1..=150)
        .map(|n| (format!("2026-01-{:02}", n % 28 + 1), n))
        .collect();
    let rows: Vec<(&str, &str, i64, &str, &str)> = rows
        .iter()
        .map(|(day, n)| {
            (
                day.as_str(),
                "BEV-010",
                *n,
                "1.25",
                "2026-01-01 10:00:00+00",
            )
        })
        .collect();
    till.sell(&rows);
    let tables = discover(&till.connection(), Some("till-secret")).unwrap();
    let table = tables
        .iter()
        .find(|table| table.name == "till_sales")
        .unwrap();
    assert_eq!(table.schema.as_deref(), Some("public"));
    let columns: Vec<(&str, &str)> = table
        .columns
        .iter()
        .map(|column| (column.name.as_str(), column.data_type.as_str()))
        .collect();
    assert_eq!(columns[0], ("id", "integer"));
    assert_eq!(columns[1], ("sale_date", "date"));
    assert_eq!(columns[5], ("quantity", "numeric"));
    assert_eq!(columns[7], ("updated_at", "timestamp with time zone"));

    let query = sources::SourceQuery::Sql { text: QUERY.into() };
    let shown = preview(&till.connection(), Some("till-secret"), &query).unwrap();
    assert_eq!(shown.columns[..3], ["sale_date", "sku", "branch"]);
    assert_eq!(shown.rows.len(), 100);
    assert_eq!(shown.rows[0][4].as_deref(), Some("1"));
    assert_eq!(shown.rows[0][5].as_deref(), Some("1.25"));
    assert_eq!(shown.rows[0][6].as_deref(), Some("2026-01-01 10:00:00+00"));

    let broken = sources::SourceQuery::Sql {
        text: "SELECT nothing FROM till_sales".into(),
    };
    let error = preview(&till.connection(), Some("till-secret"), &broken).unwrap_err();
    assert_eq!(error.kind, FailureKind::Query);
    assert!(
        error.message.contains("column \"nothing\" does not exist"),
        "{error}"
    );

    // Signed in, but not allowed to read it.
    Cluster::get().sql(
        &till.database,
        &format!("REVOKE SELECT ON till_sales FROM {}", till.reader),
    );
    let denied = preview(&till.connection(), Some("till-secret"), &query).unwrap_err();
    assert_eq!(denied.kind, FailureKind::Permission, "{denied}");
}

#[test]
fn an_incremental_source_brings_each_row_once_across_ties_a_crash_and_reruns() {
    let till = Till::new();
    let mut ledger = TestLedger::demo();
    let (d1, d2) = (open_day(1), open_day(2));
    till.sell(&[
        (&d1, "BEV-010", 3, "2.50", "2026-12-01 08:00:00+00"),
        (&d1, "BEV-020", 1, "4.00", "2026-12-01 09:00:00+00"),
        (&d2, "SNK-010", 2, "1.10", "2026-12-01 09:30:00+00"),
        (&d2, "SNK-020", 5, "0.90", "2026-12-01 09:30:00+00"),
    ]);
    let refresh = Refresh::Incremental {
        column: "updated_at".into(),
    };
    ledger.add_sales_source("Till", till.connection(), QUERY, refresh, Some("sam"));

    let first = ledger.run("Till", "admin", Some("till-secret"));
    assert_eq!(first.outcome, JobOutcome::Imported, "{first:?}");
    assert_eq!((first.rows_read, first.rows_imported), (4, 4));
    assert_eq!(first.cursor_before, None);
    assert_eq!(
        first.cursor_after.as_deref(),
        Some("2026-12-01 09:30:00+00")
    );
    assert_eq!(
        ledger.source("Till").cursor.unwrap().ties.len(),
        2,
        "both rows at 09:30"
    );
    assert_eq!(
        ledger.brought("Till"),
        (
            4,
            decimal("11"),
            decimal("7.5") + decimal("4") + decimal("2.2") + decimal("4.5")
        )
    );

    // Nothing new: the two rows at the cursor are read again and known.
    let again = ledger.run("Till", "admin", Some("till-secret"));
    assert_eq!(again.outcome, JobOutcome::NothingNew, "{again:?}");
    assert_eq!(again.rows_read, 0);
    assert_eq!(ledger.brought("Till").0, 4);

    // A row committed at the cursor's very time after the run, and a later one.
    till.sell(&[
        (&d2, "BEV-010", 7, "2.50", "2026-12-01 09:30:00+00"),
        (&d2, "BEV-020", 1, "4.00", "2026-12-01 11:00:00+00"),
    ]);
    let third = ledger.run("Till", "sam", Some("till-secret"));
    assert_eq!(third.outcome, JobOutcome::Imported, "{third:?}");
    assert_eq!(
        (third.rows_read, third.rows_imported, third.rows_already),
        (2, 2, 0)
    );
    assert_eq!(
        third.cursor_before.as_deref(),
        Some("2026-12-01 09:30:00+00")
    );
    assert_eq!(
        third.cursor_after.as_deref(),
        Some("2026-12-01 11:00:00+00")
    );
    assert_eq!(ledger.brought("Till").0, 6);

    // A crash between reading and committing: nothing is written, the cursor stays.
    till.sell(&[
        (&d2, "HOU-010", 1, "9.99", "2026-12-02 10:00:00+00"),
        (&d2, "HOU-020", 2, "3.00", "2026-12-02 10:00:01+00"),
    ]);
    let stopped = ledger.run_with(
        "Till",
        "sam",
        Some("till-secret"),
        &CancelInWrite(Default::default()),
    );
    assert!(matches!(stopped, Err(Error::Cancelled)), "{stopped:?}");
    assert_eq!(ledger.brought("Till").0, 6);
    assert_eq!(
        ledger.source("Till").cursor.unwrap().value,
        "2026-12-01 11:00:00+00"
    );
    let rerun = ledger.run("Till", "sam", Some("till-secret"));
    assert_eq!(
        (rerun.outcome, rerun.rows_imported),
        (JobOutcome::Imported, 2)
    );
    let (count, quantity, _) = ledger.brought("Till");
    assert_eq!((count, quantity), (8, decimal("22")));

    // The import is one like any other: in the history, reversible.
    let import = rerun.import_id.unwrap();
    let admin = ledger.user("admin");
    let record = salesplan_core::imports::show(&ledger.ledger, &admin, import).unwrap();
    assert_eq!(
        (record.file_name.as_str(), record.rows_imported),
        ("Till", 2)
    );
    let jobs = sources::jobs(&ledger.ledger, &admin, "Till", 10).unwrap();
    assert_eq!(
        jobs.len(),
        4,
        "imported, nothing new, imported, imported: a cancel leaves no job"
    );
}

#[test]
fn quality_rules_and_refused_rows_stop_a_job_before_anything_is_written() {
    let till = Till::new();
    let mut ledger = TestLedger::demo();
    let day = open_day(3);
    till.sell(&[
        (&day, "BEV-010", 1, "2.50", "2026-12-01 08:00:00+00"),
        (&day, "NO-SUCH-SKU", 1, "2.50", "2026-12-01 08:00:01+00"),
    ]);
    let refresh = Refresh::Incremental {
        column: "updated_at".into(),
    };
    ledger.add_sales_source("Till", till.connection(), QUERY, refresh, Some("sam"));

    // A row the ledger refuses stops the job unless a rule allows a share of them.
    let refused = ledger.run("Till", "admin", Some("till-secret"));
    assert_eq!(refused.outcome, JobOutcome::Stopped, "{refused:?}");
    assert_eq!(
        (
            refused.rows_read,
            refused.rows_rejected,
            refused.rows_imported
        ),
        (2, 1, 0)
    );
    assert!(
        refused.message.contains("1 of 2 (50.0 %) were refused"),
        "{}",
        refused.message
    );
    assert!(
        refused.message.contains("NO-SUCH-SKU"),
        "{}",
        refused.message
    );
    assert_eq!(ledger.brought("Till").0, 0);
    assert_eq!(ledger.source("Till").cursor, None, "the cursor stays");
    let alerts = ledger.alerts("sam");
    assert!(
        alerts
            .iter()
            .any(|alert| alert.starts_with("Data source 'Till' was stopped")),
        "{alerts:?}"
    );

    // Allowing half of the rows to be refused: the good one comes in, with a warning.
    let admin = ledger.user("admin");
    let mut definition = ledger.source("Till").definition;
    definition.rules = vec![
        QualityRule {
            check: QualityCheck::RejectedShare {
                max_percent: decimal("50"),
            },
            on_break: OnBreak::Stop,
        },
        QualityRule {
            check: QualityCheck::RowCount {
                min: Some(5),
                max: None,
            },
            on_break: OnBreak::Warn,
        },
    ];
    sources::edit(&mut ledger.ledger, &admin, "Till", definition.clone(), None).unwrap();
    let allowed = ledger.run("Till", "admin", Some("till-secret"));
    assert_eq!(allowed.outcome, JobOutcome::Imported, "{allowed:?}");
    assert_eq!((allowed.rows_imported, allowed.rows_rejected), (1, 1));
    assert_eq!(
        allowed.warnings,
        ["row count: 2 rows read, at least 5 expected"]
    );

    // A row count that stops: nothing written, the cursor where it was.
    definition.rules = vec![QualityRule {
        check: QualityCheck::RowCount {
            min: Some(2),
            max: None,
        },
        on_break: OnBreak::Stop,
    }];
    sources::edit(&mut ledger.ledger, &admin, "Till", definition, None).unwrap();
    till.sell(&[(&day, "BEV-020", 4, "4.00", "2026-12-03 08:00:00+00")]);
    let before = ledger.source("Till").cursor;
    let short = ledger.run("Till", "admin", Some("till-secret"));
    assert_eq!(short.outcome, JobOutcome::Stopped, "{short:?}");
    assert!(
        short
            .message
            .contains("row count: 1 rows read, at least 2 expected"),
        "{}",
        short.message
    );
    assert_eq!(ledger.source("Till").cursor, before);
    assert_eq!(ledger.brought("Till").0, 1);
}

#[test]
fn a_source_that_breaks_fails_its_job_with_the_reason_and_keeps_its_cursor() {
    let till = Till::new();
    let mut ledger = TestLedger::demo();
    let day = open_day(4);
    till.sell(&[(&day, "BEV-010", 1, "2.50", "2026-12-01 08:00:00+00")]);
    let refresh = Refresh::Incremental {
        column: "updated_at".into(),
    };
    ledger.add_sales_source("Till", till.connection(), QUERY, refresh, Some("sam"));
    assert_eq!(
        ledger
            .run("Till", "admin", Some("till-secret"))
            .rows_imported,
        1
    );
    let cursor = ledger.source("Till").cursor;

    let wrong = ledger.run("Till", "admin", Some("wrong"));
    assert_eq!(wrong.outcome, JobOutcome::Failed);
    assert!(
        wrong.message.starts_with("authentication failed:"),
        "{}",
        wrong.message
    );

    // A column that vanished: the database's own words.
    Cluster::get().sql(
        &till.database,
        "ALTER TABLE till_sales DROP COLUMN unit_price",
    );
    let vanished = ledger.run("Till", "admin", Some("till-secret"));
    assert_eq!(vanished.outcome, JobOutcome::Failed);
    assert!(
        vanished
            .message
            .contains("column \"unit_price\" does not exist"),
        "{}",
        vanished.message
    );
    assert_eq!(ledger.source("Till").cursor, cursor);
    let alerts = ledger.alerts("sam");
    assert_eq!(
        alerts
            .iter()
            .filter(|alert| alert.starts_with("Data source 'Till' failed"))
            .count(),
        2,
        "{alerts:?}"
    );
    // The administrator who ran it hears too.
    assert_eq!(ledger.alerts("admin").len(), 2);
}

#[test]
fn who_may_manage_and_run_sources() {
    let till = Till::new();
    let mut ledger = TestLedger::demo();
    let refresh = Refresh::Full;
    ledger.add_sales_source(
        "Till",
        till.connection(),
        QUERY,
        refresh.clone(),
        Some("sam"),
    );
    let definition = ledger.source("Till").definition;

    let sam = ledger.user("sam");
    let mut other = definition.clone();
    other.name = "Mine".into();
    let refused = sources::add(&mut ledger.ledger, &sam, other.clone(), None).unwrap_err();
    assert!(matches!(refused, Error::Forbidden { .. }), "{refused}");
    // Supply Chain manages sources; a source of sales for a user who may not post them is refused.
    let sven = ledger.user("sven");
    let not_his = sources::add(&mut ledger.ledger, &sven, other, None).unwrap_err();
    assert!(
        not_his
            .to_string()
            .contains("sven may not make actuals imports"),
        "{not_his}"
    );

    // sam runs his own source; nina (another salesman) neither sees nor runs it.
    assert_eq!(sources::list(&ledger.ledger, &sam).unwrap().len(), 1);
    let nina = ledger.user("nina");
    assert!(sources::list(&ledger.ledger, &nina).unwrap().is_empty());
    let source = ledger.source("Till");
    assert!(sources::runner(&ledger.ledger, &nina, &source).is_err());
    assert_eq!(
        sources::runner(&ledger.ledger, &sam, &source)
            .unwrap()
            .username,
        "sam"
    );

    // The rows are checked in the owner's scope: sam may not post BR-S's sales.
    let day = open_day(5);
    Cluster::get().sql(
        &till.database,
        &format!(
            "INSERT INTO till_sales (sale_date, sku, branch, salesman, quantity, unit_price, updated_at)
             VALUES ('{day}', 'BEV-010', 'BR-S', 'sofia', 1, 1, now())"
        ),
    );
    let job = ledger.run("Till", "admin", Some("till-secret"));
    assert_eq!(
        (job.outcome, job.rows_rejected),
        (JobOutcome::Stopped, 1),
        "{job:?}"
    );
    assert!(
        job.message.to_lowercase().contains("scope"),
        "{}",
        job.message
    );

    // Exporting a definition is the administrator's, and never holds a secret.
    let admin = ledger.user("admin");
    let exported = sources::export(&ledger.ledger, &admin, "Till").unwrap();
    let text = serde_json::to_string(&exported).unwrap();
    assert!(!text.contains("till-secret"));
    assert_eq!(sources::parse_definition(&text).unwrap(), exported);
    assert!(sources::export(&ledger.ledger, &sven, "Till").is_err());
}
