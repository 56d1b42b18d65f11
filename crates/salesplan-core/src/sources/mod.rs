//! Data sources (issue #17, DESIGN §2.6): rows read straight from where they
//! live — a database, a web API, a document store — and brought in through the
//! import pipeline, so an import from a source is an import like any other:
//! the same row checks and report, one transaction, fingerprints, history and
//! reversal. The core keeps the sources (never their secrets: those are the OS
//! keychain's), judges a run's quality rules, and commits what a run read
//! together with the source's cursor and the job, so a crash before the commit
//! leaves the cursor where it was and the rows are read again. Connecting and
//! reading are the `salesplan-sources` crate's.

mod definition;
pub mod rules;

pub use crate::model::sources::{
    Connection, Cursor, DailyTime, DataSource, JobOutcome, OnBreak, QualityCheck, QualityRule,
    Refresh, Schedule, ServerAddress, SourceDefinition, SourceImport, SourceJob, SourceQuery,
    SqliteFile,
};
pub use definition::parse_definition;

use crate::access::{Action, Actor, Resource, Role};
use crate::error::{Error, Result};
use crate::imports::{
    self, DecimalSeparator, Gate, ImportReport, ImportRequest, ProblemKind, Progress,
};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger};
use crate::timestamp::{Day, Timestamp};
use rules::{RunFigures, Verdict};
use uuid::Uuid;

/// Whether the actor manages every source (administrators, supply chain).
fn manages(actor: &Actor) -> bool {
    actor.scope_for(Action::ManageSources).is_ok()
}

/// The sources the actor sees: every one for those who manage them, else their own.
pub fn list(ledger: &Ledger, actor: &Actor) -> Result<Vec<DataSource>> {
    if manages(actor) {
        return ledger::sources::list(ledger.read(), None);
    }
    actor.scope_for(Action::RunSources)?;
    ledger::sources::list(ledger.read(), Some(actor.id))
}

/// A source the actor sees, by id or name.
pub fn find(ledger: &Ledger, actor: &Actor, id_or_name: &str) -> Result<DataSource> {
    let source = ledger::sources::find(ledger.read(), id_or_name)?
        .ok_or_else(|| Error::invalid("source", format!("no data source '{id_or_name}'")))?;
    if manages(actor) {
        return Ok(source);
    }
    actor.require(Action::RunSources, &Resource::owned_by(source.owner_id))?;
    Ok(source)
}

/// Adds a source; its rows will be imported as `owner`'s (the actor's when none).
pub fn add(
    ledger: &mut Ledger,
    actor: &Actor,
    definition: SourceDefinition,
    owner: Option<&str>,
) -> Result<DataSource> {
    actor.require(Action::ManageSources, &Resource::company())?;
    let definition = definition::checked(definition)?;
    let owner = owner_of(ledger, actor, owner, &definition)?;
    if ledger::sources::find(ledger.read(), &definition.name)?.is_some() {
        return Err(Error::invalid(
            "name",
            format!("a data source is already called '{}'", definition.name),
        ));
    }
    let id = Uuid::now_v7();
    ledger.write(Some(actor), |write| {
        ledger::sources::insert(write, id, &definition, owner.id, Timestamp::now())?;
        write.record(Change {
            entity: Entity::DataSource,
            entity_id: id,
            kind: ChangeKind::Created,
            payload: serde_json::json!({ "name": definition.name, "connection": definition.connection.label() }),
            base_version: None,
        })
    })?;
    find(ledger, actor, &id.to_string())
}

