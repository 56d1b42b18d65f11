//! What the sync benches share: a laptop's sign-in and its batches of sales.

use salesplan_core::sync::protocol::{Mutation, PullResponse, SCHEMA_VERSION, ScopeFacts};
use serde_json::json;
use uuid::Uuid;

// The whole records a laptop sends, as the tests push them by hand.
#[allow(dead_code)]
#[path = "../../tests/server/records.rs"]
mod records;

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

/// What the sales name: a branch and a product held at head office.
#[derive(Debug, Clone, Copy)]
pub struct Reference {
    pub location: Uuid,
    pub product: Uuid,
}

/// Head office's administrator (added here, `olivia` with `password`) sends
/// the branch `location`, a product category and a product from a laptop of
/// hers: head office takes a sale only when it holds what the sale names.
pub async fn reference(
    pool: &deadpool_postgres::Pool,
    http: &reqwest::Client,
    base: &str,
    password: &str,
    epoch: Uuid,
    location: Uuid,
) -> Reference {
    let admin = salesplan_server::admin::add_user(
        pool,
        salesplan_server::admin::NewUser {
            username: "olivia".into(),
            display_name: String::new(),
            role: salesplan_core::Role::Administrator,
            department_id: None,
            location_id: None,
            password: password.into(),
        },
    )
    .await
    .unwrap()
    .id;
    let token = &sign_in(http, base, "olivia", password).await;
    let (category, product) = (Uuid::now_v7(), Uuid::now_v7());
    let records = [
        ("location", location, records::location(location, "BR-B")),
        (
            "product_category",
            category,
            records::coded(category, "BEN"),
        ),
        (
            "product",
            product,
            records::product(product, category, "BEN-1"),
        ),
    ];
    let laptop = Uuid::new_v4();
    let mutations: Vec<Mutation> = records
        .into_iter()
        .zip(1..)
        .map(|((entity, id, payload), n)| Mutation {
            mutation_id: n,
            op_uuid: Uuid::now_v7(),
            entity: entity.into(),
            entity_id: id,
            kind: "created".into(),
            payload,
            base_version: None,
            hlc: format!("{:013}-{n:06}-{laptop}", wall_ms()),
            user_id: admin,
            schema_version: SCHEMA_VERSION,
            scope: ScopeFacts::default(),
        })
        .collect();
    let answer: serde_json::Value = http
        .post(format!("{base}/sync/push"))
        .bearer_auth(token)
        .json(&json!({ "client_id": laptop, "epoch": epoch, "mutations": mutations }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let applied = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|result| result["status"] == "applied");
    assert!(applied, "head office took the reference data: {answer}");
    Reference { location, product }
}

fn wall_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
}

/// A laptop's sales with mutation ids `ids`, stamped now: whole records, as
/// the laptop sends them (head office parses and checks each).
pub fn sales(
    ids: std::ops::Range<i64>,
    laptop: Uuid,
    user: Uuid,
    scope: ScopeFacts,
    reference: Reference,
) -> Vec<Mutation> {
    let wall = wall_ms();
    let month = salesplan_core::month::Month::current().to_string();
    ids.map(|id| {
        let sale = Uuid::now_v7();
        Mutation {
            mutation_id: id,
            op_uuid: Uuid::now_v7(),
            entity: "actual_sale".into(),
            entity_id: sale,
            kind: "appended".into(),
            payload: records::sale(sale, reference.product, reference.location, user, &month, 3),
            base_version: None,
            hlc: format!("{wall:013}-{id:06}-{laptop}"),
            user_id: user,
            schema_version: SCHEMA_VERSION,
            scope,
        }
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
