//! `salesplan replenish propose` and `salesplan po …` as a user runs them, and
//! a receipt of a thousand lines killed midway: all of it or none.

use crate::{Demo, integrity, json, salesplan, stderr};
use std::time::Duration;

#[test]
fn sven_orders_from_the_proposal_and_bella_receives_from_the_command_line() {
    let demo = Demo::create();
    let proposal = json(&demo.run_as(
        "sven",
        &["--json", "replenish", "propose", "--location", "BR-N"],
    ));
    let group = &proposal["groups"][0];
    assert_eq!(group["location_code"], "BR-N", "{proposal}");
    let sku = group["lines"][0]["sku"].as_str().unwrap().to_owned();
    let made = json(&demo.run_as(
        "sven",
        &[
            "--json",
            "po",
            "create",
            "--from-proposal",
            "--location",
            "BR-N",
            "--note",
            "water damage",
        ],
    ));
    let number = made[0]["number"].as_str().unwrap().to_owned();
    assert_eq!(made[0]["state"], "draft");
    // The tail of the number names it too.
    let tail = &number[number.len() - 4..];
    let sent = json(&demo.run_as("sven", &["--json", "po", "send", tail]));
    assert_eq!(sent["state"], "sent");
    // Nothing more is proposed there: it is on order.
    let again = json(&demo.run_as(
        "sven",
        &["--json", "replenish", "propose", "--location", "BR-N"],
    ));
    assert_eq!(again["groups"], serde_json::json!([]), "{again}");

    // Bella receives part; more than the tolerance needs a reason.
    let over = demo.run_as(
        "bella",
        &["po", "receive", &number, "--line", &format!("{sku}=100000")],
    );
    assert_eq!(over.status.code(), Some(1));
    assert!(
        stderr(&over).starts_with("error: lines[0].quantity: ")
            && stderr(&over).contains("confirm with a reason"),
        "{}",
        stderr(&over)
    );
    let part = json(&demo.run_as(
        "bella",
        &[
            "--json",
            "po",
            "receive",
            &number,
            "--line",
            &format!("{sku}=12"),
        ],
    ));
    assert_eq!(part["state"], "partially_received");
    let line = part["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["sku"] == sku.as_str())
        .unwrap();
    assert_eq!(line["received"], "12");
    // She neither sends nor cancels; a cancel of a sent order needs its reason.
    let refused = demo.run_as("bella", &["po", "cancel", &number, "--reason", "no"]);
    assert!(
        stderr(&refused)
            .starts_with("error: Ordering from suppliers is not allowed for a Branch Manager")
    );
    let no_reason = demo.run_as("sven", &["po", "cancel", &number]);
    assert!(
        stderr(&no_reason).starts_with("error: reason: is required"),
        "{}",
        stderr(&no_reason)
    );

    // The supplier's file: one row a line, with our SKU and the quantity.
    let out = demo.dir.path().join("order.csv");
    let written = json(&demo.run_as(
        "sven",
        &[
            "--json",
            "po",
            "export",
            &number,
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    assert_eq!(written["rows"], part["lines"].as_array().unwrap().len());
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with(&format!("{number},")),
        "{csv}"
    );
    let listed = json(&demo.run_as("bella", &["--json", "po", "list"]));
    assert_eq!(listed[0]["number"], number.as_str());
    // A salesman sees no stock, so no orders.
    let refused = demo.run_as("sam", &["po", "list"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).starts_with("error: Viewing stock is not allowed"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn a_receipt_of_a_thousand_lines_killed_midway_lands_whole_or_not_at_all() {
    let demo = Demo::create();
    let db = demo.db();
    // A thousand products, and one order of all of them from a supplier with no terms for them.
    let products = demo.dir.path().join("products.csv");
    let mut text = String::from("SKU,Name,Category,Unit,List price,Active\n");
    for n in 0..1000 {
        text.push_str(&format!("BULK-{n:04},Bulk item {n},BEV,case,2.00,yes\n"));
    }
    std::fs::write(&products, text).unwrap();
    let imported = demo.run_as(
        "admin",
        &["import", products.to_str().unwrap(), "--kind", "products"],
    );
    assert!(imported.status.success(), "{}", stderr(&imported));
    let mut create = vec![
        "--json",
        "po",
        "create",
        "--supplier",
        "SUP-BEV",
        "--location",
        "WH-1",
    ];
    let lines: Vec<String> = (0..1000).map(|n| format!("BULK-{n:04}=10@1.25")).collect();
    for line in &lines {
        create.extend(["--line", line.as_str()]);
    }
    let made = json(&demo.run_as("sven", &create));
    let number = made[0]["number"].as_str().unwrap().to_owned();
    assert_eq!(made[0]["lines"].as_array().unwrap().len(), 1000);
    json(&demo.run_as("sven", &["--json", "po", "send", &number]));

    let receipts = || -> i64 {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.query_row(
            "SELECT count(*) FROM stock_movements WHERE order_line_id IS NOT NULL",
            [],
            |row| row.get(0),
        )
        .unwrap()
    };
    let mut outcomes = Vec::new();
    for delay_ms in [100, 250, 400, 600, 900, 1300, 2000, 3000] {
        let mut child = salesplan()
            .arg("--db")
            .arg(&db)
            .args(["--user", "sven", "po", "receive", &number, "--all"])
            .env("SALESPLAN_PASSWORD", salesplan_core::demo::DEMO_PASSWORD)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        assert_eq!(integrity(&db), "ok", "after a kill at {delay_ms} ms");
        let now = receipts();
        assert!(
            now == 0 || now == 1000,
            "{now} receipts after a kill at {delay_ms} ms"
        );
        outcomes.push(now);
        if now == 1000 {
            break;
        }
    }
    assert!(
        outcomes.contains(&0),
        "at least one kill landed before the commit: {outcomes:?}"
    );
    if !outcomes.contains(&1000) {
        // Never finished under the kills: it does when left alone.
        json(&demo.run_as("sven", &["--json", "po", "receive", &number, "--all"]));
        assert_eq!(receipts(), 1000);
    }
    let order = json(&demo.run_as("sven", &["--json", "po", "show", &number]));
    assert_eq!(order["state"], "received");
}
