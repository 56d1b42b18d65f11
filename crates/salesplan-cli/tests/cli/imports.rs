//! `salesplan import` and `salesplan imports` as a user runs them, and a kill -9
//! in the middle of an import.

use crate::{Demo, integrity, json, salesplan, stderr, stdout};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../salesplan-files/tests/fixtures")
        .join(name)
}

/// A copy of a csv fixture (dated September 2026) moved into the demo's open
/// month, in the demo's dir; a day that does not exist stays one that does not.
fn in_open_month(demo: &Demo, name: &str) -> PathBuf {
    let month = demo.open_month();
    let text = std::fs::read_to_string(fixture(name))
        .unwrap()
        .replace("2026-09-31", &format!("{month}-32"))
        .replace("2026-09-", &format!("{month}-"));
    let path = demo.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn sales_count(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM actual_sales", [], |row| row.get(0))
        .unwrap()
}

#[test]
fn a_dry_run_reports_all_or_nothing_refuses_and_valid_only_imports() {
    let demo = Demo::create();
    let file = in_open_month(&demo, "quality.csv");
    let file = file.to_str().unwrap();
    let before = sales_count(&demo.db());

    let dry = demo.run_as("sam", &["import", file, "--kind", "actuals", "--dry-run"]);
    assert!(dry.status.success());
    let report = stdout(&dry);
    assert!(
        report.starts_with("quality.csv: headers in row 1, 11 rows read, 2 valid"),
        "{report}"
    );
    assert!(report.contains("row 6, column B (SKU): sku: 'BEV-01O' is not a product in the ledger; did you mean BEV-010?"));

    let refused = demo.run_as("sam", &["import", file, "--kind", "actuals"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("nothing was imported"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(sales_count(&demo.db()), before);

    let done = json(&demo.run_as(
        "sam",
        &[
            "--json",
            "import",
            file,
            "--kind",
            "actuals",
            "--valid-only",
            "--save-mapping",
            "Till",
        ],
    ));
    assert_eq!(done["import"]["rows_imported"], 2);
    assert_eq!(sales_count(&demo.db()), before + 2);
    let id = done["import"]["id"].as_str().unwrap().to_owned();

    let listed = json(&demo.run_as("sam", &["--json", "imports", "list"]));
    assert_eq!(listed[0]["file_name"], "quality.csv");
    assert_eq!(
        json(&demo.run_as("nina", &["--json", "imports", "list"]))
            .as_array()
            .unwrap()
            .len(),
        0,
        "a salesman sees his own imports only"
    );
    let with_saved = demo.run_as(
        "sam",
        &[
            "import",
            file,
            "--kind",
            "actuals",
            "--mapping",
            "till",
            "--dry-run",
        ],
    );
    assert!(
        stdout(&with_saved).contains("the same file was imported"),
        "{}",
        stdout(&with_saved)
    );

    let reversed = json(&demo.run_as(
        "sam",
        &["--json", "imports", "reverse", &id[id.len() - 8..]],
    ));
    assert_eq!(reversed["rows_imported"], 2);
    assert_eq!(
        sales_count(&demo.db()),
        before + 4,
        "two sales and their two reversing entries"
    );
    let again = demo.run_as("sam", &["imports", "reverse", &id[id.len() - 8..]]);
    assert!(
        stderr(&again).contains("was already reversed"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn bad_files_are_refused_with_the_reason() {
    let demo = Demo::create();
    for (name, reason) in [
        ("password.xlsx", "password.xlsx: is password-protected"),
        (
            "not-a-workbook.xlsx",
            "not-a-workbook.xlsx: is not what its name says",
        ),
        ("empty.csv", "empty.csv: is empty"),
    ] {
        let output = demo.run_as(
            "admin",
            &[
                "import",
                fixture(name).to_str().unwrap(),
                "--kind",
                "actuals",
            ],
        );
        assert_eq!(output.status.code(), Some(1));
        assert!(
            stderr(&output).starts_with(&format!("error: {reason}")),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn killing_an_import_midway_leaves_the_ledger_as_it_was() {
    let demo = Demo::create();
    let db = demo.db();
    let file = demo.dir.path().join("big.csv");
    let mut text = String::from("Date,SKU,Branch,Quantity,Unit price,Document\n");
    let month = demo.open_month();
    for n in 0..150_000 {
        text.push_str(&format!(
            "{month}-{:02},DRY-010,BR-N,2,1.49,K-{n}\n",
            n % 28 + 1
        ));
    }
    std::fs::write(&file, text).unwrap();
    let before = sales_count(&db);
    let mut outcomes = Vec::new();
    for delay_ms in [150, 400, 700, 1000, 1400] {
        let mut child = salesplan()
            .arg("--db")
            .arg(&db)
            .args(["--user", "admin", "import"])
            .arg(&file)
            .args(["--kind", "actuals", "--force"])
            .env("SALESPLAN_PASSWORD", salesplan_core::demo::DEMO_PASSWORD)
            .stderr(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(integrity(&db), "ok", "after a kill at {delay_ms} ms");
        let now = sales_count(&db);
        // Whole or nothing: never a part of the file.
        assert!(
            now == before || now == before + 150_000,
            "{now} after a kill at {delay_ms} ms"
        );
        outcomes.push(now);
        if now != before {
            break;
        }
    }
    assert!(
        outcomes.contains(&before),
        "at least one kill landed before the commit: {outcomes:?}"
    );
}

#[test]
fn the_sales_line_export_comes_back_in_and_every_template_is_read_back_whole() {
    let demo = Demo::create();
    let db = demo.db();
    let out = demo.dir.path().join("lines.xlsx");
    let path = out.to_str().unwrap();
    let done = json(&demo.run_as(
        "bella",
        &[
            "--json",
            "export",
            "sales-lines",
            "--format",
            "xlsx",
            "--out",
            path,
        ],
    ));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let open = demo.open_month();
    let branch = "(SELECT id FROM locations WHERE code = 'BR-N')";
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).unwrap() };
    let cents = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).unwrap() };
    let in_branch = count(&format!(
        "SELECT count(*) FROM actual_sales WHERE location_id = {branch}"
    ));
    assert_eq!(
        done["rows"], in_branch,
        "one row per sale of bella's branch"
    );
    let open_sum = format!(
        "SELECT CAST(round(sum(CAST(amount AS REAL)) * 100) AS INTEGER) FROM actual_sales
         WHERE location_id = {branch} AND period = '{open}'"
    );
    let before = cents(&open_sum);

    // Read back as the sales import reads any file: every column recognised,
    // every row valid but those of months already closed.
    let dry = json(&demo.run_as(
        "bella",
        &["--json", "import", path, "--kind", "actuals", "--dry-run"],
    ));
    let mapped = dry["mapping"]["fields"].as_object().unwrap();
    for key in [
        "date",
        "sku",
        "branch",
        "salesman",
        "customer",
        "quantity",
        "unit_price",
        "amount",
    ] {
        assert!(mapped.contains_key(key), "{key} is mapped: {mapped:?}");
    }
    let closed = count(&format!(
        "SELECT count(*) FROM actual_sales WHERE location_id = {branch} AND period < '{open}'"
    ));
    assert_eq!(dry["rows_valid"], in_branch - closed);
    assert_eq!(
        dry["counts"],
        serde_json::json!([{ "kind": "closed_period", "rows": closed }])
    );
    demo.run_as(
        "bella",
        &["import", path, "--kind", "actuals", "--valid-only"],
    );
    assert_eq!(
        cents(&open_sum),
        2 * before,
        "the open month's sales came back to the cent"
    );

    // A template of every kind is read back with each of its columns mapped
    // (the budget's needs a budget to go into; its headers are checked in `fields`).
    for kind in [
        "actuals",
        "products",
        "customers",
        "stock",
        "locations",
        "departments",
        "categories",
        "budget-categories",
        "suppliers",
        "supplier-products",
    ] {
        let file = demo.dir.path().join(format!("{kind}.csv"));
        let file = file.to_str().unwrap();
        demo.run_as(
            "admin",
            &[
                "export", "template", "--kind", kind, "--format", "csv", "--out", file,
            ],
        );
        let headers = std::fs::read_to_string(file).unwrap();
        let headers: Vec<&str> = headers.trim().split(',').collect();
        let check = json(&demo.run_as(
            "admin",
            &["--json", "import", file, "--kind", kind, "--dry-run"],
        ));
        let mapped = check["mapping"]["fields"].as_object().unwrap();
        assert_eq!(
            mapped.len(),
            headers.len(),
            "{kind}: {headers:?} → {mapped:?}"
        );
    }
}

#[test]
fn export_writes_the_report_the_user_may_see() {
    let demo = Demo::create();
    let out = demo.dir.path().join("sales.csv");
    let done = json(&demo.run_as(
        "sam",
        &[
            "--json",
            "export",
            "sales",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    assert_eq!(done["rows"], 36);
    let text = std::fs::read_to_string(&out).unwrap();
    let first = format!("Month,Quantity,Amount\n{},", demo.first_month);
    assert!(text.starts_with(&first), "{text}");
    let refused = demo.run_as(
        "sam",
        &[
            "export",
            "users",
            "--format",
            "xlsx",
            "--out",
            demo.dir.path().join("u.xlsx").to_str().unwrap(),
        ],
    );
    assert!(stderr(&refused).contains("Viewing users is not allowed for a Salesman"));
    assert!(!demo.dir.path().join("u.xlsx").exists());
}

#[test]
fn a_watched_folder_is_scanned_and_a_bad_file_leaves_an_alert() {
    let demo = Demo::create();
    let folder = demo.dir.path().join("inbox");
    std::fs::create_dir(&folder).unwrap();
    let write = |name: &str, text: &str| {
        let path = folder.join(name);
        std::fs::write(&path, text).unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(std::time::SystemTime::now() - Duration::from_secs(60))
            .unwrap();
    };
    // No price column: the default fills it in.
    let month = demo.open_month();
    write(
        "ok.csv",
        &format!("Date,SKU,Branch,Quantity\n{month}-01,BEV-010,BR-N,4\n"),
    );
    write(
        "bad.csv",
        &format!("Date,SKU,Branch,Quantity\n{month}-01,BEV-010,BR-X,4\n"),
    );
    let added = demo.run_as(
        "bella",
        &[
            "watch",
            "add",
            folder.to_str().unwrap(),
            "--pattern",
            "*.csv",
            "--kind",
            "actuals",
        ],
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let scanned = json(&demo.run_as("bella", &["--json", "watch", "scan"]));
    let outcomes: Vec<(&str, &str)> = scanned
        .as_array()
        .unwrap()
        .iter()
        .map(|seen| {
            (
                seen["file_name"].as_str().unwrap(),
                seen["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(outcomes, [("bad.csv", "failed"), ("ok.csv", "imported")]);
    let alerts = json(&demo.run_as("bella", &["--json", "alerts"]));
    assert_eq!(alerts["files"][0]["subject"], "bad.csv was not imported");
    let id = alerts["files"][0]["id"].as_str().unwrap().to_owned();
    assert!(
        demo.run_as("bella", &["alerts", "dismiss", &id[id.len() - 8..]])
            .status
            .success()
    );
    assert_eq!(
        json(&demo.run_as("bella", &["--json", "alerts"]))["files"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let with_default = json(&demo.run_as(
        "bella",
        &[
            "--json",
            "import",
            in_open_month(&demo, "quality.csv").to_str().unwrap(),
            "--kind",
            "actuals",
            "--dry-run",
            "--default",
            "quantity=1",
        ],
    ));
    let missing = with_default["counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "missing_value");
    assert!(
        missing.is_none(),
        "the empty quantity took the default: {with_default}"
    );
}
