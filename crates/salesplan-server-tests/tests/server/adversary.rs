//! A hostile laptop: under a real user's token it pushes changes the app
//! would never make — random fields and values of every JSON type, illegal
//! and unknown steps, scope and owner moves, foreign ids, facts in closed
//! months, huge and negative numbers, long strings, NUL — built from the
//! records head office holds. Used by the seeded simulation (`sim.rs`) in
//! every round, and on its own for many seeds here.
//!
//! Invariants after every seed: every answer is a 200 or a 4xx with a
//! reason, every refused change has a reason; head office holds only records
//! its rules accept; the honest laptops sync without error, converge with
//! head office (`sim::check`, every tenth seed: it reads every table of every
//! laptop) and every report and list runs on each.
//!
//! `SALESPLAN_ADVERSARY_SEEDS=N` runs seeds 1 to N (default 1,000), one after
//! another against the same company; `SALESPLAN_ADVERSARY_SEED=S` replays
//! the run up to S (what head office took from earlier seeds is part of a
//! seed's world).

use crate::PASSWORD;
use crate::Server;
use crate::sim::{self, Laptop, Rng};
use salesplan_core::ledger::{ChangeKind, Entity};
use salesplan_core::month::Month;
use salesplan_core::sync::protocol::{Mutation, PushResponse, SCHEMA_VERSION, ScopeFacts};
use salesplan_domain::changes::{self, Record};
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// What head office holds, for the adversary to pick from.
pub struct World {
    records: Vec<(String, Uuid, Map<String, Value>, ScopeFacts)>,
    users: Vec<Uuid>,
}

impl World {
    pub async fn read(server: &Server) -> World {
        let client = server.pool.get().await.unwrap();
        let rows = client
            .query(
                "SELECT entity, entity_id, fields, owner_id, department_id, location_id, other_location_id FROM entities
                 UNION ALL
                 (SELECT entity, entity_id, payload::jsonb, owner_id, department_id, location_id, other_location_id
                  FROM changes WHERE kind = 'appended' ORDER BY seq DESC LIMIT 200)
                 ORDER BY 1, 2",
                &[],
            )
            .await
            .unwrap();
        let records = rows
            .iter()
            .filter_map(|row| {
                let Value::Object(fields) = row.get::<_, Value>(2) else {
                    return None;
                };
                let scope = ScopeFacts {
                    owner_id: row.get(3),
                    department_id: row.get(4),
                    location_id: row.get(5),
                    other_location_id: row.get(6),
                };
                Some((row.get(0), row.get(1), fields, scope))
            })
            .collect();
        let users = client
            .query("SELECT id FROM users", &[])
            .await
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect();
        World { records, users }
    }

    fn any_id(&self, rng: &mut Rng) -> Uuid {
        match rng.below(3) {
            0 => Uuid::now_v7(),
            1 if !self.users.is_empty() => self.users[rng.below(self.users.len())],
            _ if !self.records.is_empty() => self.records[rng.below(self.records.len())].1,
            _ => Uuid::nil(),
        }
    }
}

/// A value of any JSON type, many of them hostile.
fn any_value(rng: &mut Rng, world: &World) -> Value {
    match rng.below(22) {
        0 => Value::Null,
        1 => json!(rng.chance(50)),
        2 => json!(i64::MAX),
        3 => json!(-1),
        4 => json!(1e30),
        5 => json!(-0.5),
        6 => json!("x".repeat(10_000)),
        7 => json!("a\u{0}b"),
        8 => json!("abc"),
        9 => json!("-5"),
        10 => json!("1e30"),
        11 => json!("99999999999999999999999999999"),
        12 => json!("2026-13"),
        13 => json!(world.any_id(rng)),
        14 => json!(Uuid::now_v7().to_string()),
        15 => json!([1, "two", null]),
        16 => json!({ "nested": { "deeper": [1] } }),
        17 => json!(""),
        18 => json!("approved"),
        19 => json!("0.0000001"),
        20 => json!(Month::current().plus(-(rng.below(24) as i32)).to_string()),
        _ => json!(format!("{}", rng.next() % 1000)),
    }
}

