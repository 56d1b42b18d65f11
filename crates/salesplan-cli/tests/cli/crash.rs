//! kill -9 in the middle of a write leaves a ledger that opens and passes `PRAGMA integrity_check`.

use crate::{integrity, salesplan};
use std::time::Duration;

#[test]
fn killing_the_cli_mid_write_never_leaves_a_broken_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    // Kill `salesplan demo` (one large write) at different points of its run.
    for delay_ms in [20, 120, 300, 500, 700, 900] {
        let mut child = salesplan()
            .arg("--db")
            .arg(&db)
            .arg("demo")
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        // Every database file left behind, finished or mid-write, is intact.
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with("-wal") && !name.ends_with("-shm") {
                assert_eq!(
                    integrity(&path),
                    "ok",
                    "{name} after a kill at {delay_ms} ms"
                );
            }
        }
        // The ledger itself is either absent or whole, and opens.
        if db.exists() {
            let ledger = salesplan_core::Ledger::open(&db).unwrap();
            assert_eq!(ledger.integrity_check().unwrap(), "ok");
            let output = salesplan()
                .arg("--db")
                .arg(&db)
                .args(["--user", "admin", "--json", "sales"])
                .env("SALESPLAN_PASSWORD", salesplan_core::demo::DEMO_PASSWORD)
                .output()
                .unwrap();
            assert!(output.status.success(), "a whole ledger has its demo data");
            std::fs::remove_file(&db).unwrap();
        }
    }
}
