//! `salesplan budgets`: the workflow of issue #3 from the command line.

use crate::{Demo, json, stderr, stdout};

#[test]
fn a_salesman_builds_submits_and_his_manager_approves_from_the_command_line() {
    let demo = Demo::create();
    let year = demo.year_after(5);
    let created = json(&demo.run_as(
        "sam",
        &[
            "--json",
            "budgets",
            "create",
            "--year",
            &year,
            "--from-last-year",
            "5",
        ],
    ));
    let full_id = created["id"].as_str().unwrap();
    let id = full_id[full_id.len() - 8..].to_owned();
    assert_eq!(created["status"], "draft");

    let line = json(&demo.run_as(
        "sam",
        &[
            "--json",
            "budgets",
            "edit-line",
            &id,
            "--sku",
            "DRY-010",
            "--month",
            &format!("{year}-03"),
            "--quantity",
            "40",
            "--price",
            "10,50",
        ],
    ));
    assert_eq!(
        (line["quantity"].as_str(), line["amount"].as_str()),
        (Some("40"), Some("420.00"))
    );
    let spread = json(&demo.run_as(
        "sam",
        &[
            "--json", "budgets", "spread", &id, "--sku", "BEV-010", "--total", "1200",
        ],
    ));
    assert_eq!(spread.as_array().unwrap().len(), 12);

    let refused = demo.run_as("sam", &["budgets", "approve", &id]);
    assert_eq!(
        stderr(&refused),
        "error: Approving budgets is not allowed for a Salesman; it needs the role Administrator or Manager or Branch Manager\n"
    );
    assert!(
        demo.run_as("sam", &["budgets", "submit", &id])
            .status
            .success()
    );
    let inbox = json(&demo.run_as("maria", &["--json", "budgets", "inbox"]));
    assert_eq!(inbox[0]["budget"]["owner_name"], "Sam Becker");
    let rejected = demo.run_as("maria", &["budgets", "reject", &id, "--comment", ""]);
    assert_eq!(
        stderr(&rejected),
        "error: comment: is required to reject a budget: say why\n"
    );
    assert!(
        demo.run_as("maria", &["budgets", "approve", &id, "--comment", "ok"])
            .status
            .success()
    );

    let locked_edit = demo.run_as(
        "sam",
        &[
            "budgets",
            "edit-line",
            &id,
            "--sku",
            "DRY-010",
            "--month",
            &format!("{year}-03"),
            "--quantity",
            "1",
        ],
    );
    assert_eq!(locked_edit.status.code(), Some(1));
    assert!(
        stderr(&locked_edit).contains("an approved budget cannot be edited"),
        "{}",
        stderr(&locked_edit)
    );
    let report = json(&demo.run_as(
        "maria",
        &[
            "--json", "budgets", "variance", "--year", &year, "--level", "salesman",
        ],
    ));
    assert_eq!(report["rows"][0]["label"], "Sam Becker");
    assert_eq!(
        report["total"]["full_year"]["budget"],
        created_total(&demo, &id)
    );
}

fn created_total(demo: &Demo, id: &str) -> serde_json::Value {
    let sheet = json(&demo.run_as("sam", &["--json", "budgets", "show", id]));
    sheet["total_amount"].clone()
}

#[test]
fn a_template_an_amount_spread_and_a_sale_entered_by_hand() {
    let demo = Demo::create();
    let next_year = demo.year_after(1);
    let created = json(&demo.run_as(
        "sam",
        &[
            "--json",
            "budgets",
            "create",
            "--year",
            &next_year,
            "--from-last-year",
            "0",
        ],
    ));
    let id = created["id"].as_str().unwrap().to_owned();
    let saved = json(&demo.run_as(
        "sam",
        &[
            "--json",
            "templates",
            "save",
            &id[id.len() - 8..],
            "--name",
            "Retail route",
        ],
    ));
    let template_lines = saved["lines"].as_array().unwrap().len();
    assert!(template_lines > 0);
    // It copies sam's budget: nina sees it once sam shares it.
    let listed = stdout(&demo.run_as("nina", &["templates", "list"]));
    assert!(!listed.contains("Retail route"), "{listed}");
    let shared = demo.run_as("sam", &["templates", "share", "retail route"]);
    assert!(
        stdout(&shared).contains("is shared with everyone who builds budgets"),
        "{}",
        crate::stderr(&shared)
    );
    let listed = stdout(&demo.run_as("nina", &["templates", "list"]));
    assert!(
        listed.contains("Retail route") && listed.contains("yes"),
        "{listed}"
    );

    let from_template = json(&demo.run_as(
        "nina",
        &[
            "--json",
            "budgets",
            "create",
            "--year",
            &demo.year_after(2),
            "--template",
            "retail ROUTE",
        ],
    ));
    let nina_id = from_template["id"].as_str().unwrap().to_owned();
    let sheet = json(&demo.run_as("nina", &["--json", "budgets", "show", &nina_id]));
    let products: std::collections::BTreeSet<&str> = sheet["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line["product_id"].as_str().unwrap())
        .collect();
    assert_eq!(products.len(), template_lines);
    let unknown = demo.run_as(
        "nina",
        &[
            "budgets",
            "create",
            "--year",
            &demo.year_after(3),
            "--template",
            "Nope",
        ],
    );
    assert_eq!(
        stderr(&unknown),
        "error: template: no template named 'Nope' (see `salesplan templates list`)\n"
    );

    let spread = json(&demo.run_as(
        "nina",
        &[
            "--json", "budgets", "spread", &nina_id, "--sku", "HOU-020", "--total", "1000", "--of",
            "amount",
        ],
    ));
    let amounts: Vec<&str> = spread
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line["amount"].as_str().unwrap())
        .collect();
    assert_eq!(
        amounts.iter().filter(|a| **a == "83.34").count(),
        4,
        "{amounts:?}"
    );
    assert_eq!(
        amounts.iter().filter(|a| **a == "83.33").count(),
        8,
        "{amounts:?}"
    );

    let before = json(&demo.run_as("sam", &["--json", "sales"]));
    let posted = json(&demo.run_as(
        "sam",
        &[
            "--json",
            "sales",
            "add",
            "--month",
            &demo.open_month(),
            "--sku",
            "HOU-020",
            "--branch",
            "BR-N",
            "--quantity",
            "-2",
            "--price",
            "3.49",
        ],
    ));
    assert_eq!(posted[0]["amount"], "-6.98");
    let after = json(&demo.run_as("sam", &["--json", "sales"]));
    let october = |overview: &serde_json::Value| -> rust_decimal::Decimal {
        let month = overview["months"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["period"] == demo.open_month().as_str())
            .unwrap();
        month["amount"].as_str().unwrap().parse().unwrap()
    };
    assert_eq!(october(&after) - october(&before), "-6.98".parse().unwrap());
    let refused = demo.run_as(
        "sam",
        &[
            "sales",
            "add",
            "--month",
            &demo.open_month(),
            "--sku",
            "HOU-020",
            "--branch",
            "BR-N",
            "--salesman",
            "nina",
            "--quantity",
            "1",
        ],
    );
    assert_eq!(
        stderr(&refused),
        "error: salesman: no salesman 'nina' whose sales you may enter\n"
    );
}