fn any_scope(rng: &mut Rng, world: &World, own: ScopeFacts) -> ScopeFacts {
    match rng.below(4) {
        0 => own,
        1 => ScopeFacts::default(),
        2 => ScopeFacts {
            owner_id: Some(world.any_id(rng)),
            ..own
        },
        _ => ScopeFacts {
            owner_id: Some(world.any_id(rng)),
            department_id: Some(world.any_id(rng)),
            location_id: Some(world.any_id(rng)),
            other_location_id: rng.chance(30).then(|| world.any_id(rng)),
        },
    }
}

const KINDS: [&str; 8] = [
    "created",
    "updated",
    "archived",
    "restored",
    "appended",
    "password_changed",
    "transitioned",
    "exploded",
];
const STATUSES: [&str; 12] = [
    "draft",
    "submitted",
    "approved",
    "rejected",
    "locked",
    "Approved",
    "finished",
    "requested",
    "shipped",
    "closed",
    "cancelled",
    "in_transit",
];

/// One forged change.
fn forge(rng: &mut Rng, world: &World, user: Uuid, own: ScopeFacts, id: i64) -> Mutation {
    let held = (!world.records.is_empty()).then(|| &world.records[rng.below(world.records.len())]);
    let (entity, entity_id, kind, payload) = match (rng.below(7), held) {
        // A held record, changed: a few fields set to anything.
        (0 | 1, Some((entity, entity_id, fields, _))) => {
            let mut payload = Map::new();
            let keys: Vec<&String> = fields.keys().collect();
            for _ in 0..=rng.below(3) {
                let field = if rng.chance(80) && !keys.is_empty() {
                    keys[rng.below(keys.len())].clone()
                } else {
                    [
                        "salesman_id",
                        "department_id",
                        "location_id",
                        "status",
                        "colour",
                    ][rng.below(5)]
                    .to_owned()
                };
                payload.insert(field, any_value(rng, world));
            }
            let kind = if rng.chance(70) {
                "updated"
            } else {
                KINDS[rng.below(KINDS.len())]
            };
            (
                entity.clone(),
                *entity_id,
                kind.to_owned(),
                Value::Object(payload),
            )
        }
        // A copy of a held record under a new id, one field spoiled (or none).
        (2 | 3, Some((entity, _, fields, _))) => {
            let new_id = Uuid::now_v7();
            let mut payload = fields.clone();
            payload.insert("id".into(), json!(new_id));
            for kept in changes::HEAD_OFFICE_FIELDS {
                payload.remove(kept);
            }
            // Made the user's own (so it may pass), or spoiled in one field.
            if rng.chance(40) {
                for field in ["salesman_id", "created_by", "imported_by", "closed_by"] {
                    if payload.contains_key(field) {
                        payload.insert(field.into(), json!(user));
                    }
                }
                if let (Some(location), true) =
                    (own.location_id, payload.contains_key("location_id"))
                {
                    payload.insert("location_id".into(), json!(location));
                }
            } else if rng.chance(70) {
                let keys: Vec<String> = payload.keys().cloned().collect();
                let field = keys[rng.below(keys.len())].clone();
                payload.insert(field, any_value(rng, world));
            }
            let kind = match Entity::parse(entity) {
                Some(
                    Entity::ActualSale
                    | Entity::StockMovement
                    | Entity::ExpenseTransaction
                    | Entity::ForecastSnapshot,
                ) => "appended",
                _ => "created",
            };
            let kind = if rng.chance(85) {
                kind
            } else {
                KINDS[rng.below(KINDS.len())]
            };
            (
                entity.clone(),
                new_id,
                kind.to_owned(),
                Value::Object(payload),
            )
        }
        // A workflow step of any budget, from and to anything.
        (4, _) => {
            let budget = world
                .records
                .iter()
                .filter(|record| record.0 == "budget")
                .map(|record| record.1)
                .nth(rng.below(4))
                .unwrap_or_else(Uuid::now_v7);
            let payload = json!({
                "from": STATUSES[rng.below(STATUSES.len())],
                "to": STATUSES[rng.below(STATUSES.len())],
                "comment": if rng.chance(50) { any_value(rng, world) } else { json!("why not") },
            });
            (
                "budget".to_owned(),
                budget,
                "transitioned".to_owned(),
                payload,
            )
        }
        // A purchase order's step to any status, or a receipt against any order line.
        (5, _) => forge_purchase(rng, world, user, own),
        // Anything at all.
        _ => {
            let entities: Vec<&str> = Entity::ALL
                .iter()
                .map(|entity| entity.key())
                .chain(["spaceship"])
                .collect();
            let entity = entities[rng.below(entities.len())].to_owned();
            let mut payload = Map::new();
            for _ in 0..rng.below(5) {
                payload.insert(format!("f{}", rng.below(4)), any_value(rng, world));
            }
            let payload = if rng.chance(80) {
                Value::Object(payload)
            } else {
                any_value(rng, world)
            };
            (
                entity,
                world.any_id(rng),
                KINDS[rng.below(KINDS.len())].to_owned(),
                payload,
            )
        }
    };
    Mutation {
        mutation_id: id,
        op_uuid: Uuid::now_v7(),
        entity,
        entity_id,
        kind,
        payload,
        base_version: rng.chance(50).then(|| rng.below(5) as i64),
        hlc: crate::sync::tick(),
        user_id: user,
        schema_version: SCHEMA_VERSION,
        scope: any_scope(rng, world, own),
    }
}

