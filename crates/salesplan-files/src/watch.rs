//! Scanning watched folders: every file that matches a folder's pattern and
//! whose content was not seen there before is imported as the folder's owner,
//! with the folder's saved mapping. Rows already in the ledger are skipped (a
//! growing daily export brings only its new rows); any other problem imports
//! nothing and becomes an alert. Files still being written (changed in the last
//! two seconds) wait for the next scan.

use crate::limits::MAX_FILE_BYTES;
use crate::{read_bytes, sniff};
use salesplan_core::error::Result;
use salesplan_core::imports::mappings;
use salesplan_core::imports::{self, Accept, ImportRequest, ProblemKind, Silent};
use salesplan_core::watch::{self, Outcome, Seen, WatchedFolder};
use salesplan_core::{Actor, Ledger, users};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Scans the signed-in user's watched folders once; answers what was seen.
pub fn scan(ledger: &mut Ledger, actor: &Actor) -> Result<Vec<Seen>> {
    let mut seen = Vec::new();
    for folder in watch::own_folders(ledger, actor)? {
        seen.extend(scan_folder(ledger, &folder)?);
    }
    Ok(seen)
}

fn settled(path: &Path) -> bool {
    std::fs::metadata(path)
        .and_then(|meta| meta.modified())
        .ok()
        .and_then(|modified| SystemTime::now().duration_since(modified).ok())
        .is_none_or(|age| age >= Duration::from_secs(2))
}

fn scan_folder(ledger: &mut Ledger, folder: &WatchedFolder) -> Result<Vec<Seen>> {
    let Ok(owner) = users::actor(ledger, folder.owner_id) else {
        return Ok(Vec::new());
    };
    let Ok(entries) = std::fs::read_dir(&folder.path) else {
        // A folder on a disconnected drive: nothing to do until it is back.
        return Ok(Vec::new());
    };
    let mut files: Vec<_> = entries
        .filter_map(std::result::Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .filter(|path| {
            path.file_name()
                .is_some_and(|name| watch::matches(&folder.pattern, &name.to_string_lossy()))
        })
        .collect();
    files.sort();
    let mut outcomes = Vec::new();
    for path in files {
        if !settled(&path)
            || std::fs::metadata(&path).map_or(true, |meta| meta.len() > MAX_FILE_BYTES)
        {
            continue;
        }
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let content_hash = sniff::content_hash(&bytes);
        if watch::already_seen(ledger, folder.id, &name, &content_hash)? {
            continue;
        }
        let (outcome, import_id, message) = match import_file(ledger, &owner, folder, &name, bytes)
        {
            Ok(Some(import)) => (Outcome::Imported, Some(import.0), import.1),
            Ok(None) => (
                Outcome::NothingNew,
                None,
                "every row is in the ledger already".to_owned(),
            ),
            Err(error) => (Outcome::Failed, None, error.to_string()),
        };
        let seen = Seen {
            folder_id: folder.id,
            file_name: name,
            content_hash,
            outcome,
            import_id,
            message,
        };
        watch::record_seen(ledger, &owner, &seen)?;
        outcomes.push(seen);
    }
    Ok(outcomes)
}

/// Imports one file; `None` when it brought nothing new.
fn import_file(
    ledger: &mut Ledger,
    owner: &salesplan_core::Actor,
    folder: &WatchedFolder,
    name: &str,
    bytes: Vec<u8>,
) -> Result<Option<(uuid::Uuid, String)>> {
    let table = read_bytes(name, bytes, &crate::ReadOptions::default())?;
    let mapping = match &folder.mapping_name {
        Some(saved) => mappings::find(ledger, owner, folder.kind, saved)?.mapping,
        None => imports::start(owner, folder.kind, &imports::Source::info(&table).headers)?,
    };
    let request = ImportRequest {
        kind: folder.kind,
        mapping,
        decimal_separator: Default::default(),
        date_order: Default::default(),
        budget_id: None,
        // A changed file is a new file: its rows already in the ledger are skipped one by one.
        force: true,
    };
    let report = imports::preview(ledger, owner, &table, &request, &Silent)?;
    let real_problems: Vec<_> = report
        .problems
        .iter()
        .filter(|problem| {
            !matches!(
                problem.kind,
                ProblemKind::AlreadyInLedger | ProblemKind::DuplicateInFile
            )
        })
        .collect();
    if let Some(first) = real_problems.first() {
        let count = report
            .counts
            .iter()
            .filter(|count| {
                !matches!(
                    count.kind,
                    ProblemKind::AlreadyInLedger | ProblemKind::DuplicateInFile
                )
            })
            .map(|count| count.rows)
            .sum::<usize>();
        return Err(salesplan_core::Error::bad_file(
            name,
            format!(
                "{count} problems, nothing imported (first: {})",
                first.describe()
            ),
        ));
    }
    if report.rows_valid == 0 {
        return Ok(None);
    }
    let outcome = imports::commit(ledger, owner, &table, &request, Accept::ValidRows, &Silent)?;
    Ok(Some((
        outcome.import.id,
        format!(
            "imported {} rows ({} skipped)",
            outcome.import.rows_imported, outcome.import.rows_skipped
        ),
    )))
}
