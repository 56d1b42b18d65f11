//! Talking to head office: one blocking HTTPS client (reqwest with rustls),
//! every answer sorted into what the engine does next. Head office's
//! certificate is checked against the public roots and the system's own store
//! (where a company installs its CA), plus the PEM file `SALESPLAN_CA_CERT`
//! names, if any.

use salesplan_core::sync::protocol::{Availability, Gap, PullResponse, PushRequest, PushResponse};
use serde::Deserialize;
use std::time::Duration;
use uuid::Uuid;

/// Why a request did not give an answer to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// No answer (no network, server down, connection dropped): try again later.
    Unreachable(String),
    /// Head office expects this client's changes from this id on.
    Gap { expected: i64 },
    /// Head office was restored from a backup: read its feed again and re-push.
    Gone(String),
    /// The sign-in is not valid (expired, revoked, deactivated): sign in again.
    Unauthorized(String),
    /// This version is too old to push: update Salesplan.
    UpgradeRequired(String),
    /// A refusal of the request itself (4xx), with head office's reason.
    Refused { status: u16, message: String },
    /// A fault at head office (5xx): try again later.
    Server { status: u16, message: String },
}

impl Fault {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, Fault::Unreachable(_) | Fault::Server { .. })
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Unreachable(why) => {
                write!(f, "head office cannot be reached ({why}); working offline")
            }
            Fault::Gap { expected } => write!(f, "head office expects changes from {expected} on"),
            Fault::Gone(why) | Fault::Unauthorized(why) | Fault::UpgradeRequired(why) => {
                f.write_str(why)
            }
            Fault::Refused { status, message } => {
                write!(f, "head office refused the request ({status}): {message}")
            }
            Fault::Server { status, message } => write!(
                f,
                "head office failed ({status}): {message}; it will be tried again"
            ),
        }
    }
}

