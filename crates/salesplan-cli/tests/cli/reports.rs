//! `salesplan report run` and `salesplan reports list|save|delete`: reports
//! from a terminal, as a table, JSON, csv and xlsx, the sales behind a cell,
//! saved and shared, each reader in their own scope.

use crate::{Demo, json, stderr, stdout};
use calamine::{Reader, Xlsx, open_workbook};
use rust_decimal::Decimal;
use std::str::FromStr;

/// The exact sum of `sql`'s first column (decimal text) in the demo ledger.
fn summed(demo: &Demo, sql: &str) -> Decimal {
    let conn = rusqlite::Connection::open(demo.db()).unwrap();
    let mut query = conn.prepare(sql).unwrap();
    query
        .query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .map(|text| Decimal::from_str(&text.unwrap()).unwrap())
        .sum()
}

fn decimal(value: &serde_json::Value) -> Decimal {
    Decimal::from_str(value.as_str().unwrap()).unwrap()
}

#[test]
fn a_report_runs_as_a_table_json_csv_and_xlsx() {
    let demo = Demo::create();
    let year = demo.last_month.year().to_string();
    let by_branch = [
        "report",
        "run",
        "--measure",
        "sales_amount",
        "--rows",
        "branch",
        "--period",
        &year,
        "--compare",
        "ly",
    ];
    let result = json(&demo.run_as("admin", &[&["--json"], &by_branch[..]].concat()));
    let sold = |year: i32| {
        summed(
            &demo,
            &format!(
                "SELECT amount FROM actual_sales WHERE period BETWEEN '{year}-01' AND '{year}-12'"
            ),
        )
    };
    let this_year = demo.last_month.year();
    assert_eq!(decimal(&result["total"]["values"][0]), sold(this_year));
    assert_eq!(decimal(&result["total"]["values"][1]), sold(this_year - 1));
    assert_eq!(result["columns"][1]["label"], "Sales LY");
    let branches = result["rows"].as_array().unwrap().len();
    assert!(branches >= 4, "{result}");

    let text = stdout(&demo.run_as("admin", &by_branch));
    assert!(
        text.contains("Branch") && text.contains("Sales LY"),
        "{text}"
    );
    assert!(text.lines().last().unwrap().starts_with("Total"), "{text}");

    // csv: a row per branch and the total; xlsx the same as a workbook.
    let csv = demo.dir.path().join("report.csv");
    let written = demo.run_as(
        "admin",
        &[
            &by_branch[..],
            &["--format", "csv", "--out", csv.to_str().unwrap()],
        ]
        .concat(),
    );
    assert!(written.status.success(), "{}", stderr(&written));
    let content = std::fs::read_to_string(&csv).unwrap();
    let last = content.lines().last().unwrap();
    assert!(last.starts_with("Total"), "{content}");
    assert!(
        content.lines().any(|line| line.starts_with("Branch,Sales")),
        "{content}"
    );
    let xlsx = demo.dir.path().join("report.xlsx");
    let written = demo.run_as(
        "admin",
        &[
            "report",
            "run",
            "Sales by branch against last year",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert!(written.status.success(), "{}", stderr(&written));
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<String> = sheet
        .rows()
        .flatten()
        .map(|cell| cell.to_string())
        .collect();
    assert!(cells.iter().any(|cell| cell == "Sales LY"), "{cells:?}");
    assert!(cells.iter().any(|cell| cell == "Total"), "{cells:?}");

    // The sales behind one cell: the branch's sales of the year.
    let drilled = json(&demo.run_as(
        "admin",
        &[&["--json"], &by_branch[..], &["--drill", "branch=BR-N"]].concat(),
    ));
    let conn = rusqlite::Connection::open(demo.db()).unwrap();
    let expected: i64 = conn
        .query_row(
            &format!(
                "SELECT count(*) FROM actual_sales s JOIN locations l ON l.id = s.location_id
                 WHERE l.code = 'BR-N' AND s.period BETWEEN '{this_year}-01' AND '{this_year}-12'"
            ),
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(drilled["count"], expected);
}

#[test]
fn reports_are_saved_shared_and_refused_with_a_reason() {
    let demo = Demo::create();
    let saved = json(&demo.run_as(
        "sam",
        &[
            "--json",
            "reports",
            "save",
            "My months",
            "--measure",
            "sales_amount,sales_quantity",
            "--rows",
            "month",
            "--period",
            "last12",
            "--visual",
            "line",
            "--shared",
        ],
    ));
    assert_eq!(saved["shared"], true);
    assert_eq!(saved["definition"]["visual"], "line");
    // maria runs sam's report and sees her department's sales, not only his.
    let listed = json(&demo.run_as("maria", &["--json", "reports", "list"]));
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|report| report["name"] == "My months")
    );
    let hers = json(&demo.run_as("maria", &["--json", "report", "run", "My months"]));
    let his = json(&demo.run_as("sam", &["--json", "report", "run", "My months"]));
    assert!(decimal(&hers["total"]["values"][0]) > decimal(&his["total"]["values"][0]));
    // Only sam deletes it.
    let refused = demo.run_as("maria", &["reports", "delete", "My months"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("only its owner may"),
        "{}",
        stderr(&refused)
    );
    let deleted = demo.run_as("sam", &["reports", "delete", "My months"]);
    assert!(deleted.status.success(), "{}", stderr(&deleted));
    let listed = json(&demo.run_as("maria", &["--json", "reports", "list"]));
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|report| report["name"] != "My months")
    );

    // Bad input: one line that says what and where.
    for (args, said) in [
        (
            vec!["report", "run", "--rows", "branch"],
            "at least one measure",
        ),
        (
            vec!["report", "run", "--measure", "profit"],
            "'profit' is not one of",
        ),
        (
            vec![
                "report",
                "run",
                "--measure",
                "sales_amount",
                "--filter",
                "salesman=nina",
            ],
            "no salesman 'nina' in your scope",
        ),
        (
            vec!["report", "run", "--measure", "margin"],
            "not allowed for a Salesman",
        ),
        (
            vec![
                "report",
                "run",
                "--measure",
                "sales_amount",
                "--period",
                "2026-13..2026-14",
            ],
            "is not a month",
        ),
    ] {
        let refused = demo.run_as("sam", &args);
        assert!(!refused.status.success(), "{args:?}");
        let message = stderr(&refused);
        assert!(
            message.contains(said) && message.lines().count() == 1,
            "{args:?}: {message}"
        );
    }
}

