//! What the sync benches share: a laptop's sign-in and its batches of sales.

use salesplan_core::sync::protocol::{Mutation, PullResponse, SCHEMA_VERSION, ScopeFacts};
use serde_json::json;
use uuid::Uuid;

/// Signs in over HTTP; answers the token.
pub async fn sign_in(http: &reqwest::Client, base: &str, username: &str, password: &str) -> String {
    let login: serde_json::Value = http
        .post(format!("{base}/auth/login"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["token"].as_str().unwrap().to_owned()
}

/// A laptop's sales with mutation ids `ids`, stamped now.
pub fn sales(
    ids: std::ops::Range<i64>,
    laptop: Uuid,
    user: Uuid,
    scope: ScopeFacts,
) -> Vec<Mutation> {
    let wall = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    ids.map(|id| Mutation {
        mutation_id: id,
        op_uuid: Uuid::now_v7(),
        entity: "actual_sale".into(),
        entity_id: Uuid::now_v7(),
        kind: "appended".into(),
        payload: json!({ "period": "2026-10", "quantity": "3", "unit_price": "1.49" }),
        base_version: None,
        hlc: format!("{wall:013}-{id:06}-{laptop}"),
        user_id: user,
        schema_version: SCHEMA_VERSION,
        scope,
    })
    .collect()
}

/// One page of the feed after `cursor`.
pub async fn pull(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    epoch: Uuid,
    cursor: i64,
    limit: i64,
) -> PullResponse {
    http.get(format!(
        "{base}/sync/pull?epoch={epoch}&cursor={cursor}&limit={limit}"
    ))
    .bearer_auth(token)
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap()
}
