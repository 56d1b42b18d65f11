use crate::support::{TestLedger, count};
use salesplan_core::{Error, Ledger};

#[test]
fn a_missing_ledger_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let error = Ledger::open(&dir.path().join("nowhere.db")).err().unwrap();
    assert!(matches!(error, Error::LedgerMissing { .. }));
    assert!(
        error.to_string().contains("salesplan init --admin NAME"),
        "{error}"
    );
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("budget.db");
    std::fs::write(&path, "quarter,amount\nQ1,100\n").unwrap();
    let error = Ledger::open(&path).err().unwrap();
    assert_eq!(
        error.to_string(),
        format!(
            "{} is not a Salesplan ledger (not an SQLite database file)",
            path.display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "quarter,amount\nQ1,100\n"
    );
}

#[test]
fn an_sqlite_file_of_another_program_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me');")
        .unwrap();
    drop(other);
    assert!(matches!(Ledger::open(&path), Err(Error::NotALedger { .. })));
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM sqlite_master WHERE name = 'outbox'"
        ),
        0
    );
    assert_eq!(count(&path, "SELECT count(*) FROM notes"), 1);
}

#[test]
fn a_ledger_from_a_newer_version_is_refused_without_touching_it() {
    let demo = TestLedger::demo();
    let path = demo.path();
    drop(demo.ledger);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (999, 'from_the_future', '2030-01-01T00:00:00Z', '1')",
        [],
    )
    .unwrap();
    drop(conn);
    let error = Ledger::open(&path).err().unwrap();
    assert!(
        matches!(
            error,
            Error::SchemaTooNew {
                found: 999,
                known: salesplan_core::sync::protocol::SCHEMA_VERSION,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("update Salesplan to open it"),
        "{error}"
    );
}

#[test]
fn creating_over_an_existing_ledger_is_refused() {
    let demo = TestLedger::demo();
    let error = salesplan_core::demo::create(&demo.path()).err().unwrap();
    assert!(matches!(error, Error::LedgerExists { .. }));
}

#[test]
fn a_failed_set_up_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let outcome = Ledger::create_with(&path, |_| -> salesplan_core::Result<()> {
        Err(Error::invalid("company_name", "must not be empty"))
    });
    assert!(outcome.is_err());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn the_ledger_runs_in_wal_mode_with_foreign_keys_enforced() {
    let demo = TestLedger::demo();
    assert_eq!(
        count(
            &demo.path(),
            "SELECT journal_mode = 'wal' FROM pragma_journal_mode"
        ),
        1
    );
    assert_eq!(demo.ledger.integrity_check().unwrap(), "ok");
    assert_eq!(
        demo.ledger.schema_version(),
        salesplan_core::sync::protocol::SCHEMA_VERSION
    );
    assert_eq!(
        demo.ledger.schema_version(),
        salesplan_core::sync::protocol::SCHEMA_VERSION,
        "the protocol names the schema this version writes"
    );
}

#[test]
fn facts_cannot_be_updated_or_deleted() {
    let demo = TestLedger::demo();
    let conn = rusqlite::Connection::open(demo.path()).unwrap();
    // The functions the ledger's triggers call, as every ledger connection has them.
    salesplan_core::ledger::register_functions(&conn).unwrap();
    for sql in [
        "UPDATE actual_sales SET quantity = '0'",
        "DELETE FROM actual_sales",
        "UPDATE stock_movements SET quantity = '0'",
        "DELETE FROM stock_movements",
    ] {
        let error = conn.execute(sql, []).unwrap_err();
        assert!(error.to_string().contains("append-only"), "{sql}: {error}");
    }
}

#[test]
fn every_installation_has_its_own_client_id() {
    let dir = tempfile::tempdir().unwrap();
    let (first, ()) = Ledger::create_with(&dir.path().join("a.db"), |_| Ok(())).unwrap();
    let (second, ()) = Ledger::create_with(&dir.path().join("b.db"), |_| Ok(())).unwrap();
    assert_ne!(first.client_id().unwrap(), second.client_id().unwrap());
}

#[test]
fn an_upgrade_that_rebuilds_tables_keeps_every_row_linked() {
    use salesplan_core::imports::{self, ImportKind, MemoryTable};
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let day = crate::support::open_day();
    let file = MemoryTable::new(
        "till.csv",
        [
            ["Date", "SKU", "Branch", "Salesman", "Quantity"],
            [day.as_str(), "HOU-020", "BR-N", "sam", "3"],
            [day.as_str(), "BEV-010", "BR-N", "sam", "5"],
        ]
        .iter()
        .map(|row| row.map(String::from).to_vec())
        .collect(),
    );
    let done = crate::support::import_all(&mut demo.ledger, &admin, ImportKind::Actuals, &file);
    imports::reverse(&mut demo.ledger, &admin, done.import.id).unwrap();
    let path = demo.path();
    let linked = "SELECT count(*) FROM actual_sales s JOIN imports i ON i.id = s.import_id";
    assert_eq!(
        count(&path, linked),
        4,
        "two sales and their reversing entries"
    );
    drop(demo.ledger);
    // The ledger as version 13 left it: V14 (which rebuilds `imports`) runs
    // again, and the migrations after it (V15 dropped a column: it is put back;
    // V16 made the stock balances and their triggers, V17 the sales' stock
    // issues and their setting, V18 the suppliers, V19 the stock policies and
    // their settings, V20 the alerts read, V21 the purchase orders, V23 the
    // stock availability, V24 the transfers and their settings, V25 the sales
    // summary and its triggers, V26 the home layouts, V27 the alert rules,
    // V28 the saved reports, V29 the records a sweep left, V30 the coarser sales
    // summaries, V31 the home digests and the ledger's revision, V32 the
    // snapshots' intervals, V33 the data sources: they go; V22 rebuilds
    // `imports` once more).
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DELETE FROM refinery_schema_history WHERE version >= 14;
         DROP TABLE source_jobs; DROP TABLE data_sources;
         ALTER TABLE forecast_snapshots DROP COLUMN low; ALTER TABLE forecast_snapshots DROP COLUMN high;
         DROP TABLE home_digests; DELETE FROM ledger_meta WHERE key = 'revision';
         DROP TABLE home_layouts; DROP TABLE alert_rules; DROP TABLE saved_reports; DROP TABLE sync_unswept;
         DROP TRIGGER sales_summaries_insert; DROP TRIGGER sales_summaries_delete;
         DROP TRIGGER sales_summaries_update; DROP TRIGGER sales_summaries_category;
         DROP TRIGGER sales_summaries_department; DROP TABLE sales_by_seller;
         DROP TABLE sales_by_product; DROP TABLE sales_by_customer;
         DROP TRIGGER sales_summary_insert; DROP TRIGGER sales_summary_delete;
         DROP TRIGGER sales_summary_update; DROP TABLE sales_summary;
         DROP INDEX stock_movements_order_line; ALTER TABLE stock_movements DROP COLUMN order_line_id;
         DROP INDEX stock_movements_transfer_line; ALTER TABLE stock_movements DROP COLUMN transfer_line_id;
         ALTER TABLE stock_movements DROP COLUMN discrepancy;
         DROP TABLE transfer_lines; DROP TABLE transfers;
         ALTER TABLE sync_queue DROP COLUMN other_location_id;
         ALTER TABLE company_settings DROP COLUMN allow_negative_stock;
         ALTER TABLE company_settings DROP COLUMN review_days;
         DROP TABLE purchase_order_lines; DROP TABLE purchase_orders;
         DROP TABLE stock_availability; DROP TABLE stock_availability_as_of;
         ALTER TABLE outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';
         DROP TRIGGER stock_balances_insert; DROP TRIGGER stock_balances_delete;
         DROP TRIGGER stock_balances_update; DROP TABLE stock_balances;
         DROP TRIGGER actual_sales_issue_stock; DROP TRIGGER actual_sales_issue_stock_removed;
         ALTER TABLE actual_sales DROP COLUMN issues_stock;
         ALTER TABLE company_settings DROP COLUMN sales_issue_stock;
         DROP TABLE supplier_products; DROP TABLE suppliers;
         DROP TABLE stock_policy_overrides; DROP TABLE stock_policies; DROP TABLE stock_alert_reads;
         ALTER TABLE company_settings DROP COLUMN service_level_a;
         ALTER TABLE company_settings DROP COLUMN service_level_b;
         ALTER TABLE company_settings DROP COLUMN service_level_c;
         ALTER TABLE company_settings DROP COLUMN holding_cost_percent;
         ALTER TABLE company_settings DROP COLUMN order_cover_months;
         ALTER TABLE company_settings DROP COLUMN overstock_months;
         ALTER TABLE company_settings DROP COLUMN dead_stock_months;
         ALTER TABLE company_settings DROP COLUMN branch_lead_time_days;",
    )
    .unwrap();
    drop(conn);
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(
        ledger.schema_version(),
        salesplan_core::sync::protocol::SCHEMA_VERSION
    );
    drop(ledger);
    assert_eq!(count(&path, linked), 4);
    crate::sales_summary::assert_kept(&path, "after the upgrade that fills it");
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM imports WHERE reverses IS NOT NULL"
        ),
        1,
        "the reversal still names what it reversed"
    );
    assert_eq!(
        count(&path, "SELECT count(*) FROM pragma_foreign_key_check"),
        0
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM sqlite_master WHERE name IN ('imports_hash', 'imports_reversal')"
        ),
        2
    );
    let balances = crate::stock::balances(&path);
    assert!(
        balances.len() > 200,
        "V16 fills the balances of the demo's stock"
    );
    assert_eq!(balances, crate::stock::sums_of_movements(&path));
}
