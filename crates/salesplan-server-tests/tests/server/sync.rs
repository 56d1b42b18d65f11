//! Push and pull against a real PostgreSQL: idempotency, gaps, bad batches,
//! scope on both sides, the budget workflow and last-writer-wins merges.

use crate::{Server, error_of, records};
use salesplan_core::Role;
use salesplan_core::sync::protocol::{Mutation, Outcome, PullResponse, PushResponse, ScopeFacts};
use serde_json::{Value, json};
use uuid::Uuid;

/// A company with two branches: north (retail department) and south
/// (wholesale), a product category and a product, all held at head office.
pub struct Company {
    pub server: Server,
    pub epoch: Uuid,
    pub north: Uuid,
    pub south: Uuid,
    pub retail: Uuid,
    pub wholesale: Uuid,
    pub product: Uuid,
    pub category: Uuid,
    pub salma: Uuid,
    pub nils: Uuid,
    pub stan: Uuid,
    /// The records the set-up pushed (left out of what tests count).
    setup: Vec<Uuid>,
}

impl Company {
    pub async fn start() -> Company {
        let server = Server::start().await;
        let (north, south, retail, wholesale) = (
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
        );
        let salma = server
            .add_user("salma", Role::Salesman, Some(retail), Some(north))
            .await;
        let nils = server
            .add_user("nils", Role::Salesman, Some(retail), Some(north))
            .await;
        let stan = server
            .add_user("stan", Role::Salesman, Some(wholesale), Some(south))
            .await;
        server
            .add_user("bea", Role::BranchManager, None, Some(north))
            .await;
        server
            .add_user("mona", Role::Manager, Some(retail), None)
            .await;
        let epoch = server.epoch().await;
        let (category, product) = (Uuid::now_v7(), Uuid::now_v7());
        let mut company = Company {
            server,
            epoch,
            north,
            south,
            retail,
            wholesale,
            product,
            category,
            salma,
            nils,
            stan,
            setup: vec![north, south, retail, wholesale, category, product],
        };
        let olivia = crate::admin_id(&company.server).await;
        let created = |n, entity, id, payload| {
            mutation(
                n,
                olivia,
                entity,
                id,
                "created",
                payload,
                ScopeFacts::default(),
            )
        };
        let reference = [
            created(1, "department", retail, records::coded(retail, "RET")),
            created(2, "department", wholesale, records::coded(wholesale, "WHS")),
            created(3, "location", north, records::location(north, "BR-N")),
            created(4, "location", south, records::location(south, "BR-S")),
            created(
                5,
                "product_category",
                category,
                records::coded(category, "BEV"),
            ),
            created(
                6,
                "product",
                product,
                records::product(product, category, "BEV-001"),
            ),
        ];
        let answer = company.pushed("olivia", Uuid::new_v4(), &reference).await;
        assert_eq!(statuses(&answer), ["applied"; 6], "{answer:?}");
        company.setup.push(olivia);
        company
    }

    pub async fn push(
        &self,
        username: &str,
        client: Uuid,
        mutations: &[Mutation],
    ) -> reqwest::Response {
        let token = self.server.token(username).await;
        self.server
            .http
            .post(self.server.url("/sync/push"))
            .bearer_auth(token)
            .json(&json!({ "client_id": client, "epoch": self.epoch, "mutations": mutations }))
            .send()
            .await
            .unwrap()
    }

    pub async fn pushed(
        &self,
        username: &str,
        client: Uuid,
        mutations: &[Mutation],
    ) -> PushResponse {
        let response = self.push(username, client, mutations).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// The feed as `username` reads it, without head office's accounts and the set-up's records.
    pub async fn pull(&self, username: &str, cursor: i64, limit: i64) -> PullResponse {
        let token = self.server.token(username).await;
        let response = self
            .server
            .http
            .get(self.server.url(&format!(
                "/sync/pull?epoch={}&cursor={cursor}&limit={limit}",
                self.epoch
            )))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let mut page: PullResponse = response.json().await.unwrap();
        page.changes
            .retain(|change| change.entity != "user" && !self.setup.contains(&change.entity_id));
        page
    }

    /// Changes laptops sent (head office's own accounts and the set-up left out).
    pub async fn changes(&self) -> i64 {
        let client = self.server.pool.get().await.unwrap();
        client
            .query_one(
                "SELECT count(*) FROM changes WHERE entity <> 'user' AND NOT entity_id = ANY($1)",
                &[&self.setup],
            )
            .await
            .unwrap()
            .get(0)
    }

    pub fn scope(&self, owner: Uuid) -> ScopeFacts {
        let (department, location) = if owner == self.stan {
            (Some(self.wholesale), self.south)
        } else {
            (Some(self.retail), self.north)
        };
        ScopeFacts {
            owner_id: Some(owner),
            department_id: department,
            location_id: Some(location),
            other_location_id: None,
        }
    }

    /// A salesman's department and branch.
    pub fn account(&self, user: Uuid) -> (Option<Uuid>, Option<Uuid>) {
        let scope = self.scope(user);
        (scope.department_id, scope.location_id)
    }

    /// A sale of `user`'s at their branch, this month.
    pub fn sale(&self, id: i64, user: Uuid, quantity: i64) -> Mutation {
        let sale = Uuid::now_v7();
        let location = self.scope(user).location_id.unwrap();
        mutation(
            id,
            user,
            "actual_sale",
            sale,
            "appended",
            records::sale(sale, self.product, location, user, &this_month(), quantity),
            self.scope(user),
        )
    }
}

pub fn this_month() -> String {
    salesplan_core::month::Month::current().to_string()
}

pub fn now_ms() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

/// A laptop's clock: strictly increasing, as the ledger's HLC is.
pub fn tick() -> String {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let counter = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}-{counter}-{}", now_ms(), Uuid::nil())
}