/// A forged purchase order step (to any status, named for anyone, with or
/// without a reason) or a receipt of any quantity against a held order line,
/// where it is delivered or elsewhere, of its product or another.
fn forge_purchase(
    rng: &mut Rng,
    world: &World,
    user: Uuid,
    own: ScopeFacts,
) -> (String, Uuid, String, Value) {
    let held = |entity: &str| -> Vec<&(String, Uuid, Map<String, Value>, ScopeFacts)> {
        world
            .records
            .iter()
            .filter(|record| record.0 == entity)
            .collect()
    };
    let by = if rng.chance(70) {
        json!(user)
    } else {
        json!(world.any_id(rng))
    };
    if rng.chance(50) {
        let orders = held("purchase_order");
        let order = orders
            .get(rng.below(orders.len().max(1)))
            .map_or_else(Uuid::now_v7, |order| order.1);
        let status = [
            "draft",
            "sent",
            "cancelled",
            "received",
            "partially_received",
        ][rng.below(5)];
        let payload = json!({
            "status": status,
            "sent_by": by,
            "sent_at": crate::records::AT,
            "cancelled_by": by,
            "cancelled_at": crate::records::AT,
            "cancel_reason": if rng.chance(50) { any_value(rng, world) } else { json!("forged") },
        });
        return ("purchase_order".into(), order, "updated".into(), payload);
    }
    let lines = held("purchase_order_line");
    let line = lines.get(rng.below(lines.len().max(1)));
    let id = Uuid::now_v7();
    let product = match line {
        Some(line) if rng.chance(80) => line.2.get("product_id").cloned().unwrap_or(Value::Null),
        _ => json!(world.any_id(rng)),
    };
    let location = match line {
        Some(line) if rng.chance(80) => json!(line.3.location_id),
        _ => json!(own.location_id.unwrap_or_else(|| world.any_id(rng))),
    };
    let quantity = [
        json!("1"),
        json!("5"),
        json!("1000000"),
        json!("-3"),
        json!("0"),
        any_value(rng, world),
    ][rng.below(6)]
    .clone();
    let payload = json!({
        "id": id, "moved_on": &crate::records::AT[..10], "location_id": location, "product_id": product,
        "quantity": quantity, "reason": if rng.chance(85) { "receipt" } else { "adjustment" },
        "note": if rng.chance(50) { json!("") } else { any_value(rng, world) },
        "import_id": null, "fingerprint": null,
        "order_line_id": line.map_or_else(|| json!(world.any_id(rng)), |line| json!(line.1)),
        "created_by": user, "created_at": crate::records::AT,
    });
    ("stock_movement".into(), id, "appended".into(), payload)
}

