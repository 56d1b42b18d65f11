//! `salesplan forecast`: the monthly routine of issue #5 from the command line.

use crate::{Demo, json, stderr, stdout};
use rust_decimal::Decimal;
use salesplan_core::imports::Source;
use salesplan_core::month::Month;

fn decimal(value: &serde_json::Value) -> Decimal {
    value.as_str().unwrap().parse().unwrap()
}

#[test]
fn override_close_month_and_score_from_the_command_line() {
    let demo = Demo::create();
    let open = Month::parse("open", &demo.open_month()).unwrap();
    let next = open.plus(1).to_string();

    // sam sets his soap at 500 for next month; the final row says so, the baseline does not.
    let made = demo.run_as(
        "sam",
        &[
            "forecast",
            "override",
            "--product",
            "HOU-020",
            "--month",
            &next,
            "--set",
            "500",
            "--reason",
            "Shelf promotion at Corner Markets",
        ],
    );
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(
        stdout(&made).contains("Sam Becker › HOU-020 Dish Soap 750ml"),
        "{}",
        stdout(&made)
    );
    let view = json(&demo.run_as(
        "sam",
        &[
            "--json",
            "forecast",
            "show",
            "--level",
            "product",
            "--product",
            "HOU-020",
        ],
    ));
    let row = &view["rows"][0];
    assert_eq!(decimal(&row["final_quantity"][1]), Decimal::from(500));
    assert_eq!(decimal(&row["overridden"][1]), Decimal::from(500));
    assert_ne!(decimal(&row["baseline"][1]), Decimal::from(500));
    let human = stdout(&demo.run_as(
        "sam",
        &[
            "forecast",
            "show",
            "--level",
            "product",
            "--product",
            "HOU-020",
        ],
    ));
    assert!(
        human.contains("override") && human.contains("final"),
        "{human}"
    );
    // With history, the table shows it too (it was only in --json): the last
    // three months of sales on an "actual" line, then the months forecast.
    let with_history = stdout(&demo.run_as(
        "sam",
        &[
            "forecast",
            "show",
            "--level",
            "product",
            "--product",
            "HOU-020",
            "--history",
            "3",
        ],
    ));
    let header = with_history.lines().nth(1).unwrap();
    let last_closed = open.plus(-1).to_string();
    assert!(
        header.find(&last_closed).unwrap() < header.find(&next).unwrap(),
        "{with_history}"
    );
    let actual = with_history
        .lines()
        .find(|line| line.contains(" actual "))
        .unwrap_or_else(|| panic!("no actual line: {with_history}"));
    assert!(actual.starts_with("HOU-020"), "{actual}");

    // No reason, no override; supply chain reads but does not override.
    let refused = demo.run_as(
        "sam",
        &[
            "forecast",
            "override",
            "--product",
            "HOU-020",
            "--month",
            &next,
            "--percent",
            "-10",
            "--reason",
            " ",
        ],
    );
    assert!(
        stderr(&refused).contains("reason: say why"),
        "{}",
        stderr(&refused)
    );
    let refused = demo.run_as(
        "sven",
        &[
            "forecast",
            "override",
            "--branch",
            "BR-N",
            "--month",
            &next,
            "--percent",
            "-10",
            "--reason",
            "x",
        ],
    );
    assert!(
        stderr(&refused).contains("not allowed for a Supply Chain"),
        "{}",
        stderr(&refused)
    );

    // Closing the open month: snapshot, roll, and the month's sales frozen.
    let closed = json(&demo.run_as("admin", &["--json", "forecast", "close-month"]));
    assert_eq!(closed["closed_month"], open.to_string());
    assert_eq!(closed["open_month"], next);
    assert_eq!(closed["run"]["first_month"], next);
    let late = demo.run_as(
        "admin",
        &[
            "sales",
            "add",
            "--month",
            &open.to_string(),
            "--sku",
            "HOU-020",
            "--branch",
            "BR-N",
            "--quantity",
            "1",
            "--price",
            "3.49",
        ],
    );
    assert!(stderr(&late).contains("is closed"), "{}", stderr(&late));

    // The override survived the roll; the snapshot of the closed month is scored.
    let view = json(&demo.run_as(
        "sam",
        &[
            "--json",
            "forecast",
            "show",
            "--level",
            "product",
            "--product",
            "HOU-020",
        ],
    ));
    assert_eq!(
        decimal(&view["rows"][0]["final_quantity"][0]),
        Decimal::from(500)
    );
    let accuracy = json(&demo.run_as(
        "maria",
        &["--json", "forecast", "accuracy", "--level", "salesman"],
    ));
    assert_eq!(accuracy["closed_months"].as_array().unwrap().len(), 7);
    assert_eq!(
        accuracy["rows"].as_array().unwrap().len(),
        5,
        "maria's five retail salesmen"
    );
    let landing = json(&demo.run_as("maria", &["--json", "forecast", "landing"]));
    assert_eq!(
        decimal(&landing["landing"]),
        decimal(&landing["actual_to_date"]) + decimal(&landing["forecast_rest"])
    );

    // Re-run with another method; the horizon is the company's, changed by an administrator only.
    let run = json(&demo.run_as(
        "bella",
        &["--json", "forecast", "run", "--method", "snaive"],
    ));
    assert_eq!(run["horizon"], 12);
    let refused = demo.run_as("bella", &["forecast", "run", "--horizon", "6"]);
    assert!(
        stderr(&refused).contains("set for the whole company (12 months)"),
        "{}",
        stderr(&refused)
    );
    let bad = demo.run_as("admin", &["forecast", "run", "--horizon", "30"]);
    assert_eq!(
        stderr(&bad).trim(),
        "error: horizon: 30 months is outside 3–24 months"
    );
    let run = json(&demo.run_as("admin", &["--json", "forecast", "run", "--horizon", "6"]));
    assert_eq!(run["horizon"], 6);

    // Export: the forecast as xlsx, read back by calamine.
    let out = demo.dir.path().join("forecast.xlsx");
    let written = demo.run_as(
        "admin",
        &[
            "forecast",
            "export",
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
            "--level",
            "branch",
        ],
    );
    assert!(written.status.success(), "{}", stderr(&written));
    let table = salesplan_files::read(&out, &Default::default()).unwrap();
    assert_eq!(
        table.info().headers[..5],
        ["Level", "Month", "Baseline", "Override", "Final"]
    );
    assert_eq!(
        table.info().rows,
        6 * 6,
        "total and five branches, six months each"
    );
}
