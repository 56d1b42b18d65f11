//! What went wrong with a source, said the way a person can act on it: which
//! step failed (finding the host, reaching it, TLS, signing in, permission,
//! the query) and the source's own words.

use serde::Serialize;
use ts_rs::TS;

/// Which step failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FailureKind {
    /// The host name does not resolve.
    Dns,
    /// Nothing listens there (or a firewall says no).
    Refused,
    /// The secure connection could not be set up (certificate, protocol).
    Tls,
    /// Wrong user or password, token or key.
    Authentication,
    /// Signed in, but not allowed to read what the query reads.
    Permission,
    /// No answer within the time allowed.
    Timeout,
    /// The source refused the query (its own message says why).
    Query,
    /// What came back cannot be read (a type, a size, a shape).
    Data,
    /// The source's settings are incomplete (a secret missing, a file absent).
    Setup,
}

impl FailureKind {
    /// Whether trying again in a moment may help.
    pub fn transient(self) -> bool {
        matches!(
            self,
            FailureKind::Refused | FailureKind::Timeout | FailureKind::Dns
        )
    }

    fn label(self) -> &'static str {
        match self {
            FailureKind::Dns => "host not found",
            FailureKind::Refused => "connection refused",
            FailureKind::Tls => "TLS",
            FailureKind::Authentication => "authentication failed",
            FailureKind::Permission => "permission denied",
            FailureKind::Timeout => "timed out",
            FailureKind::Query => "query failed",
            FailureKind::Data => "unreadable data",
            FailureKind::Setup => "not set up",
        }
    }
}

/// A source's failure: the step and what the source (or we) said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
}

impl Failure {
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind.label(), self.message)
    }
}

impl std::error::Error for Failure {}

impl From<Failure> for salesplan_core::error::Error {
    fn from(failure: Failure) -> Self {
        salesplan_core::error::Error::invalid("data source", failure.to_string())
    }
}

/// The kind an I/O error on the way to a server says, if it says one.
pub(crate) fn io_kind(error: &(dyn std::error::Error + 'static)) -> Option<FailureKind> {
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            let text = io.to_string();
            return Some(match io.kind() {
                std::io::ErrorKind::ConnectionRefused => FailureKind::Refused,
                std::io::ErrorKind::TimedOut => FailureKind::Timeout,
                _ if text.contains("lookup") || text.contains("Name or service not known") => {
                    FailureKind::Dns
                }
                _ => FailureKind::Refused,
            });
        }
        next = error.source();
    }
    None
}
