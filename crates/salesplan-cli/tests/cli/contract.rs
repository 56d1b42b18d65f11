//! The CLI contract of issue #2: names, flags, exit codes, one clear error line.

use crate::{Demo, json, salesplan, stderr, stdout};

#[test]
fn a_salesman_cannot_add_users_but_the_administrator_can_and_it_is_audited() {
    let demo = Demo::create();
    let add_tina = [
        "users",
        "add",
        "tina",
        "--role",
        "salesman",
        "--department",
        "RET",
        "--location",
        "BR-N",
    ];
    let refused = demo.run_as("sam", &add_tina);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        stderr(&refused),
        "error: Managing users is not allowed for a Salesman; it needs the role Administrator\n"
    );

    let added = demo.run_as("admin", &[&["--json"], &add_tina[..]].concat());
    let tina = json(&added);
    assert_eq!(tina["username"], "tina");

    let audit = json(&demo.run_as(
        "admin",
        &["audit", "--json", "--entity", "user", "--limit", "1"],
    ));
    assert_eq!(audit[0]["entity_id"], tina["id"]);
    assert_eq!(
        (audit[0]["kind"].as_str(), audit[0]["username"].as_str()),
        (Some("created"), Some("admin"))
    );

    // The new salesman signs in with the password given at creation.
    let own = salesplan()
        .arg("--db")
        .arg(demo.db())
        .args(["--user", "tina", "--json", "users", "passwd"])
        .env("SALESPLAN_PASSWORD", "brand-new-pass")
        .env("SALESPLAN_NEW_PASSWORD", "tinas-own-pass")
        .output()
        .unwrap();
    assert!(own.status.success(), "{}", stderr(&own));
}

#[test]
fn init_creates_an_empty_ledger_that_the_administrator_fills() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let run = |args: &[&str]| {
        salesplan()
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("SALESPLAN_PASSWORD", "first-admin-pw")
            .output()
            .unwrap()
    };
    let init = run(&[
        "init",
        "--admin",
        "olivia",
        "--company",
        "Fjord Foods AS",
        "--currency",
        "nok",
    ]);
    assert!(init.status.success(), "{}", stderr(&init));
    assert!(
        run(&["init", "--admin", "again"]).status.code() == Some(1),
        "init refuses an existing ledger"
    );

    let settings = json(&run(&["--user", "olivia", "--json", "settings", "show"]));
    assert_eq!(settings["company"]["currency"], "NOK");
    assert!(
        run(&[
            "--user",
            "olivia",
            "categories",
            "add",
            "FISH",
            "--name",
            "Fish"
        ])
        .status
        .success()
    );
    let added = run(&[
        "--user",
        "olivia",
        "products",
        "add",
        "SALMON-1",
        "--name",
        "Salmon fillet",
        "--category",
        "fish",
        "--unit",
        "kg",
        "--price",
        "189,90",
    ]);
    assert!(added.status.success(), "{}", stderr(&added));
    let listed = json(&run(&["--user", "olivia", "--json", "products", "list"]));
    assert_eq!(listed[0]["fields"]["list_price"], "189.90");
    let table = stdout(&run(&["--user", "olivia", "products", "list"]));
    assert!(
        table
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("SALMON-1  Salmon fillet  FISH      kg    189.90      yes"),
        "{table}"
    );
}

