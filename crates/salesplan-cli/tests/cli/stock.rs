//! `salesplan stock`: on-hand stock, an item's movements, a count and an
//! adjustment from the command line, each within the user's scope.

use crate::{Demo, json, stderr, stdout};
use rust_decimal::Decimal;

fn decimal(value: &serde_json::Value) -> Decimal {
    value.as_str().unwrap().parse().unwrap()
}

#[test]
fn count_and_adjust_stock_from_the_command_line() {
    let demo = Demo::create();
    let item = ["--location", "WH-1", "--sku", "HOU-020"];
    let rows = json(&demo.run_as("sven", &[&["--json", "stock"][..], &item].concat()));
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["location_name"], "Central Warehouse");
    let held = decimal(&rows[0]["quantity"]);
    assert!(held > Decimal::ZERO, "the demo's warehouse holds soap");

    let found = (held + Decimal::from(5)).to_string();
    let counted = json(
        &demo.run_as(
            "sven",
            &[
                &["--json", "stock", "count"][..],
                &item,
                &["--counted", &found, "--note", "year-end"],
            ]
            .concat(),
        ),
    );
    assert_eq!(counted["reason"], "count");
    assert_eq!(decimal(&counted["quantity"]), Decimal::from(5));

    let moves = json(&demo.run_as("sven", &[&["--json", "stock", "moves"][..], &item].concat()));
    let last = moves["movements"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["movement"]["note"], "year-end");
    assert_eq!(decimal(&last["balance"]), held + Decimal::from(5));
    assert_eq!(last["recorded_by"], "sven");
    let table = stdout(&demo.run_as("sven", &[&["stock", "moves"][..], &item].concat()));
    assert!(
        table
            .lines()
            .any(|line| line.contains("transfer_out") && line.contains("to BR-")),
        "{table}"
    );

    // bella keeps to her branch; an adjustment needs its reason.
    let elsewhere = demo.run_as(
        "bella",
        &[
            &["stock", "adjust"][..],
            &item,
            &["--quantity", "-2", "--reason", "Damaged"],
        ]
        .concat(),
    );
    assert!(!elsewhere.status.success());
    assert!(
        stderr(&elsewhere).contains("not allowed for a Branch Manager outside their branch"),
        "{}",
        stderr(&elsewhere)
    );
    let her_branch = ["--location", "BR-N", "--sku", "HOU-020"];
    let no_reason = demo.run_as(
        "bella",
        &[
            &["stock", "adjust"][..],
            &her_branch,
            &["--quantity", "-2", "--reason", " "],
        ]
        .concat(),
    );
    assert_eq!(
        stderr(&no_reason),
        "error: reason: say why the stock is adjusted (damaged, lost, found…)\n"
    );
    let adjusted = demo.run_as(
        "bella",
        &[
            &["stock", "adjust"][..],
            &her_branch,
            &["--quantity", "-2", "--reason", "Damaged"],
        ]
        .concat(),
    );
    assert!(adjusted.status.success(), "{}", stderr(&adjusted));
    assert!(
        stdout(&adjusted).starts_with("recorded adjustment of HOU-020 at BR-N on "),
        "{}",
        stdout(&adjusted)
    );
    assert!(
        stdout(&adjusted).trim_end().ends_with(": -2"),
        "{}",
        stdout(&adjusted)
    );
    let hers = json(&demo.run_as("bella", &["--json", "stock"]));
    assert!(
        hers.as_array()
            .unwrap()
            .iter()
            .all(|row| row["location_code"] == "BR-N")
    );
}

#[test]
fn a_sale_takes_stock_until_the_administrator_turns_that_off() {
    let demo = Demo::create();
    let item = ["--location", "BR-N", "--sku", "HOU-020"];
    let held = || {
        let rows = json(&demo.run_as("bella", &[&["--json", "stock"][..], &item].concat()));
        decimal(&rows[0]["quantity"])
    };
    let month = demo.open_month();
    let sell = |quantity: &str| {
        let sold = demo.run_as(
            "bella",
            &[
                "sales",
                "add",
                "--month",
                &month,
                "--sku",
                "HOU-020",
                "--branch",
                "BR-N",
                "--quantity",
                quantity,
            ],
        );
        assert!(sold.status.success(), "{}", stderr(&sold));
    };
    let before = held();
    sell("4");
    assert_eq!(
        held(),
        before - Decimal::from(4),
        "the sale issued its stock"
    );

    let shown = stdout(&demo.run_as("admin", &["settings", "show"]));
    assert!(shown.contains("sales issue stock: on"), "{shown}");
    let bad = demo.run_as("admin", &["settings", "set", "--sales-issue-stock", "no"]);
    assert!(
        stderr(&bad).contains("'no' is neither on nor off"),
        "{}",
        stderr(&bad)
    );
    let off = json(&demo.run_as(
        "admin",
        &["--json", "settings", "set", "--sales-issue-stock", "off"],
    ));
    assert_eq!(off["company"]["sales_issue_stock"], false);
    sell("6");
    assert_eq!(
        held(),
        before - Decimal::from(4),
        "with the setting off a sale leaves stock alone"
    );
}