/// Changes a source. Its cursor stays only while it reads the same rows from
/// the same place the same way (connection, query, refresh unchanged).
pub fn edit(
    ledger: &mut Ledger,
    actor: &Actor,
    id_or_name: &str,
    definition: SourceDefinition,
    owner: Option<&str>,
) -> Result<DataSource> {
    actor.require(Action::ManageSources, &Resource::company())?;
    let current = find(ledger, actor, id_or_name)?;
    let definition = definition::checked(definition)?;
    let owner = match owner {
        Some(_) => owner_of(ledger, actor, owner, &definition)?.id,
        None => {
            let owner = crate::users::actor(ledger, current.owner_id)?;
            imports::require_importer(&owner, definition.import.kind)?;
            owner.id
        }
    };
    if let Some(other) = ledger::sources::find(ledger.read(), &definition.name)?
        && other.id != current.id
    {
        return Err(Error::invalid(
            "name",
            format!("a data source is already called '{}'", definition.name),
        ));
    }
    let old = &current.definition;
    let keep_cursor = old.connection == definition.connection
        && old.query == definition.query
        && old.refresh == definition.refresh;
    ledger.write(Some(actor), |write| {
        ledger::sources::update(
            write,
            current.id,
            &definition,
            owner,
            keep_cursor,
            Timestamp::now(),
        )?;
        write.record(Change {
            entity: Entity::DataSource,
            entity_id: current.id,
            kind: ChangeKind::Updated,
            payload: serde_json::json!({ "name": definition.name, "cursor_kept": keep_cursor }),
            base_version: Some(current.version),
        })
    })?;
    find(ledger, actor, &current.id.to_string())
}

pub fn remove(ledger: &mut Ledger, actor: &Actor, id_or_name: &str) -> Result<()> {
    actor.require(Action::ManageSources, &Resource::company())?;
    let source = find(ledger, actor, id_or_name)?;
    ledger.write(Some(actor), |write| {
        ledger::sources::archive(write, source.id, Timestamp::now())?;
        write.record(Change {
            entity: Entity::DataSource,
            entity_id: source.id,
            kind: ChangeKind::Archived,
            payload: serde_json::json!({ "name": source.definition.name }),
            base_version: Some(source.version),
        })
    })
}

/// A source's newest jobs, newest first.
pub fn jobs(
    ledger: &Ledger,
    actor: &Actor,
    id_or_name: &str,
    limit: usize,
) -> Result<Vec<SourceJob>> {
    let source = find(ledger, actor, id_or_name)?;
    ledger::sources::jobs(ledger.read(), source.id, limit)
}

/// A source's definition to carry to another laptop: never a secret (the
/// ledger holds none), never its cursor. Administrators only.
pub fn export(ledger: &Ledger, actor: &Actor, id_or_name: &str) -> Result<SourceDefinition> {
    if actor.role != Role::Administrator {
        return Err(Error::Forbidden {
            action: "Exporting a data source".into(),
            role: actor.role.label().into(),
            scope_hint: String::new(),
            allowed: Role::Administrator.label().into(),
        });
    }
    Ok(find(ledger, actor, id_or_name)?.definition)
}

/// Who a source's rows are imported as: its owner, in the owner's scope. The
/// actor must manage sources, or own this one.
pub fn runner(ledger: &Ledger, actor: &Actor, source: &DataSource) -> Result<Actor> {
    if !manages(actor) {
        actor.require(Action::RunSources, &Resource::owned_by(source.owner_id))?;
    }
    let owner = crate::users::actor(ledger, source.owner_id)?;
    imports::require_importer(&owner, source.definition.import.kind)?;
    Ok(owner)
}

/// The user a source's rows are imported as: `owner` by username, or the
/// actor; they must be allowed the source's kind of import.
fn owner_of(
    ledger: &Ledger,
    actor: &Actor,
    owner: Option<&str>,
    definition: &SourceDefinition,
) -> Result<Actor> {
    let owner = match owner {
        None => actor.clone(),
        Some(username) => {
            let row = ledger::users::find_by_username(ledger.read(), username)?
                .ok_or_else(|| Error::invalid("owner", format!("no user '{username}'")))?;
            crate::users::actor(ledger, row.user.id)?
        }
    };
    imports::require_importer(&owner, definition.import.kind).map_err(|_| {
        Error::invalid(
            "owner",
            format!(
                "{} may not make {} imports, so a source cannot import as them",
                owner.username,
                definition.import.kind.key()
            ),
        )
    })?;
    Ok(owner)
}

