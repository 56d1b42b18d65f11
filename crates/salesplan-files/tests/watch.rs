//! Watched folders: new and changed files imported as their owner, failures as
//! alerts, nothing looked at twice, a growing export bringing only its new rows.
#![allow(clippy::unwrap_used)]

use salesplan_core::demo::{self, DEMO_PASSWORD};
use salesplan_core::imports::{self, ImportKind};
use salesplan_core::watch::{self, NewWatchedFolder, Outcome};
use salesplan_core::{ErrorCode, users};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// The fixtures hold sales of September 2026: the demo as of October 2026 has it open.
const FIXTURES_MONTH: salesplan_core::month::Month = salesplan_core::month::Month::new(2026, 10);

/// Writes a file as if it was saved a minute ago (a scan leaves files changed in the last seconds alone).
fn put(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(60))
        .unwrap();
}

const HEADER: &str = "Date,SKU,Branch,Salesman,Quantity,Document\n";

#[test]
fn a_watched_folder_imports_new_files_and_alerts_on_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ledger, _) =
        demo::create_as_of(&dir.path().join("ledger.db"), FIXTURES_MONTH).unwrap();
    let sam = users::sign_in(&ledger, "sam", DEMO_PASSWORD).unwrap();
    let inbox = dir.path().join("till-exports");
    std::fs::create_dir(&inbox).unwrap();
    let folder = watch::add_folder(
        &mut ledger,
        &sam,
        NewWatchedFolder {
            path: inbox.display().to_string(),
            pattern: "*.csv".into(),
            kind: ImportKind::Actuals,
            mapping_name: None,
        },
    )
    .unwrap();

    put(
        &inbox,
        "day-1.csv",
        &format!("{HEADER}2026-09-01,BEV-010,BR-N,sam,2,D-1\n2026-09-01,DRY-010,BR-N,sam,1,D-2\n"),
    );
    put(
        &inbox,
        "day-2.csv",
        &format!("{HEADER}2026-09-02,BEV-01O,BR-N,sam,2,D-3\n"),
    );
    put(&inbox, "notes.txt", "not a table");
    // A scan runs only the signed-in user's folders: nobody else's import is
    // made in sam's name, and nobody else sees his folder's files.
    for other in ["admin", "sven", "nina"] {
        let other = users::sign_in(&ledger, other, DEMO_PASSWORD).unwrap();
        assert!(
            watch_scan(&mut ledger, &other).is_empty(),
            "{}",
            other.username
        );
    }
    assert!(imports::list(&ledger, &sam).unwrap().is_empty());
    let seen = watch_scan(&mut ledger, &sam);
    assert_eq!(
        seen,
        [
            ("day-1.csv".to_owned(), Outcome::Imported),
            ("day-2.csv".to_owned(), Outcome::Failed)
        ]
    );
    let history = imports::list(&ledger, &sam).unwrap();
    assert_eq!((history.len(), history[0].rows_imported), (1, 2));
    let alerts = watch::alerts(&ledger, &sam).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].subject, "day-2.csv was not imported");
    assert!(
        alerts[0].message.contains("did you mean BEV-010?"),
        "{}",
        alerts[0].message
    );

    assert!(
        watch_scan(&mut ledger, &sam).is_empty(),
        "nothing is looked at twice"
    );

    // The export grows: only its new row comes in.
    put(
        &inbox,
        "day-1.csv",
        &format!(
            "{HEADER}2026-09-01,BEV-010,BR-N,sam,2,D-1\n2026-09-01,DRY-010,BR-N,sam,1,D-2\n2026-09-01,HOU-020,BR-N,sam,5,D-9\n"
        ),
    );
    assert_eq!(
        watch_scan(&mut ledger, &sam),
        [("day-1.csv".to_owned(), Outcome::Imported)]
    );
    assert_eq!(imports::list(&ledger, &sam).unwrap()[0].rows_imported, 1);

    watch::dismiss_alert(&mut ledger, &sam, alerts[0].id).unwrap();
    assert!(watch::alerts(&ledger, &sam).unwrap().is_empty());
    let nina = users::sign_in(&ledger, "nina", DEMO_PASSWORD).unwrap();
    assert_eq!(
        watch::remove_folder(&mut ledger, &nina, folder.id)
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden
    );
    watch::remove_folder(&mut ledger, &sam, folder.id).unwrap();
    assert!(watch::folders(&ledger, &sam).unwrap().is_empty());
}

fn watch_scan(
    ledger: &mut salesplan_core::Ledger,
    actor: &salesplan_core::Actor,
) -> Vec<(String, Outcome)> {
    salesplan_files::watch::scan(ledger, actor)
        .unwrap()
        .into_iter()
        .map(|seen| (seen.file_name, seen.outcome))
        .collect()
}