/// What `/health` says.
#[derive(Debug, Clone, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
    pub epoch: Option<Uuid>,
    #[serde(default)]
    pub schema_version: i64,
    /// The company head office keeps (none from a head office before 2026-12).
    #[serde(default)]
    pub company_name: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerUser {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SignedIn {
    pub token: String,
    pub expires_at: salesplan_core::timestamp::Timestamp,
    pub user: ServerUser,
}

/// The requests the engine makes. [`Http`] is the real one; the fault-injection
/// tests wrap it to drop, repeat and reorder its requests and answers.
pub trait Transport: Send + Sync {
    fn health(&self) -> Result<Health, Fault>;
    fn login(&self, username: &str, password: &str) -> Result<SignedIn, Fault>;
    fn me(&self, token: &str) -> Result<ServerUser, Fault>;
    fn logout(&self, token: &str) -> Result<(), Fault>;
    fn push(&self, token: &str, request: &PushRequest) -> Result<PushResponse, Fault>;
    fn pull(
        &self,
        token: &str,
        epoch: Uuid,
        cursor: i64,
        limit: i64,
    ) -> Result<PullResponse, Fault>;
    /// Head office's stock levels, summed from every laptop's movements and sales.
    fn availability(&self, token: &str) -> Result<Availability, Fault>;
}

/// Head office at `base` (`https://host[:port]`).
pub struct Http {
    base: String,
    client: reqwest::blocking::Client,
}

/// Names a PEM file of certificates to trust besides the public and system roots.
pub const CA_CERT_VAR: &str = "SALESPLAN_CA_CERT";

impl Http {
    pub fn new(base: &str) -> Result<Http, Fault> {
        let extra = match std::env::var_os(CA_CERT_VAR) {
            Some(path) => Some(std::fs::read(&path).map_err(|error| {
                Fault::Unreachable(format!(
                    "{CA_CERT_VAR} names {}, which cannot be read: {error}",
                    std::path::Path::new(&path).display()
                ))
            })?),
            None => None,
        };
        Http::trusting(base, extra.as_deref())
    }

    /// A client that also trusts the certificates in `pem` (a PEM bundle).
    pub fn trusting(base: &str, pem: Option<&[u8]>) -> Result<Http, Fault> {
        let mut builder = reqwest::blocking::Client::builder();
        if let Some(pem) = pem {
            let roots = reqwest::Certificate::from_pem_bundle(pem).map_err(|error| {
                Fault::Unreachable(format!(
                    "the certificates in {CA_CERT_VAR} are not PEM: {error}"
                ))
            })?;
            for root in roots {
                builder = builder.add_root_certificate(root);
            }
        }
        let client = builder
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .user_agent(concat!("salesplan/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| Fault::Unreachable(error.to_string()))?;
        Ok(Http {
            base: base.trim_end_matches('/').to_owned(),
            client,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    error: String,
}

fn sent(
    result: reqwest::Result<reqwest::blocking::Response>,
) -> Result<reqwest::blocking::Response, Fault> {
    result.map_err(|error| Fault::Unreachable(without_url(&error)))
}

/// What went wrong, in words (reqwest's own message names the URL and its internals).
fn without_url(error: &reqwest::Error) -> String {
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else if error.is_body() || error.is_decode() {
        "the answer was cut off or garbled"
    } else {
        "the request failed"
    };
    // The innermost cause says most ("invalid peer certificate: UnknownIssuer").
    let mut cause = std::error::Error::source(error);
    let mut innermost = None;
    while let Some(inner) = cause {
        innermost = Some(inner.to_string());
        cause = inner.source();
    }
    match innermost {
        Some(cause) if cause.contains("certificate") => format!(
            "{what}: head office's certificate is not trusted here ({cause}); install the company's CA certificate in the system's store, or set {CA_CERT_VAR} to its PEM file"
        ),
        Some(cause) => format!("{what}: {cause}"),
        None => what.to_owned(),
    }
}

/// Sorts an answer: the body when 2xx, else the fault it stands for.
fn answer<T: serde::de::DeserializeOwned>(
    response: reqwest::blocking::Response,
) -> Result<T, Fault> {
    let status = response.status().as_u16();
    let body = response
        .bytes()
        .map_err(|error| Fault::Unreachable(without_url(&error)))?;
    if (200..300).contains(&status) {
        return serde_json::from_slice(&body).map_err(|error| Fault::Server {
            status,
            message: format!("an answer this version cannot read: {error}"),
        });
    }
    if status == 409
        && let Ok(gap) = serde_json::from_slice::<Gap>(&body)
    {
        return Err(Fault::Gap {
            expected: gap.expected_mutation_id,
        });
    }
    let message = serde_json::from_slice::<ErrorBody>(&body)
        .map(|body| body.error)
        .unwrap_or_else(|_| String::from_utf8_lossy(&body).chars().take(200).collect());
    Err(match status {
        401 => Fault::Unauthorized(message),
        410 => Fault::Gone(message),
        426 => Fault::UpgradeRequired(message),
        500.. => Fault::Server { status, message },
        _ => Fault::Refused { status, message },
    })
}

impl Transport for Http {
    fn health(&self) -> Result<Health, Fault> {
        answer(sent(self.client.get(self.url("/health")).send())?)
    }

    fn login(&self, username: &str, password: &str) -> Result<SignedIn, Fault> {
        let body = serde_json::json!({ "username": username, "password": password });
        answer(sent(
            self.client.post(self.url("/auth/login")).json(&body).send(),
        )?)
    }

    fn me(&self, token: &str) -> Result<ServerUser, Fault> {
        answer(sent(
            self.client
                .get(self.url("/auth/me"))
                .bearer_auth(token)
                .send(),
        )?)
    }

    fn logout(&self, token: &str) -> Result<(), Fault> {
        let response = sent(
            self.client
                .post(self.url("/auth/logout"))
                .bearer_auth(token)
                .send(),
        )?;
        if response.status().is_success() {
            return Ok(());
        }
        answer::<serde_json::Value>(response).map(|_| ())
    }

    fn push(&self, token: &str, request: &PushRequest) -> Result<PushResponse, Fault> {
        answer(sent(
            self.client
                .post(self.url("/sync/push"))
                .bearer_auth(token)
                .json(request)
                .send(),
        )?)
    }

    fn pull(
        &self,
        token: &str,
        epoch: Uuid,
        cursor: i64,
        limit: i64,
    ) -> Result<PullResponse, Fault> {
        let url = self.url(&format!(
            "/sync/pull?epoch={epoch}&cursor={cursor}&limit={limit}"
        ));
        answer(sent(self.client.get(url).bearer_auth(token).send())?)
    }

    fn availability(&self, token: &str) -> Result<Availability, Fault> {
        answer(sent(
            self.client
                .get(self.url("/stock/availability"))
                .bearer_auth(token)
                .send(),
        )?)
    }
}