/// A job as it begins: nothing read, failed until it says otherwise, its
/// cursor where the source stands.
fn begun(source: &DataSource, run_by: &Actor, started_at: Timestamp, attempts: u32) -> SourceJob {
    let cursor = source.cursor.as_ref().map(|cursor| cursor.value.clone());
    SourceJob {
        id: Uuid::now_v7(),
        source_id: source.id,
        run_by: run_by.username.clone(),
        started_at,
        ended_at: started_at,
        outcome: JobOutcome::Failed,
        rows_read: 0,
        rows_imported: 0,
        rows_already: 0,
        rows_rejected: 0,
        cursor_before: cursor.clone(),
        cursor_after: cursor,
        import_id: None,
        attempts,
        message: String::new(),
        warnings: Vec::new(),
    }
}

/// What a run read from a source, to be committed.
pub struct Fetched<'t> {
    /// The rows past the cursor (ties the source had brought already left out).
    pub table: &'t dyn imports::Source,
    /// Where the cursor stands once these rows are in; `None` for a full refresh.
    pub cursor_after: Option<Cursor>,
    pub started_at: Timestamp,
    pub attempts: u32,
}

/// Commits a run: the quality rules judged, then the rows imported with the
/// source's cursor and the job in one transaction. Nothing is written but the
/// job (and an alert) when a rule stops it; nothing but the job and the cursor
/// when every row was in the ledger already.
pub fn commit_run(
    ledger: &mut Ledger,
    run_by: &Actor,
    source: &DataSource,
    fetched: Fetched<'_>,
    progress: &dyn Progress,
) -> Result<SourceJob> {
    let runner = runner(ledger, run_by, source)?;
    let kind = source.definition.import.kind;
    let mapping = match &source.definition.import.mapping {
        Some(mapping) => mapping.clone(),
        None => imports::suggest(kind, &fetched.table.info().headers),
    };
    let newest_date = source
        .newest_date
        .max(imports::newest_date(fetched.table, kind, &mapping)?);
    let today = Day::today();
    let job = SourceJob {
        outcome: JobOutcome::NothingNew,
        rows_read: fetched.table.info().rows as u64,
        ..begun(source, run_by, fetched.started_at, fetched.attempts)
    };
    if job.rows_read == 0 {
        let figures = RunFigures {
            rows_read: 0,
            rows_rejected: 0,
            newest_date: source.newest_date,
            today,
        };
        let verdict = rules::judge(&source.definition.rules, &figures);
        let outcome = if verdict.stops() {
            JobOutcome::Stopped
        } else {
            JobOutcome::NothingNew
        };
        let job = finished(
            job,
            outcome,
            &Counted::default(),
            None,
            &verdict,
            None,
            None,
        );
        return end_without_import(ledger, run_by, source, job, None);
    }
    let request = ImportRequest {
        kind,
        mapping,
        decimal_separator: DecimalSeparator::Point,
        date_order: Default::default(),
        budget_id: None,
        force: true,
    };
    let rules = with_default_rules(&source.definition.rules);
    let verdict = std::cell::RefCell::new(Verdict::default());
    let mut written = None;
    let (report, import) = imports::commit_gated(
        ledger,
        &runner,
        fetched.table,
        &request,
        progress,
        &mut |report| {
            let counted = Counted::of(report);
            let figures = RunFigures {
                rows_read: report.rows_read as u64,
                rows_rejected: counted.rejected,
                newest_date,
                today,
            };
            let judged = rules::judge(&rules, &figures);
            let stops = judged.stops();
            *verdict.borrow_mut() = judged;
            Ok(
                if stops || report.rows_valid == 0 || same_again(source, report) {
                    Gate::Skip
                } else {
                    Gate::Write
                },
            )
        },
        &mut |write, record, report| {
            let counted = Counted {
                imported: record.rows_imported as u64,
                ..Counted::of(report)
            };
            let job = finished(
                job.clone(),
                JobOutcome::Imported,
                &counted,
                fetched.cursor_after.as_ref(),
                &verdict.borrow(),
                Some(report),
                Some(record.id),
            );
            ledger::sources::set_cursor(
                write,
                source.id,
                fetched.cursor_after.as_ref(),
                newest_date,
            )?;
            ledger::sources::insert_job(write, &job, run_by.id)?;
            write.record(job_change(&job))?;
            written = Some(job);
            Ok(())
        },
    )?;
    if let (Some(_), Some(job)) = (import, written) {
        if !job.warnings.is_empty() {
            alert(ledger, run_by, source, &job)?;
        }
        return Ok(job);
    }
    let verdict = verdict.into_inner();
    let counted = Counted::of(&report);
    if verdict.stops() || counted.rejected > 0 {
        let mut job = finished(
            job,
            JobOutcome::Stopped,
            &counted,
            None,
            &verdict,
            Some(&report),
            None,
        );
        if !verdict.stops() {
            job.message = format!(
                "stopped before anything was written: none of the {} rows read is valid{}",
                report.rows_read,
                first_refused(&report)
            );
        }
        return end_without_import(ledger, run_by, source, job, None);
    }
    // Every row was in the ledger already (read again at the cursor, or brought
    // by a file before), or a full refresh read what it imported last time:
    // the cursor moves past them.
    let job = finished(
        job,
        JobOutcome::NothingNew,
        &counted,
        fetched.cursor_after.as_ref(),
        &verdict,
        Some(&report),
        None,
    );
    let moved = Moved {
        cursor: fetched.cursor_after.as_ref(),
        newest_date,
    };
    end_without_import(ledger, run_by, source, job, Some(moved))
}

