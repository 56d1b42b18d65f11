//! `salesplan budgets`: the workflow of issue #3 from the command line.

use crate::{Demo, json, stderr};

#[test]
fn a_salesman_builds_submits_and_his_manager_approves_from_the_command_line() {
    let demo = Demo::create();
    let created = json(&demo.run_as(
        "sam",
        &[
            "--json",
            "budgets",
            "create",
            "--year",
            "2031",
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
            "2031-03",
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
            "2031-03",
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
            "--json", "budgets", "variance", "--year", "2031", "--level", "salesman",
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