#[test]
fn the_landing_and_the_forecast_are_report_measures() {
    let demo = Demo::create();
    let landing = json(&demo.run_as("maria", &["--json", "forecast", "landing"]));
    let year = landing["fiscal_year"].to_string();
    let report = json(&demo.run_as(
        "maria",
        &[
            "--json",
            "report",
            "run",
            "--measure",
            "landing,forecast",
            "--rows",
            "month",
            "--period",
            &year,
            "--compare",
            "forecast",
        ],
    ));
    assert_eq!(report["columns"][0]["label"], "Landing");
    assert_eq!(report["columns"][1]["label"], "Forecast");
    // The screen adds its months rounded to the cent; the report rounds the sum.
    let near = |report: &serde_json::Value, screen: &serde_json::Value| {
        (decimal(report) - decimal(screen)).abs() <= Decimal::new(12, 2)
    };
    assert!(
        near(&report["total"]["values"][0], &landing["landing"]),
        "{report}"
    );
    assert!(
        near(&report["total"]["values"][1], &landing["forecast_rest"]),
        "{report}"
    );
    let refused = demo.run_as(
        "maria",
        &[
            "report",
            "run",
            "--measure",
            "landing",
            "--compare",
            "weather",
        ],
    );
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("weather"), "{}", stderr(&refused));
}

#[test]
fn the_forecast_wape_is_a_report_measure_scored_as_the_accuracy_report_scores() {
    let demo = Demo::create();
    let accuracy = json(&demo.run_as(
        "maria",
        &["--json", "forecast", "accuracy", "--level", "branch"],
    ));
    let report = json(&demo.run_as(
        "maria",
        &[
            "--json",
            "report",
            "run",
            "--measure",
            "forecast_wape",
            "--rows",
            "branch",
            "--period",
            "last12",
        ],
    ));
    assert_eq!(report["columns"][0]["label"], "Forecast WAPE %");
    assert_eq!(
        report["total"]["values"][0], accuracy["total"]["wape"],
        "{report}"
    );
    let rows = accuracy["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    for row in rows {
        let shown = report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|shown| shown["members"][0]["key"] == row["key"])
            .unwrap_or_else(|| panic!("{} in {report}", row["label"]));
        assert_eq!(shown["values"][0], row["wape"], "{}", row["label"]);
    }
    // By customer it means nothing: refused, saying why.
    let refused = demo.run_as(
        "maria",
        &[
            "report",
            "run",
            "--measure",
            "forecast_wape",
            "--rows",
            "customer",
        ],
    );
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("cannot be cut by customer"),
        "{}",
        stderr(&refused)
    );
}
