//! Stock availability: how much of each product each location holds, summed
//! at head office from every laptop's movements and the sales that take stock
//! (a salesman's laptop holds only its own sales, so it cannot sum them).

use crate::api::AppState;
use crate::auth::Session;
use crate::error::ApiError;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rust_decimal::Decimal;
use salesplan_domain::access::{Action, Resource, can};
use salesplan_domain::sync::protocol::{Availability, StockLevel};
use salesplan_domain::timestamp::Timestamp;
use uuid::Uuid;

/// Each item's on hand: its movements, less the sales that took stock (the
/// laptops post those issues themselves, from the sale, in the same
/// transaction). Facts are kept once, as their change in the feed; where an
/// item is comes from the fact itself (a sale's scope is its salesman's).
const LEVELS: &str = "
    SELECT location_id, product_id, sum(quantity)::text
    FROM (SELECT (payload ->> 'location_id')::uuid AS location_id,
                 (payload ->> 'product_id')::uuid AS product_id,
                 (payload ->> 'quantity')::numeric AS quantity
          FROM changes WHERE kind = 'appended' AND entity = 'stock_movement'
          UNION ALL
          SELECT (payload ->> 'location_id')::uuid, (payload ->> 'product_id')::uuid,
                 -(payload ->> 'quantity')::numeric
          FROM changes
          WHERE kind = 'appended' AND entity = 'actual_sale'
            AND payload ->> 'issues_stock' IN ('true', '1')) moved
    WHERE location_id IS NOT NULL
    GROUP BY location_id, product_id
    ORDER BY location_id, product_id";

#[utoipa::path(get, path = "/stock/availability",
    responses(
        (status = 200, description = "Availability: each location's on hand of each product, as of now"),
        (status = 401, body = crate::error::ErrorBody, description = "no token, or an unknown, expired or revoked one"),
        (status = 403, body = crate::error::ErrorBody, description = "the user's role may not see stock availability"),
    ),
    security(("bearer" = [])))]
pub async fn availability(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Availability>, ApiError> {
    let actor = crate::sync::actor_of(&session);
    if !can(&actor, Action::ViewAvailability, &Resource::company()) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            format!(
                "viewing stock availability is not allowed for a {}",
                actor.role.label()
            ),
        ));
    }
    let client = state.pool.get().await?;
    let as_of = Timestamp::now();
    let rows = client
        .query(&client.prepare_cached(LEVELS).await?, &[])
        .await?;
    let mut levels = Vec::with_capacity(rows.len());
    for row in rows {
        let on_hand: String = row.get(2);
        let on_hand: Decimal = on_hand.parse().map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("a stock level reads '{on_hand}'"),
            )
        })?;
        levels.push(StockLevel {
            location_id: row.get::<_, Uuid>(0),
            product_id: row.get::<_, Uuid>(1),
            on_hand: on_hand.normalize(),
        });
    }
    Ok(Json(Availability { as_of, levels }))
}
