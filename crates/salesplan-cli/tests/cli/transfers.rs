//! `salesplan transfers …` as the people it is for run it: bella asks, sven
//! approves and ships, the stock is in transit at both ends, bella receives
//! two short with the reason; and the refusals, said plainly.

use crate::{Demo, json, stderr};

#[test]
fn bella_asks_sven_ships_and_bella_receives_two_short_from_the_command_line() {
    let demo = Demo::create();
    let asked = json(&demo.run_as(
        "bella",
        &[
            "--json",
            "transfers",
            "request",
            "--from",
            "WH-1",
            "--to",
            "BR-N",
            "--line",
            "BEV-010=24",
            "--note",
            "water damage",
        ],
    ));
    assert_eq!(asked["state"], "requested", "{asked}");
    let number = asked["number"].as_str().unwrap().to_owned();
    let tail = &number[number.len() - 4..];

    // Hers to ask, Supply Chain's to approve; a salesman of her branch reads it.
    let refused = demo.run_as("bella", &["transfers", "approve", tail]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).starts_with(
            "error: Approving and shipping transfers is not allowed for a Branch Manager"
        ),
        "{}",
        stderr(&refused)
    );
    let seen = json(&demo.run_as("sam", &["--json", "transfers", "show", &number]));
    assert_eq!(seen["to_code"], "BR-N");
    let elsewhere = demo.run_as(
        "bella",
        &[
            "transfers",
            "request",
            "--from",
            "WH-1",
            "--to",
            "BR-S",
            "--line",
            "BEV-010=1",
        ],
    );
    assert!(
        stderr(&elsewhere).contains("outside their branch"),
        "{}",
        stderr(&elsewhere)
    );

    json(&demo.run_as("sven", &["--json", "transfers", "approve", tail]));
    let shipped = json(&demo.run_as("sven", &["--json", "transfers", "ship", &number]));
    assert_eq!(shipped["state"], "in_transit");
    // In transit on the lane and in the branch's stock.
    let lanes = json(&demo.run_as("bella", &["--json", "transfers", "lanes"]));
    let lane = lanes
        .as_array()
        .unwrap()
        .iter()
        .find(|lane| {
            lane["transfers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n == number.as_str())
        })
        .expect("the lane carrying it");
    assert_eq!(
        (lane["from_code"].as_str(), lane["to_code"].as_str()),
        (Some("WH-1"), Some("BR-N"))
    );
    let stock = json(&demo.run_as(
        "bella",
        &["--json", "stock", "--location", "BR-N", "--sku", "BEV-010"],
    ));
    assert_eq!(stock[0]["in_transit"], "24", "{stock}");

    let no_reason = demo.run_as(
        "bella",
        &[
            "transfers",
            "receive",
            &number,
            "--line",
            "BEV-010=22",
            "--short",
            "BEV-010=2",
        ],
    );
    assert_eq!(no_reason.status.code(), Some(1));
    assert!(
        stderr(&no_reason).starts_with("error: lines[0].reason: ")
            && stderr(&no_reason).contains("is required for stock recorded short"),
        "{}",
        stderr(&no_reason)
    );
    let received = json(&demo.run_as(
        "bella",
        &[
            "--json",
            "transfers",
            "receive",
            &number,
            "--line",
            "BEV-010=22",
            "--short",
            "BEV-010=2",
            "--reason",
            "two cases missing",
        ],
    ));
    assert_eq!(received["state"], "closed");
    assert_eq!(received["lines"][0]["short"], "2");
    let after = json(&demo.run_as(
        "bella",
        &["--json", "stock", "--location", "BR-N", "--sku", "BEV-010"],
    ));
    assert_eq!(after[0]["in_transit"], "0");
    let closed = json(&demo.run_as(
        "sven",
        &["--json", "transfers", "list", "--state", "closed"],
    ));
    assert!(
        closed
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["number"] == number.as_str()),
        "{closed}"
    );
    let bogus = demo.run_as("sven", &["transfers", "list", "--state", "lost"]);
    assert!(
        stderr(&bogus).starts_with("error: state: 'lost' is not a transfer's state"),
        "{}",
        stderr(&bogus)
    );
    // The text form says who took each step.
    let shown = demo.run_as("bella", &["transfers", "show", &number]);
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(text.contains("approved by Sven"), "{text}");
    assert!(text.contains("closed by Bella"), "{text}");
}
