//! `salesplan sync`: sync this ledger with head office, show where it stands
//! and what head office refused. The sign-in token is kept in the OS keychain.

use crate::Context;
use crate::output::{Table, emit};
use crate::session::secret;
use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use salesplan_core::Ledger;
use salesplan_core::sync::state;
use salesplan_sync::{Http, Notes, Session, session, sync_once};
use std::cell::RefCell;

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Head office's address, e.g. https://salesplan.example.com (remembered after the first sync).
    #[arg(long)]
    pub server: Option<String>,
    #[command(subcommand)]
    pub command: Option<SyncCommand>,
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Last sync, changes waiting to be sent, refusals.
    Status,
    /// The changes head office refused, and why.
    Conflicts {
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Sign out of head office: the token is revoked and removed from the keychain.
    SignOut,
    /// Check every record that travels with the rules head office applies; list what fails (an administrator's).
    Verify,
}

pub fn run(context: &Context, args: SyncArgs) -> Result<()> {
    match args.command {
        None => sync(context, args.server.as_deref()),
        Some(SyncCommand::Status) => status(context),
        Some(SyncCommand::Conflicts { limit }) => conflicts(context, limit),
        Some(SyncCommand::SignOut) => sign_out(context),
        Some(SyncCommand::Verify) => verify(context),
    }
}

fn verify(context: &Context) -> Result<()> {
    let (ledger, actor) = crate::session::signed_in(context)?;
    let findings = salesplan_core::sync::verify::verify(&ledger, &actor)?;
    emit(context, &findings, || {
        if findings.is_empty() {
            return "Every record that travels passes head office's rules.".into();
        }
        let mut out = Table::new(&["record", "id", "what fails"]);
        for finding in &findings {
            out.row(vec![
                finding.entity.noun().to_owned(),
                finding.record.clone(),
                finding.reason.clone(),
            ]);
        }
        out.render()
    })?;
    if !findings.is_empty() {
        bail!(
            "{} records do not pass head office's rules; correct them (or ask head office to) before they travel",
            findings.len()
        );
    }
    Ok(())
}

/// Opens the ledger; a laptop joining head office for the first time starts from an empty one.
fn open_or_start(context: &Context, joining: bool) -> Result<Ledger> {
    if !context.db.exists() && joining {
        eprintln!(
            "No ledger at {}: starting one from head office.",
            context.db.display()
        );
        return Ok(Ledger::create_with(&context.db, |_| Ok(()))?.0);
    }
    Ok(Ledger::open(&context.db)?)
}

fn sync(context: &Context, server: Option<&str>) -> Result<()> {
    let explicit = server.is_some();
    let mut ledger = open_or_start(context, explicit)?;
    let known = state::connection(&ledger)?;
    let Some(server) = server
        .map(str::to_owned)
        .or_else(|| known.as_ref().map(|c| c.server_url.clone()))
    else {
        bail!(
            "this ledger is not connected to head office yet: run `salesplan --user NAME sync --server https://…`"
        );
    };
    let Some(username) = context
        .user
        .clone()
        .or_else(|| known.as_ref().map(|c| c.username.clone()))
    else {
        bail!("whose account? pass --user NAME");
    };
    let mut typed = None;
    let changes = known.as_ref().is_some_and(|known| {
        known.server_url != state::tidy_url(&server) || known.username != username
    });
    let server = if changes && state::has_accounts(&ledger)? {
        // Moving a connected ledger (another address, another account) is
        // its administrator's, signed in here.
        let password = secret("SALESPLAN_PASSWORD", &format!("Password for {username}: "))?;
        let actor = salesplan_core::users::sign_in(&ledger, &username, &password)?;
        typed = Some(password);
        state::connect(&mut ledger, &actor, &server)?.server_url
    } else {
        let server = state::join(&mut ledger, &server, &username)?.server_url;
        // No password goes to an address nobody confirmed: one named on this
        // command line is; one found on the ledger must be where it last synced.
        let confirmed = state::confirmed_url(&ledger)?;
        if !explicit && confirmed.as_deref() != Some(server.as_str()) {
            bail!(
                "this ledger's head office is set to {server}, which it has not synced with{}; no password is sent there until you confirm it: salesplan --user {username} sync --server {server}",
                confirmed
                    .map(|confirmed| format!(" (its last sync was with {confirmed})"))
                    .unwrap_or_default()
            );
        }
        server
    };
    let http = Http::new(&server).map_err(|fault| anyhow::anyhow!("{fault}"))?;

    let mut notes = Notes::default();
    let resumed = session::resume(&http, &server, &username, &mut notes)
        .map_err(|fault| anyhow::anyhow!("{fault}"))?;
    // Notes before the password prompt are shown then, and once.
    let mut shown = 0;
    let (signed_in, password) = match resumed {
        Some(signed_in) => (signed_in, None),
        None => {
            for note in &notes.0 {
                eprintln!("note: {note}");
            }
            shown = notes.0.len();
            let password = match typed.take() {
                Some(password) => password,
                None => secret(
                    "SALESPLAN_PASSWORD",
                    &format!("Head office password for {username}: "),
                )?,
            };
            let signed_in = session::sign_in(&http, &server, &username, &password, &mut notes)
                .map_err(|fault| anyhow::anyhow!("{fault}"))?;
            (signed_in, Some(password))
        }
    };
    for note in notes.0.iter().skip(shown) {
        eprintln!("note: {note}");
    }
    let Session { token, user_id } = signed_in;
    let report = {
        let handle = RefCell::new(&mut ledger);
        sync_once(&handle, &http, &token, user_id).map_err(|stop| anyhow::anyhow!("{stop}"))?
    };
    if let Some(password) = password {
        // Head office's password now signs in on this laptop too.
        state::adopt_password(&mut ledger, &password)?;
    }
    state::confirm_url(&mut ledger)?;
    emit(context, &report, || {
        let mut lines = vec![format!(
            "Synced with {server} as {username}: {}.",
            report.summary()
        )];
        if report.rejected > 0 {
            lines
                .push("`salesplan sync conflicts` lists what head office refused, and why.".into());
        }
        lines.extend(
            report
                .skipped
                .iter()
                .map(|why| format!("set aside here: {why}")),
        );
        lines.extend(staying_lines(&report.staying));
        lines.join("\n")
    })?;
    if !report.skipped.is_empty() {
        bail!(
            "{} changes from head office could not be applied here; they are set aside with their reasons (`salesplan sync conflicts`)",
            report.skipped.len()
        );
    }
    Ok(())
}