/// A full refresh that read what an import not reversed holds already.
fn same_again(source: &DataSource, report: &ImportReport) -> bool {
    report.already_imported.is_some() && source.definition.refresh == Refresh::Full
}

/// Rows refused by the row checks stop a job unless a rule allows a share of them.
fn with_default_rules(rules: &[QualityRule]) -> Vec<QualityRule> {
    let mut rules = rules.to_vec();
    if !rules
        .iter()
        .any(|rule| matches!(rule.check, QualityCheck::RejectedShare { .. }))
    {
        rules.push(QualityRule {
            check: QualityCheck::RejectedShare {
                max_percent: rust_decimal::Decimal::ZERO,
            },
            on_break: OnBreak::Stop,
        });
    }
    rules
}

/// What became of a run's rows.
#[derive(Debug, Clone, Copy, Default)]
struct Counted {
    imported: u64,
    /// In the ledger already.
    already: u64,
    /// Refused for anything else.
    rejected: u64,
}

impl Counted {
    fn of(report: &ImportReport) -> Counted {
        let already = report
            .counts
            .iter()
            .filter(|count| count.kind == ProblemKind::AlreadyInLedger)
            .map(|count| count.rows as u64)
            .sum::<u64>();
        let invalid = (report.rows_read - report.rows_valid) as u64;
        Counted {
            imported: 0,
            already: already.min(invalid),
            rejected: invalid.saturating_sub(already),
        }
    }
}

/// " (first refused: row 3, …)" when the report refused rows for more than being there already.
fn first_refused(report: &ImportReport) -> String {
    let refused: Vec<String> = report
        .problems
        .iter()
        .filter(|problem| problem.kind != ProblemKind::AlreadyInLedger)
        .take(3)
        .map(|problem| problem.describe())
        .collect();
    if refused.is_empty() {
        String::new()
    } else {
        format!(" (first refused: {})", refused.join("; "))
    }
}

/// A job as it ended.
fn finished(
    mut job: SourceJob,
    outcome: JobOutcome,
    counted: &Counted,
    cursor_after: Option<&Cursor>,
    verdict: &Verdict,
    report: Option<&ImportReport>,
    import_id: Option<Uuid>,
) -> SourceJob {
    job.ended_at = Timestamp::now();
    job.outcome = outcome;
    job.rows_imported = counted.imported;
    job.rows_already = counted.already;
    job.rows_rejected = counted.rejected;
    if let Some(cursor) = cursor_after {
        job.cursor_after = Some(cursor.value.clone());
    }
    job.import_id = import_id;
    job.warnings = verdict.warnings.clone();
    let refused = report.map(first_refused).unwrap_or_default();
    job.message = match outcome {
        JobOutcome::Imported => format!(
            "{} rows imported, {} in the ledger already, {} refused{refused}",
            counted.imported, counted.already, counted.rejected
        ),
        JobOutcome::NothingNew if job.rows_read == 0 => "nothing new".into(),
        JobOutcome::NothingNew => format!(
            "nothing new: the {} rows read are in the ledger already",
            job.rows_read
        ),
        JobOutcome::Stopped => format!(
            "stopped before anything was written: {}{refused}",
            verdict.stop.join("; ")
        ),
        JobOutcome::Failed => job.message,
    };
    job
}