#[test]
fn supply_chain_keeps_suppliers_from_the_command_line() {
    let demo = Demo::create();
    let listed = json(&demo.run_as("sven", &["--json", "suppliers", "list"]));
    assert_eq!(listed.as_array().unwrap().len(), 6, "the demo's suppliers");
    let added = json(&demo.run_as(
        "sven",
        &[
            "--json",
            "suppliers",
            "add",
            "SUP-ALP",
            "--name",
            "Alpen Getränke AG",
            "--currency",
            "chf",
            "--lead-time",
            "18",
            "--lead-time-sd",
            "2.5",
            "--order-cost",
            "75",
        ],
    ));
    assert_eq!(added["fields"]["currency"], "CHF");
    assert_eq!(added["fields"]["lead_time_days"], 18);
    let edited = demo.run_as(
        "sven",
        &["suppliers", "edit", "SUP-ALP", "--lead-time", "21"],
    );
    assert_eq!(stdout(&edited), "updated supplier SUP-ALP\n");
    let table = stdout(&demo.run_as("sven", &["suppliers", "list"]));
    assert!(
        table
            .lines()
            .any(|line| line.contains("SUP-ALP") && line.contains(" 21 ")),
        "{table}"
    );
    let zero = demo.run_as(
        "sven",
        &["suppliers", "edit", "SUP-ALP", "--lead-time", "0"],
    );
    assert_eq!(
        stderr(&zero),
        "error: lead_time_days: must be from 1 to 365 (got 0)\n"
    );
    let long = demo.run_as(
        "sven",
        &["suppliers", "edit", "SUP-ALP", "--lead-time", "400"],
    );
    assert!(
        stderr(&long).contains("lead_time_days: must be from 1 to 365 (got 400)"),
        "{}",
        stderr(&long)
    );
    let sam = demo.run_as(
        "sam",
        &[
            "suppliers",
            "add",
            "SUP-X",
            "--currency",
            "EUR",
            "--lead-time",
            "3",
        ],
    );
    assert!(!sam.status.success());
    assert!(
        stderr(&sam).contains("Maintaining suppliers is not allowed"),
        "{}",
        stderr(&sam)
    );
}

#[test]
fn supplier_products_from_the_command_line() {
    let demo = Demo::create();
    let soap = json(&demo.run_as("sven", &["--json", "supplier-products", "--sku", "HOU-020"]));
    let suppliers: Vec<&str> = soap
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line["supplier_code"].as_str().unwrap())
        .collect();
    assert_eq!(suppliers, ["SUP-HOU", "SUP-IMP"]);
    let set = demo.run_as(
        "sven",
        &[
            "supplier-products",
            "set",
            "SUP-IMP",
            "HOU-020",
            "--cost",
            "0.95",
            "--pack",
            "48",
            "--lead-time",
            "45",
            "--primary",
            "true",
        ],
    );
    assert_eq!(
        stdout(&set),
        "set HOU-020 from SUP-IMP: 0.95 a unit, packs of 48, at least 240, 45 days, primary\n",
        "{}",
        stderr(&set)
    );
    let table = stdout(&demo.run_as("sven", &["supplier-products", "--sku", "HOU-020"]));
    let primary: Vec<&str> = table
        .lines()
        .filter(|line| line.trim_end().ends_with("yes"))
        .collect();
    assert_eq!(primary.len(), 1, "{table}");
    assert!(primary[0].starts_with("SUP-IMP"), "{table}");

    let new_line = demo.run_as("sven", &["supplier-products", "set", "SUP-BEV", "HOU-020"]);
    assert_eq!(
        stderr(&new_line),
        "error: cost_price: required for a new line; give --cost PRICE\n"
    );
    let zero_pack = demo.run_as(
        "sven",
        &[
            "supplier-products",
            "set",
            "SUP-BEV",
            "HOU-020",
            "--cost",
            "1",
            "--pack",
            "0",
        ],
    );
    assert!(
        stderr(&zero_pack).starts_with("error: pack_size: must be more than 0"),
        "{}",
        stderr(&zero_pack)
    );
    let removed = demo.run_as(
        "sven",
        &["supplier-products", "remove", "SUP-IMP", "HOU-020"],
    );
    assert!(removed.status.success(), "{}", stderr(&removed));
    let sam = demo.run_as("sam", &["supplier-products"]);
    assert!(!sam.status.success());
    assert!(
        stderr(&sam).contains("Viewing stock is not allowed"),
        "{}",
        stderr(&sam)
    );
}

