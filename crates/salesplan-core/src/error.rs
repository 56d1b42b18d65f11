//! Every failure a Salesplan service can report, in the user's words.
//! The desktop shell and the CLI show `Display`; the UI also gets a closed `ErrorCode`.

use serde::Serialize;
use std::path::PathBuf;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("{field}: {rule}")]
    Invalid { field: String, rule: String },

    #[error("{entity} with {field} '{value}' already exists")]
    Duplicate {
        entity: &'static str,
        field: &'static str,
        value: String,
    },

    #[error("no {entity} '{key}'")]
    NotFound { entity: &'static str, key: String },

    #[error("{action} is not allowed for a {role}{scope_hint}; it needs the role {allowed}")]
    Forbidden {
        action: String,
        role: String,
        /// Explains a scope refusal ("outside your branch"), empty for a role refusal.
        scope_hint: String,
        allowed: String,
    },

    #[error("wrong username or password")]
    InvalidCredentials,

    #[error("the account '{username}' is deactivated; ask an administrator to reactivate it")]
    AccountDeactivated { username: String },

    #[error("not signed in")]
    NotSignedIn,

    #[error(
        "{entity} '{key}' was changed by someone else (you edited version {expected}, it is now at version {actual}); reload and try again"
    )]
    StaleVersion {
        entity: &'static str,
        key: String,
        expected: i64,
        actual: i64,
    },

    #[error(
        "no ledger at {path}: create one with `salesplan init --admin NAME` or `salesplan demo`"
    )]
    LedgerMissing { path: PathBuf },

    #[error("a ledger already exists at {path}; choose another path or remove it first")]
    LedgerExists { path: PathBuf },

    #[error("{path} is not a Salesplan ledger (not an SQLite database file)")]
    NotALedger { path: PathBuf },

    #[error(
        "{path} was written by a newer Salesplan (schema version {found}, this version knows up to {known}); update Salesplan to open it"
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    #[error("the ledger's migration history does not match this version of Salesplan: {0}")]
    SchemaMismatch(String),

    /// A file that cannot be read as what it claims to be.
    #[error("{file}: {problem}")]
    BadFile { file: String, problem: String },

    #[error("cancelled: nothing was written")]
    Cancelled,

    /// Sync with head office failed: the server could not be reached, refused, or sent something wrong.
    #[error("sync: {0}")]
    Sync(String),

    #[error("ledger error: {0}")]
    Storage(#[from] rusqlite::Error),

    #[error("ledger file error at {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    pub fn invalid(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            rule: rule.into(),
        }
    }

    /// A domain type's refusal of a value, said of `field`: `.map_err(Error::refused(field))`.
    pub fn refused(field: impl Into<String>) -> impl FnOnce(String) -> Self {
        move |rule| Error::invalid(field, rule)
    }

    /// The error said of a field inside `place` (`lines[2]` + `quantity` →
    /// `lines[2].quantity`); other errors stay as they are.
    pub fn within(self, place: &str) -> Self {
        match self {
            Error::Invalid { field, rule } => Error::Invalid {
                field: format!("{place}.{field}"),
                rule,
            },
            other => other,
        }
    }

    pub fn bad_file(file: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::BadFile {
            file: file.into(),
            problem: problem.into(),
        }
    }

    pub fn not_found(entity: &'static str, key: impl ToString) -> Self {
        Error::NotFound {
            entity,
            key: key.to_string(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid { .. } => ErrorCode::Invalid,
            Error::Duplicate { .. } => ErrorCode::Duplicate,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Forbidden { .. } => ErrorCode::Forbidden,
            Error::InvalidCredentials => ErrorCode::InvalidCredentials,
            Error::AccountDeactivated { .. } => ErrorCode::AccountDeactivated,
            Error::NotSignedIn => ErrorCode::NotSignedIn,
            Error::StaleVersion { .. } => ErrorCode::StaleVersion,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::Sync(_) => ErrorCode::Sync,
            Error::BadFile { .. } => ErrorCode::Invalid,
            Error::LedgerMissing { .. }
            | Error::LedgerExists { .. }
            | Error::NotALedger { .. }
            | Error::SchemaTooNew { .. }
            | Error::SchemaMismatch(_)
            | Error::Io { .. } => ErrorCode::Ledger,
            Error::Storage(_) => ErrorCode::Internal,
        }
    }

    /// The input field an error is about, so a form can mark it.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            Error::Duplicate { field, .. } => Some(field),
            _ => None,
        }
    }

    pub fn report(&self) -> ErrorReport {
        ErrorReport {
            code: self.code(),
            message: self.to_string(),
            field: self.field().map(str::to_owned),
        }
    }
}

/// The closed set of error kinds the UI can react to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    Invalid,
    Duplicate,
    NotFound,
    Forbidden,
    InvalidCredentials,
    AccountDeactivated,
    NotSignedIn,
    StaleVersion,
    Cancelled,
    Sync,
    Ledger,
    Internal,
}

/// The one error shape that crosses the IPC boundary.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ErrorReport {
    pub code: ErrorCode,
    pub message: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl From<salesplan_domain::Error> for Error {
    fn from(error: salesplan_domain::Error) -> Error {
        match error {
            salesplan_domain::Error::Invalid { field, rule } => Error::Invalid { field, rule },
            salesplan_domain::Error::Forbidden {
                action,
                role,
                scope_hint,
                allowed,
            } => Error::Forbidden {
                action,
                role,
                scope_hint,
                allowed,
            },
        }
    }
}