/// Where a run that imported nothing leaves the source: its cursor past rows
/// the ledger held already, the newest date they hold.
struct Moved<'c> {
    cursor: Option<&'c Cursor>,
    newest_date: Option<Day>,
}

/// Writes a job that imported nothing (and moves the cursor, when told), and
/// an alert when a rule stopped or warned.
fn end_without_import(
    ledger: &mut Ledger,
    run_by: &Actor,
    source: &DataSource,
    job: SourceJob,
    moved: Option<Moved<'_>>,
) -> Result<SourceJob> {
    ledger.write(Some(run_by), |write| {
        write.leaves_figures();
        if let Some(moved) = &moved {
            let cursor = moved.cursor.or(source.cursor.as_ref());
            ledger::sources::set_cursor(write, source.id, cursor, moved.newest_date)?;
        }
        ledger::sources::insert_job(write, &job, run_by.id)?;
        write.record(job_change(&job))
    })?;
    if job.outcome == JobOutcome::Stopped || !job.warnings.is_empty() {
        alert(ledger, run_by, source, &job)?;
    }
    Ok(job)
}

/// Records a run that could not read its source or import its rows: the job,
/// with the error, and an alert; the cursor stays where it was. Only someone
/// who may run the source records its failure.
pub fn record_failure(
    ledger: &mut Ledger,
    run_by: &Actor,
    source: &DataSource,
    started_at: Timestamp,
    attempts: u32,
    error: &str,
) -> Result<SourceJob> {
    runner(ledger, run_by, source)?;
    let job = SourceJob {
        ended_at: Timestamp::now(),
        message: error.to_owned(),
        ..begun(source, run_by, started_at, attempts)
    };
    ledger.write(Some(run_by), |write| {
        write.leaves_figures();
        ledger::sources::insert_job(write, &job, run_by.id)?;
        write.record(job_change(&job))
    })?;
    alert(ledger, run_by, source, &job)?;
    Ok(job)
}

fn job_change(job: &SourceJob) -> Change {
    Change {
        entity: Entity::SourceJob,
        entity_id: job.id,
        kind: ChangeKind::Appended,
        payload: serde_json::json!({
            "source": job.source_id, "outcome": job.outcome, "rows_read": job.rows_read,
            "rows_imported": job.rows_imported, "import": job.import_id,
        }),
        base_version: None,
    }
}

/// Tells the source's owner (and whoever ran it, if someone else) what went wrong.
fn alert(ledger: &mut Ledger, run_by: &Actor, source: &DataSource, job: &SourceJob) -> Result<()> {
    let name = &source.definition.name;
    let subject = match job.outcome {
        JobOutcome::Failed => format!("Data source '{name}' failed"),
        JobOutcome::Stopped => format!("Data source '{name}' was stopped by its quality rules"),
        JobOutcome::Imported | JobOutcome::NothingNew => {
            format!("Data source '{name}' broke a quality rule")
        }
    };
    let message = match job.outcome {
        JobOutcome::Imported | JobOutcome::NothingNew => job.warnings.join("; "),
        _ => job.message.clone(),
    };
    let mut people = vec![source.owner_id];
    if run_by.id != source.owner_id {
        people.push(run_by.id);
    }
    ledger.write(Some(run_by), |write| {
        write.leaves_figures();
        for person in &people {
            crate::watch::raise_alert(write, *person, subject.clone(), message.clone())?;
        }
        Ok(())
    })
}
