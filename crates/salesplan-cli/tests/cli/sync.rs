//! `salesplan sync` against a real head office (PostgreSQL started from the
//! system's binaries, the server's router on loopback): killed with SIGKILL in
//! the middle of its first push, run again, nothing is lost or applied twice.

use crate::Demo;
use std::time::{Duration, Instant};

#[path = "../../../salesplan-server-tests/tests/server/head_office.rs"]
mod head_office;

const HEAD_OFFICE_PASSWORD: &str = "head-office-pass-1";

struct HeadOffice {
    runtime: tokio::runtime::Runtime,
    pool: deadpool_postgres::Pool,
    base: String,
}

impl HeadOffice {
    /// Head office for the demo ledger `demo`: its administrator and salesmen.
    fn start(demo: &Demo) -> HeadOffice {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let (pool, base) = runtime.block_on(async {
            let office = head_office::start("Lakeside Trading GmbH").await;
            head_office::add_users(
                &office.pool,
                &head_office::demo_accounts(&demo.db()),
                HEAD_OFFICE_PASSWORD,
            )
            .await;
            (office.pool, office.base)
        });
        HeadOffice {
            runtime,
            pool,
            base,
        }
    }

    fn count(&self, sql: &str) -> i64 {
        self.runtime.block_on(async {
            let client = self.pool.get().await.unwrap();
            client.query_one(sql, &[]).await.unwrap().get(0)
        })
    }
}