/// Signs in as `username` and pushes a forged batch from a new laptop; every
/// answer must be a 200 or a 4xx, and every refusal must say why. Returns
/// how many of the changes head office took.
pub async fn attack(
    server: &Server,
    world: &World,
    username: &str,
    rng: &mut Rng,
) -> Result<usize, String> {
    let login: Value = server
        .http
        .post(server.url("/auth/login"))
        .json(&json!({ "username": username, "password": PASSWORD }))
        .send()
        .await
        .map_err(|error| error.to_string())?
        .json()
        .await
        .map_err(|error| error.to_string())?;
    let token = login["token"]
        .as_str()
        .ok_or(format!("{username} cannot sign in: {login}"))?;
    let user: Uuid =
        serde_json::from_value(login["user"]["id"].clone()).map_err(|e| e.to_string())?;
    let own = ScopeFacts {
        owner_id: Some(user),
        department_id: serde_json::from_value(login["user"]["department_id"].clone())
            .unwrap_or(None),
        location_id: serde_json::from_value(login["user"]["location_id"].clone()).unwrap_or(None),
        other_location_id: None,
    };
    let count = 1 + rng.below(25);
    let mutations: Vec<Mutation> = (1..=count as i64)
        .map(|id| forge(rng, world, user, own, id))
        .collect();
    let epoch = server.epoch().await;
    let response = server
        .http
        .post(server.url("/sync/push"))
        .bearer_auth(token)
        .json(&json!({ "client_id": Uuid::new_v4(), "epoch": epoch, "mutations": mutations }))
        .send()
        .await
        .map_err(|error| error.to_string())?;
    let status = response.status();
    let body = response.text().await.map_err(|error| error.to_string())?;
    if status.is_server_error() {
        return Err(format!(
            "head office answered {status} to a forged push: {body}"
        ));
    }
    if !status.is_success() {
        let reason: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        return match reason["error"]
            .as_str()
            .or(reason["expected_mutation_id"].as_i64().map(|_| "gap"))
        {
            Some(why) if !why.is_empty() => Ok(0),
            _ => Err(format!("{status} without a reason: {body}")),
        };
    }
    let answer: PushResponse = serde_json::from_str(&body).map_err(|error| error.to_string())?;
    let mut taken = 0;
    for (result, sent) in answer.results.iter().zip(&mutations) {
        match &result.outcome {
            salesplan_core::sync::protocol::Outcome::Applied => taken += 1,
            salesplan_core::sync::protocol::Outcome::Rejected { reason }
                if reason.trim().is_empty() =>
            {
                return Err(format!(
                    "a refusal without a reason: {} {} {}",
                    sent.entity, sent.kind, sent.payload
                ));
            }
            salesplan_core::sync::protocol::Outcome::Rejected { .. } => {}
        }
    }
    Ok(taken)
}

/// Head office holds only records its own rules accept: every merged record
/// parses whole, every fact in the feed parses as the change it was.
pub async fn head_office_holds_only_valid_records(server: &Server) -> Result<(), String> {
    let client = server.pool.get().await.unwrap();
    for row in client
        .query("SELECT entity, entity_id, fields FROM entities", &[])
        .await
        .unwrap()
    {
        let (entity, id, fields): (String, Uuid, Value) = (row.get(0), row.get(1), row.get(2));
        let mut fields = fields;
        if let Some(fields) = fields.as_object_mut() {
            for kept in changes::HEAD_OFFICE_FIELDS {
                fields.remove(kept);
            }
        }
        let kind = Entity::parse(&entity)
            .ok_or(format!("head office holds a record of no kind: {entity}"))?;
        if let Err(refusal) = Record::parse(kind, &fields, true) {
            return Err(format!(
                "head office holds {entity} {id} that its rules refuse: {refusal}: {fields}"
            ));
        }
    }
    for row in client
        .query(
            "SELECT entity, entity_id, kind, payload FROM changes WHERE kind = 'appended'",
            &[],
        )
        .await
        .unwrap()
    {
        let (entity, id, kind, payload): (String, Uuid, String, Value) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        let (Some(entity), Some(kind)) = (Entity::parse(&entity), ChangeKind::parse(&kind)) else {
            return Err(format!(
                "the feed holds a change of no kind: {entity} {kind}"
            ));
        };
        if let Err(refusal) = changes::parse(entity, kind, id, &payload) {
            return Err(format!(
                "the feed holds a {} its rules refuse: {refusal}",
                entity.noun()
            ));
        }
    }
    Ok(())
}