#[test]
fn a_salesman_reads_what_each_location_holds() {
    let demo = Demo::create();
    let refused = demo.run_as("sam", &["stock"]);
    assert!(stderr(&refused).contains("Viewing stock is not allowed"));
    let water = json(&demo.run_as(
        "sam",
        &["--json", "stock", "availability", "--sku", "bev-010"],
    ));
    assert_eq!(water["from_head_office"], false);
    let items = water["items"].as_array().unwrap();
    assert_eq!(items.len(), 6, "one per location: {items:?}");
    let sven = json(&demo.run_as("sven", &["--json", "stock", "--sku", "BEV-010"]));
    for (item, row) in items.iter().zip(sven.as_array().unwrap()) {
        assert_eq!(item["location_code"], row["location_code"]);
        assert_eq!(decimal(&item["on_hand"]), decimal(&row["quantity"]));
    }
    let text = stdout(&demo.run_as("sam", &["stock", "availability", "--location", "WH-1"]));
    assert!(
        text.starts_with("this ledger's own stock (it holds every sale)\nlocation"),
        "{text}"
    );
}

#[test]
fn supplier_lines_go_out_to_a_file_and_come_back_in_from_the_command_line() {
    let demo = Demo::create();
    let file = demo.dir.path().join("lines.csv");
    let file = file.to_str().unwrap();
    let exported = demo.run_as(
        "sven",
        &[
            "export",
            "supplier-products",
            "--format",
            "csv",
            "--out",
            file,
        ],
    );
    assert!(exported.status.success(), "{}", stderr(&exported));
    let text = std::fs::read_to_string(file).unwrap();
    assert!(
        text.starts_with("Supplier,Product,Supplier's article number,Cost price,"),
        "{text}"
    );
    let edited: Vec<String> = text
        .lines()
        .map(|line| match line.strip_prefix("SUP-IMP,HOU-020,") {
            Some(rest) => {
                let mut cells: Vec<&str> = rest.split(',').collect();
                cells[1] = "0.66";
                format!("SUP-IMP,HOU-020,{}", cells.join(","))
            }
            None => line.to_owned(),
        })
        .collect();
    std::fs::write(file, edited.join("\n")).unwrap();
    let imported = json(&demo.run_as(
        "sven",
        &["--json", "import", file, "--kind", "supplier-products"],
    ));
    assert_eq!(imported["import"]["rows_imported"], edited.len() - 1);
    let soap = json(&demo.run_as("sven", &["--json", "supplier-products", "--sku", "HOU-020"]));
    let line = soap
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["supplier_code"] == "SUP-IMP")
        .unwrap();
    assert_eq!(line["terms"]["cost_price"], "0.66");

    let refused = demo.run_as("sam", &["import", file, "--kind", "supplier-products"]);
    assert!(
        stderr(&refused).contains("Maintaining suppliers is not allowed"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn policies_show_their_breakdown_and_take_an_override_with_a_reason() {
    let demo = Demo::create();
    let item = ["--location", "WH-1", "--sku", "FRZ-010"];
    let list = json(&demo.run_as("sven", &["--json", "policy", "show"]));
    let lines = list["lines"].as_array().unwrap();
    assert!(
        lines.len() > 200,
        "every branch and the warehouse: {}",
        lines.len()
    );
    let one = json(&demo.run_as("sven", &[&["--json", "policy", "show"][..], &item].concat()));
    let computed = &one["computed"];
    assert_eq!(computed["demand_source"], "branches");
    assert_eq!(computed["method"], "normal");
    let reorder_point = decimal(&computed["reorder_point"]);
    assert!(reorder_point > Decimal::ZERO);
    // The breakdown names every number it was made of.
    let text = stdout(&demo.run_as("sven", &[&["policy", "show"][..], &item].concat()));
    for part in [
        "demand d =",
        "lead time L =",
        "σ_d =",
        "z =",
        "safety stock =",
        "reorder point =",
        "EOQ",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }

    let no_reason = demo.run_as(
        "sven",
        &[
            &["policy", "override"][..],
            &item,
            &["--reorder-point", "900", "--reason", " "],
        ]
        .concat(),
    );
    assert!(!no_reason.status.success());
    assert!(
        stderr(&no_reason).contains("reason"),
        "{}",
        stderr(&no_reason)
    );
    let by_bella = demo.run_as(
        "bella",
        &[
            &["policy", "override"][..],
            &item,
            &["--reorder-point", "900", "--reason", "x"],
        ]
        .concat(),
    );
    assert!(!by_bella.status.success());

    let overridden = json(
        &demo.run_as(
            "sven",
            &[
                &["--json", "policy", "override"][..],
                &item,
                &["--reorder-point", "900", "--reason", "summer stock-up"],
            ]
            .concat(),
        ),
    );
    assert_eq!(decimal(&overridden["reorder_point"]), Decimal::from(900));
    assert_eq!(overridden["override"]["reason"], "summer stock-up");
    let table = stdout(&demo.run_as("sven", &["policy", "show", "--location", "WH-1"]));
    assert!(
        table.lines().any(|line| line.contains("FRZ-010")
            && line.contains("900")
            && line.contains("summer stock-up")),
        "{table}"
    );
    let removed = json(&demo.run_as(
        "sven",
        &[&["--json", "policy", "remove-override"][..], &item].concat(),
    ));
    assert_eq!(decimal(&removed["reorder_point"]), reorder_point);

    // The company's rules: out of range refused, naming the rule; a change works policies out again.
    let refused = demo.run_as("admin", &["settings", "set", "--service-level-a", "100"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("service_level_a"),
        "{}",
        stderr(&refused)
    );
    let shown = stdout(&demo.run_as("admin", &["settings", "set", "--branch-lead-time", "14"]));
    assert!(shown.contains("warehouse to branch: 14 days"), "{shown}");
    let branch = json(&demo.run_as(
        "sven",
        &[
            "--json",
            "policy",
            "show",
            "--location",
            "BR-N",
            "--sku",
            "FRZ-010",
        ],
    ));
    assert_eq!(branch["computed"]["lead_time_days"], "14");

    let recomputed = json(&demo.run_as("sven", &["--json", "policy", "recompute"]));
    assert_eq!(recomputed["policies"].as_u64(), Some(lines.len() as u64));
    assert!(
        !demo
            .run_as("bella", &["policy", "recompute"])
            .status
            .success()
    );
}

#[test]
fn alerts_list_what_needs_doing_and_one_is_marked_read() {
    let demo = Demo::create();
    let centre = json(&demo.run_as("sven", &["--json", "alerts"]));
    let unread = centre["unread"].as_u64().unwrap();
    let stock = centre["stock"].as_array().unwrap();
    let kinds: Vec<&str> = stock
        .iter()
        .map(|alert| alert["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "below_reorder_point",
        "stock_out_within_lead_time",
        "overstock",
        "dead_stock",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let table = stdout(&demo.run_as("sven", &["alerts"]));
    assert!(table.starts_with(&format!("{unread} unread")), "{table}");
    assert!(table.contains("below reorder point"), "{table}");
    let id = stock[0]["id"].as_str().unwrap();
    let dismissed = demo.run_as("sven", &["alerts", "dismiss", &id[id.len() - 8..]]);
    assert!(dismissed.status.success(), "{}", stderr(&dismissed));
    let after = json(&demo.run_as("sven", &["--json", "alerts"]));
    assert_eq!(after["unread"].as_u64(), Some(unread - 1));
    // A salesman has no stock to be alerted about.
    let sam = json(&demo.run_as("sam", &["--json", "alerts"]));
    assert_eq!(sam["stock"].as_array().unwrap().len(), 0);
}