#[test]
fn a_sync_killed_mid_push_resumes_without_losing_or_repeating_a_change() {
    let demo = Demo::create();
    let head_office = HeadOffice::start(&demo);
    let sync = || {
        let mut command = crate::salesplan();
        command
            .arg("--db")
            .arg(demo.db())
            .args(["--user", "admin", "sync", "--server", &head_office.base])
            .env("SALESPLAN_PASSWORD", HEAD_OFFICE_PASSWORD);
        command
    };

    // The demo's first push is some 13,000 changes in batches: kill it once head office holds some.
    let mut child = sync()
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while head_office.count("SELECT count(*) FROM mutations") == 0 {
        assert!(Instant::now() < deadline, "no push reached head office");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before = head_office.count("SELECT count(*) FROM mutations");

    let output = sync().output().unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(said.contains("0 refused"), "{said}");

    // Every queued change was answered, each is at head office once.
    let ledger = rusqlite::Connection::open(demo.db()).unwrap();
    let queued: i64 = ledger
        .query_row("SELECT count(*) FROM sync_queue", [], |row| row.get(0))
        .unwrap();
    let unanswered: i64 = ledger
        .query_row(
            "SELECT count(*) FROM sync_queue WHERE status <> 'applied'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(unanswered, 0);
    let held = head_office.count("SELECT count(*) FROM mutations");
    assert!(
        held > before,
        "the second run pushed the rest ({before} → {held})"
    );
    assert_eq!(held, queued, "head office holds each change once");
    assert_eq!(
        head_office.count("SELECT count(*) FROM changes WHERE entity <> 'user'"),
        head_office.count("SELECT count(DISTINCT op_uuid) FROM changes WHERE entity <> 'user'"),
    );

    // And a sync with nothing to do says so.
    let again = sync().output().unwrap();
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("0 sent, 0 refused"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[test]
fn a_new_laptop_killed_between_feed_pages_resumes_and_equals_head_office() {
    let demo = Demo::create();
    let head_office = HeadOffice::start(&demo);
    let sync = |db: &std::path::Path| {
        let mut command = crate::salesplan();
        command
            .arg("--db")
            .arg(db)
            .args(["--user", "admin", "sync", "--server", &head_office.base])
            .env("SALESPLAN_PASSWORD", HEAD_OFFICE_PASSWORD);
        command
    };
    // Head office gets the demo company's history from the administrator's ledger.
    assert!(sync(&demo.db()).output().unwrap().status.success());

    // A new laptop starts from head office: killed once a page and its cursor are stored.
    let fresh = demo.dir.path().join("fresh.db");
    let mut child = sync(&fresh)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let cursor = || -> i64 {
        rusqlite::Connection::open_with_flags(&fresh, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|ledger| {
                ledger.query_row("SELECT cursor FROM sync_state", [], |row| row.get(0))
            })
            .unwrap_or(0)
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while cursor() == 0 {
        assert!(Instant::now() < deadline, "no page was stored");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let killed_at = cursor();
    let feed_end = head_office.count("SELECT max(seq) FROM changes");
    assert!(
        killed_at < feed_end,
        "killed between pages ({killed_at} of {feed_end})"
    );

    let output = sync(&fresh).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(cursor(), feed_end);
    let count = |db: &std::path::Path, sql: &str| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row(sql, [], |row| row.get(0))
            .unwrap()
    };
    // What the demo ledger sent: all of it but what names someone head office
    // does not know (the demo's managers, supply chain and branch manager:
    // their approvals and transfers stay on the laptop, with the reason); a
    // record is there when its creation went.
    let staying = count(&demo.db(), "SELECT count(*) FROM sync_staying");
    assert!(staying > 0, "the demo's transfers name sven and bella");
    for table in [
        "actual_sales",
        "products",
        "customers",
        "budgets",
        "budget_lines",
        "stock_movements",
    ] {
        let sql = format!("SELECT count(*) FROM {table}");
        let sent = format!(
            "{sql} WHERE id NOT IN (SELECT o.entity_id FROM outbox o JOIN sync_staying s ON s.outbox_id = o.mutation_id
              WHERE o.mutation_id IN (SELECT min(mutation_id) FROM outbox GROUP BY entity_id))"
        );
        assert_eq!(count(&fresh, &sql), count(&demo.db(), &sent), "{table}");
    }
    assert_eq!(
        count(
            &fresh,
            "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"
        ),
        1
    );
}

/// Tried as each role would from the command line: only the ledger's
/// administrator moves its connection, no password goes to an address that
/// changed behind the user's back, sync status needs a sign-in, and a change
/// from head office this ledger's rules refuse is set aside with its reason
/// (the sync exits non-zero; every report still runs).
#[test]
fn the_connection_moves_only_by_the_administrator_and_a_bad_change_from_head_office_is_set_aside() {
    let demo = Demo::create();
    let head_office = HeadOffice::start(&demo);
    let run = |user: &str, password: &str, args: &[&str]| {
        crate::salesplan()
            .arg("--db")
            .arg(demo.db())
            .args(["--user", user])
            .args(args)
            .env("SALESPLAN_PASSWORD", password)
            .output()
            .unwrap()
    };
    let first = run(
        "admin",
        HEAD_OFFICE_PASSWORD,
        &["sync", "--server", &head_office.base],
    );
    assert!(first.status.success(), "{}", crate::stderr(&first));
    let held = || -> String {
        rusqlite::Connection::open(demo.db())
            .unwrap()
            .query_row("SELECT server_url FROM sync_state", [], |row| row.get(0))
            .unwrap()
    };
    let elsewhere = "http://127.0.0.1:9";
    for (user, password) in [
        ("sam", salesplan_core::demo::DEMO_PASSWORD),
        ("ghost", "anything"),
        ("admin", "not-the-password"),
    ] {
        let moved = run(user, password, &["sync", "--server", elsewhere]);
        assert!(!moved.status.success(), "{user} moved the connection");
        assert_eq!(
            held(),
            head_office.base,
            "{user}: {}",
            crate::stderr(&moved)
        );
    }
    let sam = crate::stderr(&run(
        "sam",
        salesplan_core::demo::DEMO_PASSWORD,
        &["sync", "--server", elsewhere],
    ));
    assert!(
        sam.contains("is not allowed for a Salesman")
            && sam.contains("it needs the role Administrator"),
        "{sam}"
    );

    // Moved behind the user's back (the file edited): no password goes there unconfirmed.
    rusqlite::Connection::open(demo.db())
        .unwrap()
        .execute("UPDATE sync_state SET server_url = ?1", [elsewhere])
        .unwrap();
    let refused = run("admin", HEAD_OFFICE_PASSWORD, &["sync"]);
    assert!(!refused.status.success());
    let why = crate::stderr(&refused);
    assert!(
        why.contains(&format!(
            "set to {elsewhere}, which it has not synced with (its last sync was with {})",
            head_office.base
        )),
        "{why}"
    );
    assert!(
        why.contains("no password is sent there until you confirm it"),
        "{why}"
    );
    let back = run(
        "admin",
        HEAD_OFFICE_PASSWORD,
        &["sync", "--server", &head_office.base],
    );
    assert!(back.status.success(), "{}", crate::stderr(&back));

    let anonymous = crate::salesplan()
        .arg("--db")
        .arg(demo.db())
        .args(["sync", "status"])
        .output()
        .unwrap();
    assert!(crate::stderr(&anonymous).contains("this command needs --user NAME"));

    // Head office's feed holds a sale that breaks the rules (taken by an older server).
    head_office.runtime.block_on(async {
        let client = head_office.pool.get().await.unwrap();
        let sale = uuid::Uuid::now_v7();
        let payload = serde_json::json!({
            "id": sale, "period": "2026-01", "product_id": uuid::Uuid::now_v7(), "location_id": uuid::Uuid::now_v7(),
            "salesman_id": null, "customer_id": null, "quantity": "1e30", "unit_price": "1", "amount": "1",
            "created_by": uuid::Uuid::now_v7(), "created_at": "2026-01-05T10:00:00Z",
        });
        client
            .execute(
                "INSERT INTO changes (entity, entity_id, kind, payload, hlc, client_id, op_uuid, user_id, view_action)
                 VALUES ('actual_sale', $1, 'appended', $2::jsonb::json, '1-0-x', $3, $4, $5, 'view_actuals')",
                &[&sale, &payload, &uuid::Uuid::new_v4(), &uuid::Uuid::now_v7(), &uuid::Uuid::now_v7()],
            )
            .await
            .unwrap();
    });
    let met = run("admin", HEAD_OFFICE_PASSWORD, &["sync"]);
    assert!(
        !met.status.success(),
        "a sync that set something aside exits non-zero"
    );
    assert!(
        crate::stderr(&met).contains("1 changes from head office could not be applied here"),
        "{}",
        crate::stderr(&met)
    );
    let conflicts = crate::json(&run(
        "admin",
        HEAD_OFFICE_PASSWORD,
        &["--json", "sync", "conflicts"],
    ));
    let aside = conflicts["set_aside"].as_array().unwrap();
    assert_eq!(aside.len(), 1, "{conflicts}");
    assert!(
        aside[0]["reason"]
            .as_str()
            .unwrap()
            .contains("quantity: '1e30' is not a decimal"),
        "{conflicts}"
    );
    let status = crate::json(&run(
        "admin",
        HEAD_OFFICE_PASSWORD,
        &["--json", "sync", "status"],
    ));
    assert_eq!(status["set_aside"], 1);
    for report in [
        &["sales"][..],
        &["budgets", "list"],
        &["budgets", "inbox"],
        &["forecast", "show"],
    ] {
        let output = run("admin", HEAD_OFFICE_PASSWORD, report);
        assert!(
            output.status.success(),
            "{report:?}: {}",
            crate::stderr(&output)
        );
    }
    let verified = run("admin", HEAD_OFFICE_PASSWORD, &["sync", "verify"]);
    assert!(
        verified.status.success(),
        "nothing bad entered the ledger: {}",
        crate::stderr(&verified)
    );
}