pub fn mutation(
    id: i64,
    user: Uuid,
    entity: &str,
    entity_id: Uuid,
    kind: &str,
    payload: Value,
    scope: ScopeFacts,
) -> Mutation {
    Mutation {
        mutation_id: id,
        op_uuid: Uuid::now_v7(),
        entity: entity.into(),
        entity_id,
        kind: kind.into(),
        payload,
        base_version: None,
        hlc: tick(),
        user_id: user,
        // The version before this one's: head office takes it (N−1).
        schema_version: salesplan_core::sync::protocol::SCHEMA_VERSION - 1,
        scope,
    }
}

pub fn statuses(response: &PushResponse) -> Vec<String> {
    response
        .results
        .iter()
        .map(|result| {
            serde_json::to_value(&result.outcome).unwrap()["status"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_replayed_batch_gets_the_same_answers_and_a_gap_is_refused() {
    let company = Company::start().await;
    let laptop = Uuid::new_v4();
    let batch: Vec<Mutation> = (1..=3).map(|n| company.sale(n, company.salma, n)).collect();
    let first = company.pushed("salma", laptop, &batch).await;
    assert_eq!(statuses(&first), ["applied"; 3]);
    assert_eq!(first.last_mutation_id, 3);
    assert_eq!(company.changes().await, 3);

    // The answer was lost: the laptop sends the same batch again.
    let again = company.pushed("salma", laptop, &batch).await;
    assert_eq!(statuses(&again), statuses(&first));
    assert_eq!(again.last_mutation_id, first.last_mutation_id);
    // Each replayed answer carries its record as head office holds it now.
    for (answer, sent) in again.results.iter().zip(&batch) {
        assert_eq!(answer.op_uuid, sent.op_uuid);
        let current = answer
            .current
            .as_ref()
            .expect("a replay carries the record");
        assert_eq!(current["quantity"], sent.payload["quantity"]);
    }
    assert_eq!(company.changes().await, 3, "nothing applied twice");

    let skipped = company
        .push("salma", laptop, &[company.sale(5, company.salma, 5)])
        .await;
    assert_eq!(skipped.status(), 409);
    let gap: Value = skipped.json().await.unwrap();
    assert_eq!(gap["expected_mutation_id"], 4);
    let next = company
        .pushed("salma", laptop, &[company.sale(4, company.salma, 4)])
        .await;
    assert_eq!(next.last_mutation_id, 4);

    // The laptop is salma's: another user cannot push as it.
    let taken = company
        .push("nils", laptop, &[company.sale(5, company.nils, 1)])
        .await;
    assert_eq!(taken.status(), 403);
}

#[tokio::test]
async fn a_fact_is_only_ever_added() {
    let company = Company::start().await;
    let laptop = Uuid::new_v4();
    let first = company.sale(1, company.salma, 3);
    let id = first.entity_id;
    let mut changed = company.sale(2, company.salma, 30);
    (changed.entity_id, changed.kind) = (id, "updated".into());
    let mut again = company.sale(3, company.salma, 300);
    again.entity_id = id;
    again.payload["id"] = json!(id);
    let answers = company
        .pushed("salma", laptop, &[first, changed, again])
        .await;
    assert_eq!(statuses(&answers), ["applied", "rejected", "rejected"]);
    let reasons: Vec<String> = answers.results[1..]
        .iter()
        .map(|result| format!("{:?}", result.outcome))
        .collect();
    assert!(reasons[0].contains("only ever appended"), "{reasons:?}");
    assert!(reasons[0].contains("reversing entry"), "{reasons:?}");
    assert!(reasons[1].contains("already"), "{reasons:?}");
    let feed = company.pull("salma", 0, 100).await;
    let sold: Vec<&Value> = feed
        .changes
        .iter()
        .filter(|change| change.entity_id == id)
        .map(|change| &change.payload["quantity"])
        .collect();
    assert_eq!(
        sold,
        [&json!("3")],
        "the feed holds the sale once, as first posted"
    );
}

#[tokio::test]
async fn a_sale_and_a_stock_movement_never_share_an_id() {
    // Every laptop derives a sale's stock issue under the sale's id: a movement
    // under a sale's id (or a sale under a movement's) would break their ledgers.
    let company = Company::start().await;
    let sale = company.sale(1, company.salma, 3);
    let answers = company
        .pushed("salma", Uuid::new_v4(), std::slice::from_ref(&sale))
        .await;
    assert_eq!(statuses(&answers), ["applied"]);
    let bea = crate::user_id(&company.server, "bea").await;
    let movement = |n, id| {
        mutation(
            n,
            bea,
            "stock_movement",
            id,
            "appended",
            records::stock_movement(id, company.product, company.north, bea, 5),
            ScopeFacts {
                location_id: Some(company.north),
                ..ScopeFacts::default()
            },
        )
    };
    let own = Uuid::now_v7();
    let bea_laptop = Uuid::new_v4();
    let answers = company
        .pushed(
            "bea",
            bea_laptop,
            &[movement(1, sale.entity_id), movement(2, own)],
        )
        .await;
    assert_eq!(statuses(&answers), ["rejected", "applied"], "{answers:?}");
    assert!(
        format!("{:?}", answers.results[0].outcome)
            .contains("this id is taken at head office by actual sale"),
        "{answers:?}"
    );
    let mut twin = company.sale(1, company.salma, 4);
    twin.entity_id = own;
    twin.payload["id"] = json!(own);
    let answers = company.pushed("salma", Uuid::new_v4(), &[twin]).await;
    assert_eq!(statuses(&answers), ["rejected"]);
    assert!(
        format!("{:?}", answers.results[0].outcome)
            .contains("this id is taken at head office by stock movement"),
        "{answers:?}"
    );
}

#[tokio::test]
async fn head_office_checks_a_supplier_by_its_own_types_and_rights() {
    let company = Company::start().await;
    let olivia = crate::admin_id(&company.server).await;
    let supplier = |n, id, code, lead_time, by| {
        mutation(
            n,
            by,
            "supplier",
            id,
            "created",
            records::supplier(id, code, lead_time),
            ScopeFacts::default(),
        )
    };
    let (zero, year_and_a_day, good) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let answers = company
        .pushed(
            "olivia",
            Uuid::new_v4(),
            &[
                supplier(1, zero, "SUP-0", 0, olivia),
                supplier(2, year_and_a_day, "SUP-366", 366, olivia),
                supplier(3, good, "SUP-OK", 14, olivia),
            ],
        )
        .await;
    assert_eq!(
        statuses(&answers),
        ["rejected", "rejected", "applied"],
        "{answers:?}"
    );
    for refused in &answers.results[..2] {
        let reason = format!("{:?}", refused.outcome);
        assert!(
            reason.contains("lead_time_days") && reason.contains("must be from 1 to 365"),
            "{reason}"
        );
    }
    let line = |n, id, pack| {
        mutation(
            n,
            olivia,
            "supplier_product",
            id,
            "created",
            records::supplier_product(id, good, company.product, pack),
            ScopeFacts::default(),
        )
    };
    let (empty_pack, line_id) = (Uuid::now_v7(), Uuid::now_v7());
    let answers = company
        .pushed(
            "olivia",
            Uuid::new_v4(),
            &[line(1, empty_pack, "0"), line(2, line_id, "12")],
        )
        .await;
    assert_eq!(statuses(&answers), ["rejected", "applied"], "{answers:?}");
    let reason = format!("{:?}", answers.results[0].outcome);
    assert!(
        reason.contains("pack_size") && reason.contains("must be more than 0"),
        "{reason}"
    );
    // Cost prices are for those who buy: a salesman is not sent them.
    let feed = company.pull("salma", 0, 100).await;
    assert!(
        feed.changes
            .iter()
            .all(|change| change.entity != "supplier_product"),
        "{:?}",
        feed.changes
    );
    let mut edit = supplier(1, good, "SUP-OK", 20, company.salma);
    edit.kind = "updated".into();
    edit.payload = json!({ "lead_time_days": 20 });
    let answers = company.pushed("salma", Uuid::new_v4(), &[edit]).await;
    assert_eq!(statuses(&answers), ["rejected"]);
    assert!(
        format!("{:?}", answers.results[0].outcome)
            .contains("Maintaining suppliers is not allowed"),
        "{answers:?}"
    );
}

#[tokio::test]
async fn head_office_checks_a_stock_policy_override_and_sends_it_to_its_branch() {
    let company = Company::start().await;
    let olivia = crate::admin_id(&company.server).await;
    let bea = crate::user_id(&company.server, "bea").await;
    let over = |n, id, reorder_point, reason, by| {
        mutation(
            n,
            by,
            "stock_policy_override",
            id,
            "created",
            records::stock_policy_override(
                id,
                company.north,
                company.product,
                reorder_point,
                reason,
                by,
            ),
            ScopeFacts {
                location_id: Some(company.north),
                ..ScopeFacts::default()
            },
        )
    };
    let (negative, nothing, blank, good) = (
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
    );
    let answers = company
        .pushed(
            "olivia",
            Uuid::new_v4(),
            &[
                over(1, negative, Some("-5"), "promotion", olivia),
                over(2, nothing, None, "promotion", olivia),
                over(3, blank, Some("40"), " ", olivia),
                over(4, good, Some("40"), "promotion", olivia),
            ],
        )
        .await;
    assert_eq!(
        statuses(&answers),
        ["rejected", "rejected", "rejected", "applied"],
        "{answers:?}"
    );
    let reasons: Vec<String> = answers.results[..3]
        .iter()
        .map(|refused| format!("{:?}", refused.outcome))
        .collect();
    assert!(
        reasons[0].contains("reorder_point") && reasons[0].contains("negative"),
        "{}",
        reasons[0]
    );
    assert!(
        reasons[1].contains("a reorder point, an order quantity or both"),
        "{}",
        reasons[1]
    );
    assert!(reasons[2].contains("reason"), "{}", reasons[2]);
    // The branch's manager receives it (she sees her branch's stock); a salesman does not.
    let feed = company.pull("bea", 0, 100).await;
    assert!(
        feed.changes
            .iter()
            .any(|change| change.entity == "stock_policy_override"),
        "{:?}",
        feed.changes
    );
    let feed = company.pull("salma", 0, 100).await;
    assert!(
        feed.changes
            .iter()
            .all(|change| change.entity != "stock_policy_override")
    );
    // Only Supply Chain and administrators override: not the branch's manager.
    let mut edit = over(1, good, Some("60"), "more", bea);
    edit.kind = "updated".into();
    edit.payload = json!({ "reorder_point": "60" });
    let answers = company.pushed("bea", Uuid::new_v4(), &[edit]).await;
    assert_eq!(statuses(&answers), ["rejected"]);
    assert!(
        format!("{:?}", answers.results[0].outcome)
            .contains("Overriding stock policies is not allowed"),
        "{answers:?}"
    );
}

#[tokio::test]
async fn bad_batches_are_refused_whole_with_a_reason() {
    let company = Company::start().await;
    let laptop = Uuid::new_v4();
    let good = company.sale(1, company.salma, 1);

    let unknown = Mutation {
        entity: "spaceship".into(),
        ..good.clone()
    };
    assert_eq!(
        error_of(
            company
                .push(
                    "salma",
                    laptop,
                    &[
                        good.clone(),
                        Mutation {
                            mutation_id: 2,
                            ..unknown
                        }
                    ]
                )
                .await
        )
        .await,
        (400, "mutation 2: unknown entity 'spaceship'".into())
    );
    let forged = Mutation {
        user_id: company.nils,
        ..good.clone()
    };
    let (status, reason) = error_of(company.push("salma", laptop, &[forged]).await).await;
    assert_eq!(status, 403);
    assert!(
        reason.starts_with(&format!("mutation 1 names user {}", company.nils)),
        "{reason}"
    );
    let ahead = Mutation {
        hlc: format!("{}-0-{}", now_ms() + 2 * 3_600_000, Uuid::nil()),
        ..good.clone()
    };
    let (status, reason) = error_of(company.push("salma", laptop, &[ahead]).await).await;
    assert_eq!(status, 400);
    assert!(reason.contains("minutes ahead of the server's"), "{reason}");
    let many: Vec<Mutation> = (1..=1001)
        .map(|n| company.sale(n, company.salma, 1))
        .collect();
    assert_eq!(company.push("salma", laptop, &many).await.status(), 413);
    assert_eq!(
        company.changes().await,
        0,
        "nothing of a refused batch was applied"
    );

    let token = company.server.token("salma").await;
    let stale_epoch = company
        .server
        .http
        .post(company.server.url("/sync/push"))
        .bearer_auth(token)
        .json(&json!({ "client_id": laptop, "epoch": Uuid::new_v4(), "mutations": [good] }))
        .send()
        .await
        .unwrap();
    let (status, reason) = error_of(stale_epoch).await;
    assert_eq!(status, 410);
    assert!(reason.contains("restored from a backup"), "{reason}");
}

#[tokio::test]
async fn each_side_of_a_change_is_checked_against_the_users_scope() {
    let company = Company::start().await;
    let (laptop, budget) = (Uuid::new_v4(), Uuid::now_v7());
    let year = salesplan_core::month::Month::current().year() + 1;
    let own = mutation(
        1,
        company.salma,
        "budget",
        budget,
        "created",
        records::budget(budget, company.salma, company.account(company.salma), year),
        company.scope(company.salma),
    );
    let other = Uuid::now_v7();
    let theirs = mutation(
        2,
        company.salma,
        "budget",
        other,
        "created",
        records::budget(other, company.nils, company.account(company.nils), year),
        company.scope(company.nils),
    );
    // Moving her own budget into a colleague's scope.
    let moved = mutation(
        3,
        company.salma,
        "budget",
        budget,
        "updated",
        json!({ "salesman_id": company.nils }),
        company.scope(company.nils),
    );
    let sku = Uuid::now_v7();
    let product = mutation(
        4,
        company.salma,
        "product",
        sku,
        "created",
        records::product(sku, company.category, "X-1"),
        ScopeFacts::default(),
    );
    let user = mutation(
        5,
        company.salma,
        "user",
        company.salma,
        "updated",
        json!({ "display_name": "S" }),
        company.scope(company.salma),
    );
    let answer = company
        .pushed(
            "salma",
            laptop,
            &[
                own,
                theirs,
                moved,
                product,
                user,
                company.sale(6, company.salma, 2),
            ],
        )
        .await;
    assert_eq!(
        statuses(&answer),
        [
            "applied", "rejected", "rejected", "rejected", "rejected", "applied"
        ]
    );
    let reason = |at: usize| {
        serde_json::to_value(&answer.results[at].outcome).unwrap()["reason"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        reason(1),
        "Building and submitting budgets is not allowed for a Salesman outside their own records; it needs the role Administrator or Salesman or Manager or Branch Manager"
    );
    assert!(
        reason(2).contains("outside their own records"),
        "{}",
        reason(2)
    );
    assert!(
        reason(3).contains("Changing reference data is not allowed for a Salesman"),
        "{}",
        reason(3)
    );
    assert_eq!(
        reason(4),
        "users are managed at head office, not from a laptop"
    );

    // Pull: the branch manager of north sees salma's sale and budget; stan (south) sees neither.
    let bea = company.pull("bea", 0, 100).await;
    assert_eq!(bea.changes.len(), 2);
    assert_eq!(company.pull("stan", 0, 100).await.changes.len(), 0);
    let stan_sale = company
        .pushed("stan", Uuid::new_v4(), &[company.sale(1, company.stan, 9)])
        .await;
    assert_eq!(statuses(&stan_sale), ["applied"]);
    assert_eq!(
        company.pull("bea", bea.cursor, 100).await.changes.len(),
        0,
        "nothing of south"
    );
    let sku = Uuid::now_v7();
    let reference = mutation(
        1,
        Uuid::nil(),
        "product",
        sku,
        "created",
        records::product(sku, company.category, "BEV-900"),
        ScopeFacts::default(),
    );
    let olivia = crate::admin_id(&company.server).await;
    let pushed = company
        .pushed(
            "olivia",
            Uuid::new_v4(),
            &[Mutation {
                user_id: olivia,
                ..reference
            }],
        )
        .await;
    assert_eq!(statuses(&pushed), ["applied"]);
    let stan = company.pull("stan", 0, 100).await;
    assert_eq!(
        stan.changes
            .iter()
            .map(|c| c.entity.as_str())
            .collect::<Vec<_>>(),
        ["actual_sale", "product"]
    );
}

#[tokio::test]
async fn the_budget_workflow_holds_at_head_office() {
    let company = Company::start().await;
    let (laptop, budget, line) = (Uuid::new_v4(), Uuid::now_v7(), Uuid::now_v7());
    let scope = company.scope(company.salma);
    let batch = [
        mutation(
            1,
            company.salma,
            "budget",
            budget,
            "created",
            records::budget(
                budget,
                company.salma,
                company.account(company.salma),
                salesplan_core::month::Month::current().year() + 1,
            ),
            scope,
        ),
        mutation(
            2,
            company.salma,
            "budget_line",
            line,
            "created",
            records::budget_line(line, budget, company.product, &this_month(), 10),
            scope,
        ),
        mutation(
            3,
            company.salma,
            "budget",
            budget,
            "transitioned",
            json!({ "from": "draft", "to": "submitted", "comment": "" }),
            scope,
        ),
        mutation(
            4,
            company.salma,
            "budget",
            budget,
            "transitioned",
            json!({ "from": "submitted", "to": "approved", "comment": "" }),
            scope,
        ),
    ];
    let answer = company.pushed("salma", laptop, &batch).await;
    assert_eq!(
        statuses(&answer),
        ["applied", "applied", "applied", "rejected"],
        "a salesman does not approve"
    );

    let mona = crate::user_id(&company.server, "mona").await;
    let approve = mutation(
        1,
        mona,
        "budget",
        budget,
        "transitioned",
        json!({ "from": "submitted", "to": "approved", "comment": "fine" }),
        scope,
    );
    assert_eq!(
        statuses(
            &company
                .pushed("mona", Uuid::new_v4(), std::slice::from_ref(&approve))
                .await
        ),
        ["applied"]
    );
    // The same step again (from a stale laptop) no longer applies.
    let again = company
        .pushed(
            "mona",
            Uuid::new_v4(),
            &[Mutation {
                op_uuid: Uuid::now_v7(),
                ..approve
            }],
        )
        .await;
    assert_eq!(statuses(&again), ["rejected"]);

    let edit = mutation(
        5,
        company.salma,
        "budget_line",
        line,
        "updated",
        json!({ "quantity": "12" }),
        scope,
    );
    let refused = company.pushed("salma", laptop, &[edit]).await;
    assert_eq!(
        serde_json::to_value(&refused.results[0].outcome).unwrap()["reason"],
        "the budget is approved at head office: its lines change only while it is a draft or rejected"
    );
}

#[tokio::test]
async fn plain_fields_merge_last_writer_wins_whatever_the_arrival_order() {
    let company = Company::start().await;
    let olivia = crate::admin_id(&company.server).await;
    let product = Uuid::now_v7();
    let at = |ms: i64, client: Uuid| format!("{ms}-0-{client}");
    let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
    let created = Mutation {
        hlc: at(1_000, a),
        ..mutation(
            1,
            olivia,
            "product",
            product,
            "created",
            records::product(product, company.category, "WATER"),
            ScopeFacts::default(),
        )
    };
    company.pushed("olivia", a, &[created]).await;
    // Laptop b renamed it at t=3000, laptop a changed the name and price at t=2000; b's push arrives first.
    let later = Mutation {
        hlc: at(3_000, b),
        ..mutation(
            1,
            olivia,
            "product",
            product,
            "updated",
            json!({ "name": "Sparkling Water" }),
            ScopeFacts::default(),
        )
    };
    let earlier = Mutation {
        hlc: at(2_000, a),
        ..mutation(
            2,
            olivia,
            "product",
            product,
            "updated",
            json!({ "name": "Still Water", "list_price": "1.09" }),
            ScopeFacts::default(),
        )
    };
    company.pushed("olivia", b, &[later]).await;
    company.pushed("olivia", a, &[earlier]).await;
    let feed = company.pull("nils", 0, 100).await;
    let last = &feed.changes.last().unwrap().payload;
    assert_eq!(
        last["name"], "Sparkling Water",
        "the later edit keeps the name"
    );
    assert_eq!(last["list_price"], "1.09", "the price had no later edit");
}

#[tokio::test]
async fn pulls_come_in_pages_after_a_cursor() {
    let company = Company::start().await;
    let laptop = Uuid::new_v4();
    let batch: Vec<Mutation> = (1..=25)
        .map(|n| company.sale(n, company.salma, n))
        .collect();
    company.pushed("salma", laptop, &batch).await;
    let mut cursor = 0;
    let mut seen = Vec::new();
    loop {
        let page = company.pull("salma", cursor, 10).await;
        assert!(page.changes.len() <= 10);
        seen.extend(page.changes.iter().map(|c| {
            c.payload["quantity"]
                .as_str()
                .unwrap()
                .parse::<i64>()
                .unwrap()
        }));
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(seen, (1..=25).collect::<Vec<_>>());
    assert!(company.pull("salma", cursor, 10).await.changes.is_empty());
}

#[tokio::test]
async fn a_client_one_version_behind_still_syncs_and_an_older_one_is_told_to_upgrade() {
    use salesplan_core::sync::protocol::SCHEMA_VERSION;
    let company = Company::start().await;
    let laptop = Uuid::new_v4();
    let behind = Mutation {
        schema_version: SCHEMA_VERSION - 1,
        ..company.sale(1, company.salma, 2)
    };
    let answer = company.pushed("salma", laptop, &[behind]).await;
    assert_eq!(statuses(&answer), ["applied"]);

    let too_old = Mutation {
        schema_version: SCHEMA_VERSION - 2,
        ..company.sale(2, company.salma, 3)
    };
    let refused = company.push("salma", laptop, &[too_old]).await;
    assert_eq!(refused.status(), 426);
    let body: Value = refused.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("update"), "{body}");
    assert_eq!(
        company.changes().await,
        1,
        "nothing of the old client applied"
    );
}

/// Issue #14: a purchase order is a state machine head office holds. Each
/// step and each receipt is decided against the order as head office has it,
/// by the domain's rules, whatever the laptop says.
#[tokio::test]
async fn head_office_decides_each_purchase_order_step_and_receipt_against_the_order_it_holds() {
    let company = Company::start().await;
    let olivia = crate::admin_id(&company.server).await;
    let bea = crate::user_id(&company.server, "bea").await;
    let north = ScopeFacts {
        location_id: Some(company.north),
        ..ScopeFacts::default()
    };
    let push = |n, by, entity: &str, id, kind: &str, payload| {
        let scope = if entity == "supplier" {
            ScopeFacts::default()
        } else {
            north
        };
        mutation(n, by, entity, id, kind, payload, scope)
    };
    let [supplier, kept, dropped, kept_line, dropped_line] = [(); 5].map(|_| Uuid::now_v7());
    let item = (company.product, company.north);
    let order = |id, status| records::purchase_order(id, supplier, company.north, status, olivia);
    let line = |id, order| records::purchase_order_line(id, order, company.product, 10);
    let receipt = |n, quantity, line, note: &str| {
        let id = Uuid::now_v7();
        let fields = records::receipt(id, item, line, bea, quantity, note);
        push(n, bea, "stock_movement", id, "appended", fields)
    };
    let step =
        |n, by, id, fields: serde_json::Value| push(n, by, "purchase_order", id, "updated", fields);
    let reasons = |answers: &PushResponse| -> Vec<String> {
        answers
            .results
            .iter()
            .filter_map(|answer| match &answer.outcome {
                Outcome::Rejected { reason } => Some(reason.clone()),
                _ => None,
            })
            .collect()
    };
    let answers = company
        .pushed(
            "olivia",
            Uuid::new_v4(),
            &[
                push(
                    1,
                    olivia,
                    "supplier",
                    supplier,
                    "created",
                    records::supplier(supplier, "SUP-1", 10),
                ),
                push(
                    2,
                    olivia,
                    "purchase_order",
                    kept,
                    "created",
                    order(kept, "sent"),
                ),
                push(
                    3,
                    olivia,
                    "purchase_order",
                    kept,
                    "created",
                    order(kept, "draft"),
                ),
                push(
                    4,
                    olivia,
                    "purchase_order_line",
                    kept_line,
                    "created",
                    line(kept_line, kept),
                ),
                push(
                    5,
                    olivia,
                    "purchase_order",
                    dropped,
                    "created",
                    order(dropped, "draft"),
                ),
                push(
                    6,
                    olivia,
                    "purchase_order_line",
                    dropped_line,
                    "created",
                    line(dropped_line, dropped),
                ),
            ],
        )
        .await;
    assert_eq!(
        statuses(&answers),
        [
            "applied", "rejected", "applied", "applied", "applied", "applied"
        ],
        "{answers:?}"
    );
    let refused = reasons(&answers);
    assert!(refused[0].contains("starts as a draft"), "{}", refused[0]);
    // Sent by Supply Chain under someone else's name: refused (an administrator
    // vouches for the people on the ledger she syncs; nobody else does).
    let sue = company
        .server
        .add_user("sue", salesplan_core::Role::SupplyChain, None, None)
        .await;
    let answers = company
        .pushed(
            "sue",
            Uuid::new_v4(),
            &[step(
                1,
                sue,
                kept,
                serde_json::json!({ "status": "sent", "sent_by": bea, "sent_at": records::AT }),
            )],
        )
        .await;
    assert_eq!(statuses(&answers), ["rejected"], "{answers:?}");
    assert!(reasons(&answers)[0].starts_with("sent_by"), "{answers:?}");
    let answers = company
        .pushed(
            "olivia",
            Uuid::new_v4(),
            &[
                step(1, olivia, kept, serde_json::json!({ "status": "sent", "sent_by": olivia, "sent_at": records::AT })),
                // A sent order's line keeps its quantity; its expected date moves.
                push(2, olivia, "purchase_order_line", kept_line, "updated", serde_json::json!({ "quantity": "20" })),
                push(3, olivia, "purchase_order_line", kept_line, "updated", serde_json::json!({ "expected_on": "2027-01-15" })),
                step(4, olivia, dropped, serde_json::json!({ "status": "sent", "sent_by": olivia, "sent_at": records::AT })),
                step(5, olivia, dropped, serde_json::json!({ "status": "cancelled", "cancelled_by": olivia, "cancelled_at": records::AT, "cancel_reason": "" })),
                step(6, olivia, dropped, serde_json::json!({ "status": "cancelled", "cancelled_by": olivia, "cancelled_at": records::AT, "cancel_reason": "the supplier closed" })),
                step(7, olivia, dropped, serde_json::json!({ "status": "draft" })),
            ],
        )
        .await;
    assert_eq!(
        statuses(&answers),
        [
            "applied", "rejected", "applied", "applied", "rejected", "applied", "rejected"
        ],
        "{answers:?}"
    );
    let refused = reasons(&answers);
    assert!(
        refused[0].starts_with("quantity") && refused[0].contains("only the expected date"),
        "{}",
        refused[0]
    );
    assert!(refused[1].starts_with("reason"), "{}", refused[1]);
    assert!(
        refused[2].contains("does not go from cancelled to draft"),
        "{}",
        refused[2]
    );

    // A step sets nothing but its own fields; the steps' fields change only by
    // a step; ids are written one way.
    let other = Uuid::now_v7();
    let mut shouted = line(Uuid::now_v7(), kept);
    shouted["order_id"] = json!(kept.to_string().to_uppercase());
    let answers = company
        .pushed(
            "olivia",
            Uuid::new_v4(),
            &[
                push(1, olivia, "supplier", other, "created", records::supplier(other, "SUP-2", 5)),
                step(
                    2,
                    olivia,
                    kept,
                    json!({ "status": "cancelled", "cancelled_by": olivia, "cancelled_at": records::AT,
                            "cancel_reason": "moved", "supplier_id": other }),
                ),
                step(3, olivia, kept, json!({ "sent_by": bea })),
                push(4, olivia, "purchase_order_line", shouted["id"].as_str().unwrap().parse().unwrap(), "created", shouted),
            ],
        )
        .await;
    assert_eq!(
        statuses(&answers),
        ["applied", "rejected", "rejected", "rejected"],
        "{answers:?}"
    );
    let refused = reasons(&answers);
    assert!(
        refused[0].starts_with("supplier_id: a step (cancel) sets its status"),
        "{}",
        refused[0]
    );
    assert!(
        refused[1].starts_with("sent_by: set only by the order's steps"),
        "{}",
        refused[1]
    );
    assert!(
        refused[2].starts_with("order_id: an id is written in lowercase"),
        "{}",
        refused[2]
    );

    // The branch's manager receives: in parts, within the tolerance, and nothing of a cancelled order.
    let hers = Uuid::now_v7();
    let answers = company
        .pushed(
            "bea",
            Uuid::new_v4(),
            &[
                receipt(1, 6, kept_line, ""),
                receipt(2, 6, kept_line, ""),
                receipt(3, 6, kept_line, "a whole pallet came"),
                receipt(4, 1, kept_line, "and one more"),
                receipt(5, 1, dropped_line, ""),
                push(
                    6,
                    bea,
                    "purchase_order",
                    hers,
                    "created",
                    order(hers, "draft"),
                ),
            ],
        )
        .await;
    assert_eq!(
        statuses(&answers),
        [
            "applied", "rejected", "applied", "rejected", "rejected", "rejected"
        ],
        "{answers:?}"
    );
    let refused = reasons(&answers);
    assert!(
        refused[0].contains("12 received of 10 ordered")
            && refused[0].contains("confirm with a reason"),
        "{}",
        refused[0]
    );
    assert!(
        refused[1].contains("the order is received: nothing more"),
        "{}",
        refused[1]
    );
    assert!(
        refused[2].contains("the order is cancelled")
            && refused[2].contains("(cancelled: the supplier closed)"),
        "{}",
        refused[2]
    );
    assert!(
        refused[3].contains("Ordering from suppliers is not allowed"),
        "{}",
        refused[3]
    );
}
