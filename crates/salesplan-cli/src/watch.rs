//! `salesplan watch add|list|remove|scan` and `salesplan alerts`: folders whose
//! new files are imported while the app runs (`scan` does one round now).

use crate::imports::Kind;
use crate::output::{self, Table};
use crate::{Context, session};
use anyhow::{Result, bail};
use clap::Subcommand;
use salesplan_core::alert_centre;
use salesplan_core::watch::{self, NewWatchedFolder};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum WatchCommand {
    /// Watch a folder: its new files that match the pattern are imported as yours.
    Add {
        path: PathBuf,
        #[arg(long, default_value = "*")]
        pattern: String,
        #[arg(long, value_enum)]
        kind: Kind,
        /// A saved mapping to import with (see `import --save-mapping`).
        #[arg(long)]
        mapping: Option<String>,
    },
    List,
    /// Stop watching a folder (by its path).
    Remove {
        path: PathBuf,
    },
    /// Look at every watched folder once, now.
    Scan,
}

#[derive(Subcommand)]
pub enum AlertsCommand {
    /// Mark an alert read (its id or last characters).
    Dismiss { id: String },
    /// Your alert rules: list, add, remove, snooze, check.
    #[command(subcommand)]
    Rules(crate::alert_rules::RulesCommand),
}

pub fn run(context: &Context, command: WatchCommand) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    match command {
        WatchCommand::Add {
            path,
            pattern,
            kind,
            mapping,
        } => {
            let path = std::path::absolute(&path).unwrap_or(path);
            let folder = watch::add_folder(
                &mut ledger,
                &actor,
                NewWatchedFolder {
                    path: path.display().to_string(),
                    pattern,
                    kind: kind.into(),
                    mapping_name: mapping,
                },
            )?;
            output::emit(context, &folder, || {
                format!("watching {} for {}", folder.path, folder.pattern)
            })
        }
        WatchCommand::List => {
            let folders = watch::folders(&ledger, &actor)?;
            output::table(context, &folders, || {
                let mut table = Table::new(&["path", "pattern", "kind", "mapping", "owner"]);
                for folder in &folders {
                    table.row(vec![
                        folder.path.clone(),
                        folder.pattern.clone(),
                        folder.kind.key().to_owned(),
                        folder
                            .mapping_name
                            .clone()
                            .unwrap_or_else(|| "suggested".into()),
                        folder.owner_name.clone(),
                    ]);
                }
                table
            })
        }
        WatchCommand::Remove { path } => {
            let path = std::path::absolute(&path)
                .unwrap_or(path)
                .display()
                .to_string();
            let Some(folder) = watch::folders(&ledger, &actor)?
                .into_iter()
                .find(|folder| folder.path == path)
            else {
                bail!("no watched folder {path} (see `salesplan watch list`)");
            };
            watch::remove_folder(&mut ledger, &actor, folder.id)?;
            output::emit(context, &serde_json::json!({ "removed": path }), || {
                format!("stopped watching {path}")
            })
        }
        WatchCommand::Scan => {
            let seen = salesplan_files::watch::scan(&mut ledger, &actor)?;
            output::table(context, &seen, || {
                let mut table = Table::new(&["file", "outcome", "message"]);
                for file in &seen {
                    table.row(vec![
                        file.file_name.clone(),
                        serde_json::to_value(file.outcome)
                            .ok()
                            .and_then(|value| value.as_str().map(str::to_owned))
                            .unwrap_or_default(),
                        file.message.clone(),
                    ]);
                }
                table
            })
        }
    }
}

pub fn alerts(context: &Context, command: Option<AlertsCommand>) -> Result<()> {
    let dismiss = match command {
        Some(AlertsCommand::Rules(command)) => return crate::alert_rules::run(context, command),
        Some(AlertsCommand::Dismiss { id }) => Some(id),
        None => None,
    };
    let (mut ledger, actor) = session::signed_in(context)?;
    let centre = alert_centre::centre(&ledger, &actor)?;
    match dismiss {
        None => output::emit(context, &centre, || {
            let mut table = Table::new(&["id", "what", "where", "message"]);
            let short = |id: uuid::Uuid| {
                let id = id.to_string();
                id[id.len() - 8..].to_owned()
            };
            for alert in &centre.files {
                table.row(vec![
                    short(alert.id),
                    alert.subject.clone(),
                    alert.created_at.to_string(),
                    alert.message.clone(),
                ]);
            }
            for alert in centre.stock.iter().filter(|alert| !alert.read) {
                table.row(vec![
                    short(alert.id),
                    alert.kind.key().replace('_', " "),
                    format!("{} {}", alert.location_code, alert.sku),
                    alert.message.clone(),
                ]);
            }
            for rule in centre.rules.iter().filter(|rule| !rule.read) {
                table.row(vec![
                    short(rule.id),
                    format!("rule {}", rule.state.key()),
                    rule.definition.name.clone(),
                    rule.message.clone().unwrap_or_default(),
                ]);
            }
            format!("{} unread\n{}", centre.unread, table.render())
        }),
        Some(id) => {
            let wanted = id.trim().to_lowercase();
            let mut ids = centre
                .files
                .iter()
                .map(|alert| alert.id)
                .chain(
                    centre
                        .stock
                        .iter()
                        .filter(|alert| !alert.read)
                        .map(|alert| alert.id),
                )
                .chain(
                    centre
                        .rules
                        .iter()
                        .filter(|rule| !rule.read)
                        .map(|rule| rule.id),
                );
            let Some(found) = ids.find(|id| wanted.len() >= 4 && id.to_string().ends_with(&wanted))
            else {
                bail!("no unread alert '{wanted}' (see `salesplan alerts`)");
            };
            alert_centre::mark_read(&mut ledger, &actor, found)?;
            output::emit(context, &serde_json::json!({ "dismissed": found }), || {
                "dismissed".to_owned()
            })
        }
    }
}
