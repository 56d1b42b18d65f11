//! `salesplan sources`: a PostgreSQL till database added with its password
//! from the environment, tested, previewed, synced twice (the second run
//! brings only the new row), its jobs listed; a wrong password fails the job.

use crate::{Demo, json, stderr};
use salesplan_test_servers::postgres::Cluster;

#[test]
fn a_till_database_is_added_tested_and_synced_from_the_command_line() {
    let demo = Demo::create();
    let cluster = Cluster::get();
    let url = cluster.database();
    let database = url.rsplit('/').next().unwrap().to_owned();
    let reader = format!("cli_{database}");
    let day = format!("{}-05", demo.open_month());
    cluster.sql(
        &database,
        &format!(
            "CREATE TABLE sales (line text, sale_date date, sku text, branch text, salesman text,
                 quantity numeric, unit_price numeric, changed bigint);
             INSERT INTO sales VALUES ('L1', '{day}', 'BEV-010', 'BR-N', 'sam', 2, 2.50, 1),
                                      ('L2', '{day}', 'SNK-010', 'BR-N', 'sam', 1, 1.10, 2);
             CREATE ROLE {reader} LOGIN PASSWORD 'cli-secret' IN ROLE secured;
             GRANT SELECT ON sales TO {reader};"
        ),
    );
    let server = format!("127.0.0.1:{}/{database}", cluster.port());
    let with_secret = |user: &str, secret: &str, args: &[&str]| {
        let mut command = crate::salesplan();
        command
            .arg("--db")
            .arg(demo.db())
            .args(["--user", user])
            .args(args)
            .env("SALESPLAN_PASSWORD", salesplan_core::demo::DEMO_PASSWORD)
            .env("SALESPLAN_SOURCE_SECRET", secret);
        command.output().unwrap()
    };
    let query =
        "SELECT line, sale_date, sku, branch, salesman, quantity, unit_price, changed FROM sales";
    let added = json(&with_secret(
        "admin",
        "cli-secret",
        &[
            "--json",
            "sources",
            "add",
            "Till",
            "--postgres",
            &server,
            "--login",
            &reader,
            "--password",
            "--query",
            query,
            "--kind",
            "actuals",
            "--incremental",
            "changed",
            "--every",
            "15",
        ],
    ));
    assert_eq!(added["owner_name"], "admin");
    assert_eq!(added["schedule"]["kind"], "every");

    let tested = json(&with_secret(
        "admin",
        "cli-secret",
        &["--json", "sources", "test", "Till"],
    ));
    assert!(tested["server"].as_str().unwrap().starts_with("PostgreSQL"));
    let preview = json(&with_secret(
        "admin",
        "cli-secret",
        &["--json", "sources", "preview", "Till"],
    ));
    assert_eq!(preview["rows"].as_array().unwrap().len(), 2);
    let tables = json(&with_secret(
        "admin",
        "cli-secret",
        &["--json", "sources", "discover", "Till"],
    ));
    assert!(
        tables
            .as_array()
            .unwrap()
            .iter()
            .any(|table| table["name"] == "sales")
    );

    let first = json(&with_secret(
        "admin",
        "cli-secret",
        &["--json", "sources", "sync", "Till"],
    ));
    assert_eq!(first[0]["outcome"], "imported", "{first}");
    assert_eq!(first[0]["rows_imported"], 2);
    cluster.sql(
        &database,
        &format!("INSERT INTO sales VALUES ('L3', '{day}', 'BEV-020', 'BR-N', 'sam', 4, 4.00, 3)"),
    );
    let second = json(&with_secret(
        "admin",
        "cli-secret",
        &["--json", "sources", "sync", "--all"],
    ));
    assert_eq!(
        (
            second[0]["rows_read"].as_u64(),
            second[0]["rows_imported"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(second[0]["cursor_after"], "3");

    // A wrong password: the job fails with the reason, the command says so and exits 1.
    let wrong = with_secret("admin", "not-it", &["sources", "sync", "Till"]);
    assert!(!wrong.status.success());
    assert!(
        stderr(&wrong).contains("did not import"),
        "{}",
        stderr(&wrong)
    );
    let jobs = json(&with_secret(
        "admin",
        "x",
        &["--json", "sources", "jobs", "Till"],
    ));
    assert_eq!(jobs[0]["outcome"], "failed");
    assert!(
        jobs[0]["message"]
            .as_str()
            .unwrap()
            .contains("authentication failed"),
        "{jobs}"
    );
    assert_eq!(jobs.as_array().unwrap().len(), 3);

    // Salesmen neither add sources nor see one they do not own.
    let refused = demo.run_as(
        "sam",
        &[
            "sources",
            "add",
            "Mine",
            "--sqlite",
            "/tmp/x.db",
            "--query",
            "SELECT 1",
            "--kind",
            "actuals",
        ],
    );
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("Administrator"),
        "{}",
        stderr(&refused)
    );
    let listed = json(&demo.run_as("sam", &["--json", "sources", "list"]));
    assert!(listed.as_array().unwrap().is_empty());
}