#[test]
fn bad_input_gets_one_clear_line_and_a_failing_exit_code() {
    let demo = Demo::create();
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["users", "list"],
            "nobody",
            "error: wrong username or password\n",
        ),
        (
            vec![
                "products",
                "add",
                "BEV-010",
                "--name",
                "Copy",
                "--category",
                "BEV",
                "--price",
                "1",
            ],
            "admin",
            "error: product with sku 'BEV-010' already exists\n",
        ),
        (
            vec![
                "products",
                "add",
                "NEW-1",
                "--name",
                " ",
                "--category",
                "BEV",
                "--price",
                "1",
            ],
            "admin",
            "error: name: must not be empty\n",
        ),
        (
            vec![
                "products",
                "add",
                "NEW-1",
                "--name",
                "X",
                "--category",
                "NOPE",
                "--price",
                "1",
            ],
            "admin",
            "error: no product category 'NOPE'\n",
        ),
        (
            vec!["products", "edit", "BEV-010", "--price", "-2"],
            "admin",
            "error: list_price: must not be negative (got -2)\n",
        ),
        (
            vec!["departments", "edit", "XYZ", "--name", "X"],
            "admin",
            "error: no department 'XYZ'\n",
        ),
        (
            vec!["users", "add", "x", "--role", "boss"],
            "admin",
            "error: role: 'boss' is not a role; use one of administrator, salesman, manager, supply-chain, branch-manager\n",
        ),
        (
            vec!["users", "deactivate", "admin"],
            "admin",
            "error: active: you cannot deactivate your own account\n",
        ),
        (
            vec!["audit", "--since", "yesterday"],
            "admin",
            "error: since: 'yesterday' is not a time; write it as YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ\n",
        ),
    ];
    for (args, user, expected) in cases {
        let output = demo.run_as(user, &args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert_eq!(stderr(&output), expected, "{args:?}");
    }

    // A file name with a newline and an escape sequence, and a reader that
    // echoes a file: one short line, control characters shown escaped.
    let hostile = demo.dir.path().join("bad\n\u{1b}[31mname.csv");
    std::fs::write(&hostile, format!("\"{}", "x".repeat(100_000))).unwrap();
    let output = demo.run_as(
        "admin",
        &["import", hostile.to_str().unwrap(), "--kind", "products"],
    );
    assert_eq!(output.status.code(), Some(1));
    let said = stderr(&output);
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(!said.contains('\u{1b}'), "{said:?}");
    assert!(said.len() < 600, "{} bytes", said.len());

    let missing = salesplan()
        .args([
            "--db",
            "/nonexistent/dir/x.db",
            "--user",
            "admin",
            "users",
            "list",
        ])
        .output()
        .unwrap();
    assert!(
        stderr(&missing).starts_with("error: no ledger at /nonexistent/dir/x.db: create one with"),
        "{}",
        stderr(&missing)
    );
    let text_file = demo.dir.path().join("notes.txt");
    std::fs::write(&text_file, "hello").unwrap();
    let not_sqlite = salesplan()
        .arg("--db")
        .arg(&text_file)
        .args(["--user", "admin", "users", "list"])
        .output()
        .unwrap();
    assert!(
        stderr(&not_sqlite).ends_with("is not a Salesplan ledger (not an SQLite database file)\n")
    );
    let no_user = salesplan()
        .arg("--db")
        .arg(demo.db())
        .args(["users", "list"])
        .output()
        .unwrap();
    assert_eq!(
        stderr(&no_user),
        "error: this command needs --user NAME (the password comes from SALESPLAN_PASSWORD or a prompt)\n"
    );
}

#[test]
fn a_deactivated_user_is_turned_away() {
    let demo = Demo::create();
    assert!(
        demo.run_as("admin", &["users", "deactivate", "sam"])
            .status
            .success()
    );
    let output = demo.run_as("sam", &["sales"]);
    assert_eq!(
        stderr(&output),
        "error: the account 'sam' is deactivated; ask an administrator to reactivate it\n"
    );
    assert!(
        demo.run_as("admin", &["users", "activate", "sam"])
            .status
            .success()
    );
    assert!(demo.run_as("sam", &["sales"]).status.success());
}

/// `salesplan users list | head -1` panicked ("failed printing to stdout:
/// Broken pipe") with a backtrace: a reader that leaves early is no error.
#[test]
fn a_reader_that_stops_early_is_no_error() {
    let demo = Demo::create();
    // `true` has gone long before the sign-in (a password hash) lets the list print.
    let piped = std::process::Command::new("bash")
        .arg("-c")
        .arg(
            r#"set -o pipefail; "$0" --db "$1" --user admin users list | true; echo "exit $?" >&2"#,
        )
        .arg(env!("CARGO_BIN_EXE_salesplan"))
        .arg(demo.db())
        .env("SALESPLAN_PASSWORD", salesplan_core::demo::DEMO_PASSWORD)
        .output()
        .unwrap();
    assert_eq!(stderr(&piped), "exit 0\n");
}
