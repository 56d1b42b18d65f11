//! Sign-in and tokens. `POST /auth/login` checks the password (argon2id, as on
//! the laptop) and answers a random token; the server keeps only its BLAKE2b
//! hash, with an expiry. Every other request names its token as `Authorization:
//! Bearer …`; a revoked, expired or deactivated user's token is refused.

use crate::admin::{USER_COLUMNS, UserRow, user_row};
use crate::api::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use blake2::{Blake2b, Digest, digest::consts::U32};
use rand::RngCore;
use salesplan_domain::password;
use salesplan_domain::timestamp::Timestamp;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use std::sync::OnceLock;
use std::time::Instant;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ServerUser {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    /// administrator, salesman, manager, supply-chain or branch-manager.
    pub role: String,
    pub department_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`; shown once, kept hashed.
    pub token: String,
    /// RFC 3339, UTC to the millisecond.
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: Timestamp,
    pub user: ServerUser,
    /// The server's epoch: a new one means the server was restored from a backup.
    pub epoch: String,
}

fn token_hash(token: &str) -> Vec<u8> {
    Blake2b::<U32>::digest(token.as_bytes()).to_vec()
}

impl From<UserRow> for ServerUser {
    fn from(user: UserRow) -> ServerUser {
        ServerUser {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            role: user.role.key().to_owned(),
            department_id: user.department_id,
            location_id: user.location_id,
        }
    }
}

/// The address a request came from, when the server was started with it.
pub struct Peer(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Peer, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip()),
        ))
    }
}

/// A hash of a password nobody has: checked against when the username is
/// unknown, so an unknown name takes as long to refuse as a wrong password.
fn stand_in_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| password::hash("no account has this password").unwrap_or_default())
}

#[utoipa::path(post, path = "/auth/login", request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse, description = "signed in"),
        (status = 400, body = crate::error::ErrorBody, description = "a body that is not JSON, or a username with control characters"),
        (status = 401, body = crate::error::ErrorBody, description = "wrong username or password"),
        (status = 403, body = crate::error::ErrorBody, description = "the account is deactivated"),
        (status = 415, body = crate::error::ErrorBody, description = "the body is not sent as application/json"),
        (status = 422, body = crate::error::ErrorBody, description = "JSON without a username or password"),
        (status = 429, body = crate::error::ErrorBody, description = "too many failed sign-ins for this account or address: wait Retry-After seconds"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    Peer(address): Peer,
    request: Result<Json<LoginRequest>, JsonRejection>,
) -> Result<Json<LoginResponse>, ApiError> {
    let Json(request) = request?;
    let username = request.username.trim();
    if username.chars().any(char::is_control) || username.chars().count() > 200 {
        return Err(ApiError::bad_request(
            "username: must be at most 200 characters, without control characters",
        ));
    }
    let throttle = |act: &dyn Fn(&mut crate::throttle::Throttle)| {
        if let Ok(mut throttle) = state.throttle.lock() {
            act(&mut throttle);
        }
    };
    let waiting = state
        .throttle
        .lock()
        .ok()
        .and_then(|throttle| throttle.wait(username, address, Instant::now()));
    if let Some(wait) = waiting {
        tracing::warn!(user = %username, address = ?address, "sign-in refused: too many failures");
        return Err(ApiError::too_many(wait));
    }
    // Read before this handler holds a connection: a second checkout while
    // holding one deadlocks once every pooled connection is held so.
    let epoch = state.epoch().await?;
    let client = state.pool.get().await?;
    let row = client
        .query_opt(
            &format!(
                "SELECT {USER_COLUMNS}, password_hash FROM users WHERE lower(username) = lower($1)"
            ),
            &[&username],
        )
        .await?;
    let stored: String = row
        .as_ref()
        .map_or_else(|| stand_in_hash().to_owned(), |row| row.get(7));
    let given = request.password;
    let matches = tokio::task::spawn_blocking(move || password::verify(&given, &stored))
        .await
        .unwrap_or(false);
    let (Some(row), true) = (row, matches) else {
        tracing::warn!(user = %username, address = ?address, "failed sign-in");
        throttle(&|throttle| throttle.failed(username, address, Instant::now()));
        return Err(ApiError::unauthorized("wrong username or password"));
    };
    throttle(&|throttle| throttle.succeeded(username));
    let user = user_row(&row);
    if !user.active {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            format!(
                "the account '{}' is deactivated; ask head office",
                user.username
            ),
        ));
    }
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let token: String = secret.iter().map(|byte| format!("{byte:02x}")).collect();
    // The database's clock sets the expiry, as it is the one that checks it:
    // a server process whose clock is off cannot hand out tokens born expired.
    let expires_at: OffsetDateTime = client
        .query_one(
            "INSERT INTO tokens (id, user_id, token_hash, expires_at)
             VALUES ($1, $2, $3, now() + $4::bigint * interval '1 day') RETURNING expires_at",
            &[
                &Uuid::now_v7(),
                &user.id,
                &token_hash(&token),
                &state.token_days,
            ],
        )
        .await?
        .get(0);
    let user = ServerUser::from(user);
    tracing::info!(user = %user.username, "signed in");
    Ok(Json(LoginResponse {
        token,
        expires_at: Timestamp::from(expires_at),
        user,
        epoch,
    }))
}

/// The signed-in user of a request, from its bearer token.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: ServerUser,
    pub token_id: Uuid,
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        // The scheme is case-insensitive (RFC 9110 §11.1).
        let token = header
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim());
        let Some(token) = token else {
            return Err(ApiError::unauthorized(
                "sign in first: send Authorization: Bearer <token> from /auth/login",
            ));
        };
        let client = state.pool.get().await?;
        let row = client
            .query_opt(
                "SELECT u.id, u.username, u.display_name, u.role, u.department_id, u.location_id, u.active,
                        t.id, t.revoked_at IS NOT NULL, t.expires_at <= now()
                 FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
                &[&token_hash(token)],
            )
            .await?;
        let Some(row) = row else {
            return Err(ApiError::unauthorized("unknown token: sign in again"));
        };
        if row.get::<_, bool>(8) || !row.get::<_, bool>(6) {
            return Err(ApiError::unauthorized(
                "this token was revoked (the account was deactivated or signed out): sign in again",
            ));
        }
        if row.get::<_, bool>(9) {
            return Err(ApiError::unauthorized(
                "this token has expired: sign in again",
            ));
        }
        Ok(Session {
            user: user_row(&row).into(),
            token_id: row.get(7),
        })
    }
}

#[utoipa::path(get, path = "/auth/me",
    responses((status = 200, body = ServerUser), (status = 401, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn me(session: Session) -> Json<ServerUser> {
    Json(session.user)
}

#[utoipa::path(post, path = "/auth/logout",
    responses((status = 204, description = "the token is revoked"), (status = 401, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn logout(
    State(state): State<AppState>,
    session: Session,
) -> Result<StatusCode, ApiError> {
    let client = state.pool.get().await?;
    client
        .execute(
            "UPDATE tokens SET revoked_at = now() WHERE id = $1",
            &[&session.token_id],
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
