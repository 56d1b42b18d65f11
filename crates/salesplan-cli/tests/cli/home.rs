//! `salesplan home`: the home screen's figures in a terminal and as JSON, and
//! a user's arrangement of it, each within the user's rights.

use crate::{Demo, json, stderr, stdout};

#[test]
fn the_home_screen_from_the_command_line() {
    let demo = Demo::create();

    // maria's home: what waits for her is her inbox, her sales her department's.
    let home = json(&demo.run_as("maria", &["--json", "home"]));
    let inbox = json(&demo.run_as("maria", &["--json", "budgets", "inbox"]));
    let waiting = home["approvals"].as_array().unwrap();
    assert!(!waiting.is_empty());
    assert_eq!(waiting.len(), inbox.as_array().unwrap().len());
    assert_eq!(home["layout"][0], "approvals");
    assert_eq!(home["sales"]["scope_label"], "Retail Sales");
    assert_eq!(home["sales"]["month"], demo.last_month.to_string());
    let text = stdout(&demo.run_as("maria", &["home"]));
    assert!(text.starts_with("Waiting for your approval:"), "{text}");
    assert!(text.contains("Sales: Retail Sales"), "{text}");

    // sam arranges his; a widget he has no right to is refused in one line, nothing changed.
    let arranged = json(&demo.run_as("sam", &["--json", "home", "arrange", "trend,sales"]));
    assert_eq!(arranged["layout"], serde_json::json!(["trend", "sales"]));
    assert_eq!(arranged["landing"], serde_json::Value::Null);
    let refused = demo.run_as("sam", &["home", "arrange", "sales,stock"]);
    assert!(!refused.status.success());
    let message = stderr(&refused);
    assert!(
        message.contains("stock") && message.lines().count() == 1,
        "{message}"
    );
    let unknown = demo.run_as("sam", &["home", "arrange", "sales,weather"]);
    assert!(
        stderr(&unknown).contains("'weather' is no widget"),
        "{}",
        stderr(&unknown)
    );
    let home = json(&demo.run_as("sam", &["--json", "home"]));
    assert_eq!(home["layout"], serde_json::json!(["trend", "sales"]));
    assert_eq!(home["arranged"], true);

    // The insights: ranked, the home's first five among them.
    let insights = json(&demo.run_as("maria", &["--json", "insights"]));
    assert_eq!(insights["through"], demo.last_month.to_string());
    let items = insights["items"].as_array().unwrap();
    let home = json(&demo.run_as("maria", &["--json", "home"]));
    assert_eq!(
        home["insights"].as_array().unwrap()[..],
        items[..items.len().min(5)]
    );
    let text = stdout(&demo.run_as("maria", &["insights"]));
    assert!(text.contains(" 1. ") && text.contains("€"), "{text}");

    // A shared report pinned: last on his home, run in his scope, its table in the text.
    let pinned = json(&demo.run_as("sam", &["--json", "home", "pin", "Monthly sales by branch"]));
    let report = json(&demo.run_as(
        "sam",
        &["--json", "report", "run", "Monthly sales by branch"],
    ));
    assert_eq!(pinned["layout"][2]["report"], pinned["reports"][0]["id"]);
    assert_eq!(pinned["reports"][0]["result"], report);
    let text = stdout(&demo.run_as("sam", &["home"]));
    assert!(text.contains("Monthly sales by branch"), "{text}");
    let unknown = demo.run_as("sam", &["home", "pin", "Margin by category"]);
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("Margin by category"),
        "{}",
        stderr(&unknown)
    );

    let reset = json(&demo.run_as("sam", &["--json", "home", "reset"]));
    assert_eq!(reset["arranged"], false);
    assert_eq!(reset["layout"][0], "sales");
}

#[test]
fn alert_rules_from_the_command_line() {
    let demo = Demo::create();
    // A rule on the branch's sales, one on stock; both checked at once.
    let added = json(&demo.run_as(
        "bella",
        &[
            "--json",
            "alerts",
            "rules",
            "add",
            "--name",
            "North sold",
            "--measure",
            "sales-month",
            "--above",
            "0",
            "--branch",
            "BR-N",
        ],
    ));
    assert_eq!(added["state"], "ok");
    let id = added["id"].as_str().unwrap().to_owned();
    json(&demo.run_as(
        "bella",
        &[
            "--json",
            "alerts",
            "rules",
            "add",
            "--name",
            "Short",
            "--measure",
            "stock-alerts",
            "--above",
            "0",
            "--stock-kind",
            "below_reorder_point",
        ],
    ));
    let checked = json(&demo.run_as("bella", &["--json", "alerts", "rules", "check"]));
    let told = checked["told"].as_array().unwrap();
    assert_eq!(told.len(), 2, "{checked}");
    assert!(told.iter().all(|rule| rule["state"] == "triggered"));
    // In `alerts`, unread, and dismissed there.
    let text = stdout(&demo.run_as("bella", &["alerts"]));
    assert!(
        text.contains("rule triggered") && text.contains("North sold"),
        "{text}"
    );
    let short = &id[id.len() - 8..];
    json(&demo.run_as("bella", &["--json", "alerts", "dismiss", short]));
    let rules = json(&demo.run_as("bella", &["--json", "alerts", "rules", "list"]));
    let north = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|rule| rule["id"] == id.as_str())
        .unwrap();
    assert_eq!(north["read"], true);
    // Checked again: told once only.
    let again = json(&demo.run_as("bella", &["--json", "alerts", "rules", "check"]));
    assert!(again["told"].as_array().unwrap().is_empty(), "{again}");
    // Snoozed, removed; refusals in one line.
    let snoozed = json(&demo.run_as(
        "bella",
        &[
            "--json",
            "alerts",
            "rules",
            "snooze",
            short,
            "--until",
            "2099-01-01",
        ],
    ));
    assert_eq!(snoozed["snoozed_until"], "2099-01-01");
    let refused = demo.run_as(
        "sam",
        &[
            "alerts",
            "rules",
            "add",
            "--name",
            "x",
            "--measure",
            "stock-alerts",
            "--above",
            "0",
        ],
    );
    assert!(!refused.status.success());
    assert_eq!(stderr(&refused).lines().count(), 1, "{}", stderr(&refused));
    let refused = demo.run_as("sam", &["alerts", "rules", "remove", short]);
    assert!(
        stderr(&refused).contains("no rule of yours"),
        "{}",
        stderr(&refused)
    );
    json(&demo.run_as("bella", &["--json", "alerts", "rules", "remove", short]));
    assert_eq!(
        json(&demo.run_as("bella", &["--json", "alerts", "rules", "list"]))
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
