//! The routes, their shared state, `/health` and the OpenAPI description.

use crate::error::{ApiError, ErrorBody};
use crate::{auth, sync};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use deadpool_postgres::Pool;
use serde::{Deserialize, Serialize};
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// Requests larger than this are refused (413) before they are read.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    /// How long a sign-in token lasts.
    pub token_days: i64,
    /// Failed sign-ins per account and address.
    pub throttle: std::sync::Arc<std::sync::Mutex<crate::throttle::Throttle>>,
}

impl AppState {
    pub fn new(pool: Pool) -> AppState {
        AppState {
            pool,
            token_days: 30,
            throttle: std::sync::Arc::default(),
        }
    }

    pub(crate) async fn epoch(&self) -> Result<String, ApiError> {
        let client = self.pool.get().await?;
        crate::db::epoch(&client)
            .await
            .map_err(|error| {
                tracing::error!(error = %error, "cannot read the epoch");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the server cannot read its database",
                )
            })?
            .map(|epoch| epoch.to_string())
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "this server holds no company yet: run `salesplan-server company create`",
                )
            })
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// "ok", or "no company" before `company create`.
    pub status: String,
    pub version: String,
    pub epoch: Option<String>,
    /// The newest ledger schema this server knows; it accepts laptops of this version and the one before.
    pub schema_version: i64,
    /// The company this head office keeps, as `company create` set it up: a
    /// laptop refuses to connect a ledger of another company.
    pub company_name: Option<String>,
    pub currency: Option<String>,
}

#[utoipa::path(get, path = "/health",
    responses(
        (status = 200, body = Health, description = "serving, with its database"),
        (status = 503, body = ErrorBody, description = "the database cannot be reached"),
    ))]
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let client = state.pool.get().await?;
    let unavailable =
        |error: anyhow::Error| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, error.to_string());
    let epoch = crate::db::epoch(&client).await.map_err(unavailable)?;
    let company = crate::db::company(&client).await.map_err(unavailable)?;
    Ok(Json(Health {
        status: if epoch.is_some() { "ok" } else { "no company" }.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        epoch: epoch.map(|epoch| epoch.to_string()),
        schema_version: salesplan_domain::sync::protocol::SCHEMA_VERSION,
        company_name: company.as_ref().map(|(name, _)| name.clone()),
        currency: company.map(|(_, currency)| currency),
    }))
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Salesplan head office", description = "Sync server for Salesplan laptops (DESIGN §5)"),
    paths(health, auth::login, auth::me, auth::logout, sync::push, sync::pull, crate::availability::availability),
    components(schemas(Health, ErrorBody, auth::LoginRequest, auth::LoginResponse, auth::ServerUser)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no such endpoint; see /openapi.json")
}

/// The routes; serve them with `into_make_service_with_connect_info::<SocketAddr>()`
/// so that sign-ins are counted per address too.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .route("/auth/login", post(auth::login))
        .route("/auth/me", get(auth::me))
        .route("/auth/logout", post(auth::logout))
        .route("/sync/push", post(sync::push))
        .route("/sync/pull", get(sync::pull))
        .route(
            "/stock/availability",
            get(crate::availability::availability),
        )
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