fn status(context: &Context) -> Result<()> {
    let (ledger, _) = crate::session::signed_in(context)?;
    let status = state::status(&ledger)?;
    emit(context, &status, || {
        let Some(connection) = &status.connection else {
            return "Not connected to head office: `salesplan --user NAME sync --server https://…` connects it.".into();
        };
        let when = |at: Option<salesplan_core::timestamp::Timestamp>| {
            at.map_or_else(|| "never".to_owned(), |at| at.to_string())
        };
        let mut lines = vec![
            format!(
                "Head office: {} as {}",
                connection.server_url, connection.username
            ),
            format!(
                "Last sent: {}   last received: {}",
                when(status.last_push_at),
                when(status.last_pull_at)
            ),
            format!(
                "Waiting to be sent: {}   refused: {}",
                status.pending, status.rejected
            ),
        ];
        lines.extend(staying_lines(&status.staying));
        if status.set_aside > 0 {
            lines.push(format!(
                "Set aside here: {} changes from head office this ledger could not take (`salesplan sync conflicts`)",
                status.set_aside
            ));
        }
        if let Some(error) = &status.last_error {
            lines.push(format!(
                "Last attempt failed ({}): {error}",
                when(status.last_error_at)
            ));
        }
        lines.join("\n")
    })
}

/// What stays on this laptop, a line per reason.
fn staying_lines(staying: &[salesplan_core::sync::Staying]) -> Vec<String> {
    staying
        .iter()
        .map(|group| {
            format!(
                "Stays on this laptop: {} changes: {}",
                group.changes, group.reason
            )
        })
        .collect()
}

/// What head office refused, and what this ledger set aside of head office's changes.
#[derive(serde::Serialize)]
struct Conflicts {
    refused: Vec<state::Conflict>,
    set_aside: Vec<state::SetAside>,
}

fn conflicts(context: &Context, limit: u32) -> Result<()> {
    let (ledger, _) = crate::session::signed_in(context)?;
    let refused = state::conflicts(&ledger, limit)?;
    let set_aside = state::set_aside(&ledger, limit)?;
    let all = Conflicts {
        refused: refused.clone(),
        set_aside: set_aside.clone(),
    };
    emit(context, &all, || {
        let mut out = Table::new(&["made", "what", "record", "why it was not taken"]);
        for conflict in &refused {
            out.row(vec![
                conflict.recorded_at.to_string(),
                match conflict.more {
                    0 => format!("{} {}", conflict.entity.noun(), conflict.kind),
                    more => format!(
                        "{} {} and {more} more changes of the same edit",
                        conflict.entity.noun(),
                        conflict.kind
                    ),
                },
                conflict.entity_id.to_string(),
                format!("head office refused it: {}", conflict.reason),
            ]);
        }
        for aside in &set_aside {
            out.row(vec![
                aside.set_aside_at.to_string(),
                format!("from head office: {} {}", aside.entity, aside.kind),
                aside.entity_id.to_string(),
                format!("set aside here: {}", aside.reason),
            ]);
        }
        out.render()
    })
}

fn sign_out(context: &Context) -> Result<()> {
    let ledger = Ledger::open(&context.db)?;
    let Some(connection) = state::connection(&ledger)? else {
        bail!("this ledger is not connected to head office");
    };
    session::sign_out(&connection.server_url, &connection.username, None)
        .map_err(|missing| anyhow::anyhow!("{missing}"))?;
    crate::output::say(&format!(
        "Signed out of {} ({}).",
        connection.server_url, connection.username
    ))
}