/// Every report and list a user opens runs on the laptop's ledger.
pub fn reports_run(laptop: &Laptop) -> Result<(), String> {
    use salesplan_core::exports::{self, ExportWhat};
    let actor = laptop.actor();
    let mut ledger = laptop.ledger.lock().unwrap();
    let who = laptop.username;
    // A role that may not open a report is refused; a report must never fail to read.
    let runs = |what: &str, result: Result<(), salesplan_core::Error>| match result {
        Ok(()) | Err(salesplan_core::Error::Forbidden { .. }) => Ok(()),
        Err(error) => Err(format!("{who}: {what} fails: {error}")),
    };
    runs(
        "budgets list",
        salesplan_core::budgets::list(&ledger, &actor, None).map(drop),
    )?;
    runs(
        "budgets inbox",
        salesplan_core::budgets::inbox(&ledger, &actor).map(drop),
    )?;
    runs(
        "sales",
        salesplan_core::sales::overview(&ledger, &actor).map(drop),
    )?;
    let level = json!({ "level": "product" });
    let forecast = serde_json::from_value(level.clone()).unwrap();
    runs(
        "forecast show",
        salesplan_core::forecast::show(&ledger, &actor, forecast).map(drop),
    )?;
    let what: Vec<ExportWhat> = [
        json!({ "what": "sales" }),
        json!({ "what": "budgets" }),
        json!({ "what": "imports" }),
        json!({ "what": "forecast", "query": level }),
    ]
    .into_iter()
    .filter_map(|what| serde_json::from_value(what).ok())
    .collect();
    if what.len() != 4 {
        return Err("the export kinds changed: update reports_run".into());
    }
    // Every saved report it lists runs, or says why not for this reader (a
    // measure their role may not see, a filter outside their scope).
    for report in
        salesplan_core::reports::saved::list(&ledger, &actor).map_err(|e| e.to_string())?
    {
        match salesplan_core::reports::run(&ledger, &actor, &report.definition) {
            Ok(_) | Err(salesplan_core::Error::Forbidden { .. }) => {}
            Err(salesplan_core::Error::Invalid { field, .. }) if field == "filters" => {}
            Err(error) => return Err(format!("{who}: report '{}' fails: {error}", report.name)),
        }
    }
    for what in &what {
        runs(
            &format!("export {what:?}"),
            exports::table(&mut ledger, &actor, what).map(drop),
        )?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_laptop_breaks_neither_head_office_nor_the_honest_laptops() {
    let last: u64 = std::env::var("SALESPLAN_ADVERSARY_SEED")
        .or_else(|_| std::env::var("SALESPLAN_ADVERSARY_SEEDS"))
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000);
    let seeds: Vec<u64> = (1..=last).collect();
    let dir = tempfile::tempdir().unwrap();
    let (server, company, mut fleet) = sim::founded(dir.path(), 1).await;
    // Head office knows every account the administrator's laptop made.
    server
        .add_user(
            sim::LATE,
            salesplan_core::Role::Salesman,
            Some(company.department),
            Some(company.north),
        )
        .await;
    let hostile = ["s2", "m", "bm", "s1"];
    let started = std::time::Instant::now();
    let mut taken = 0;
    for seed in &seeds {
        let mut rng = Rng(*seed);
        // The honest laptops work a little (sales, budgets, steps), so the
        // adversary has their records to forge from.
        for laptop in fleet.0.iter_mut() {
            if rng.chance(30) {
                sim::act(laptop, &company, &mut rng, *seed);
            }
        }
        let world = World::read(&server).await;
        let outcome = async {
            taken += attack(&server, &world, hostile[rng.below(hostile.len())], &mut rng).await?;
            sim::settle(&fleet.0).await?;
            head_office_holds_only_valid_records(&server).await?;
            for laptop in &fleet.0 {
                reports_run(laptop)?;
            }
            // Convergence is the costly check (every table of every laptop):
            // every tenth seed and the last.
            if seed % 10 == 0 || *seed == last {
                sim::check(&server, &fleet.0).await?;
            }
            Ok::<(), String>(())
        }
        .await;
        if let Err(failure) = outcome {
            if std::env::var("SALESPLAN_SIM_DEBUG").is_ok() {
                for laptop in &fleet.0 {
                    eprintln!("{}: {:#?}", laptop.username, sim::refused(laptop));
                }
            }
            panic!(
                "seed {seed} failed (replay: SALESPLAN_ADVERSARY_SEED={seed} cargo test -p salesplan-server --test server adversary): {failure}"
            );
        }
    }
    eprintln!(
        "{} seeds in {:.1} s; head office took {taken} forged changes that its rules accept",
        seeds.len(),
        started.elapsed().as_secs_f64()
    );
}
