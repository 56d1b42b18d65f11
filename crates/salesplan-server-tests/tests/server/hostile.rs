//! Changes the laptop app would never make, pushed by hand under a real
//! user's token: each is refused with a reason that names what is wrong, and
//! head office holds nothing that its own rules would not accept.

use crate::adversary::head_office_holds_only_valid_records;
use crate::records;
use crate::sync::{Company, mutation, statuses, this_month};
use salesplan_core::month::Month;
use salesplan_core::sync::protocol::{Mutation, PushResponse, ScopeFacts};
use salesplan_domain::changes;
use serde_json::{Value, json};
use uuid::Uuid;

fn reasons(answer: &PushResponse) -> Vec<String> {
    answer
        .results
        .iter()
        .map(|result| {
            serde_json::to_value(&result.outcome).unwrap()["reason"]
                .as_str()
                .unwrap_or("(applied)")
                .to_owned()
        })
        .collect()
}

/// Every change head office's feed holds parses and passes the domain's rules.
async fn feed_is_clean(company: &Company) {
    let feed = company.pull("olivia", 0, 5_000).await;
    for change in &feed.changes {
        let entity = salesplan_core::ledger::Entity::parse(&change.entity).unwrap();
        let kind = salesplan_core::ledger::ChangeKind::parse(&change.kind).unwrap();
        if let Err(refusal) = changes::parse(entity, kind, change.entity_id, &change.payload) {
            // An update's feed row carries the fields that won: each must still parse.
            panic!("head office holds a change its rules refuse: {refusal}: {change:?}");
        }
    }
}

#[tokio::test]
async fn every_kind_of_forged_change_is_refused_with_its_reason() {
    let company = Company::start().await;
    let (salma, laptop) = (company.salma, Uuid::new_v4());
    let scope = company.scope(salma);
    let year = Month::current().year() + 1;
    let (budget, line) = (Uuid::now_v7(), Uuid::now_v7());
    let honest = [
        mutation(
            1,
            salma,
            "budget",
            budget,
            "created",
            records::budget(budget, salma, company.account(salma), year),
            scope,
        ),
        mutation(
            2,
            salma,
            "budget_line",
            line,
            "created",
            records::budget_line(line, budget, company.product, &this_month(), 10),
            scope,
        ),
    ];
    assert_eq!(
        statuses(&company.pushed("salma", laptop, &honest).await),
        ["applied"; 2]
    );

    let mut n = 2;
    let mut next = |entity: &str, id: Uuid, kind: &str, payload: Value, scope: ScopeFacts| {
        n += 1;
        mutation(n, salma, entity, id, kind, payload, scope)
    };
    let status = |to: Value| json!({ "status": to });
    let line_with = |field: &str, value: Value| {
        let id = Uuid::now_v7();
        let mut payload = records::budget_line(id, budget, company.product, &this_month(), 5);
        payload[field] = value;
        (id, payload)
    };
    let sale_with = |change: &dyn Fn(&mut Value)| {
        let id = Uuid::now_v7();
        let mut payload =
            records::sale(id, company.product, company.north, salma, &this_month(), 2);
        change(&mut payload);
        (id, payload)
    };
    let step = |from: &str, to: &str| json!({ "from": from, "to": to, "comment": "" });
    let nul = json!(format!("Base\u{0}"));
    let (q_abc, q_abc_payload) = line_with("quantity", json!("abc"));
    let (nested, nested_payload) = line_with("amount", json!({ "value": { "deep": 1 } }));
    let (month13, month13_payload) = line_with("period", json!("2026-13"));
    let (unknown, unknown_payload) = line_with("discount", json!("5"));
    let (other_salesman, other_salesman_payload) =
        sale_with(&|sale| sale["salesman_id"] = json!(company.nils));
    let (ghost, ghost_payload) = sale_with(&|sale| sale["product_id"] = json!(Uuid::now_v7()));
    let (huge, huge_payload) = sale_with(&|sale| sale["quantity"] = json!("1e30"));
    let (float, float_payload) = sale_with(&|sale| sale["quantity"] = json!(1e30));
    let (negative_price, negative_price_payload) =
        sale_with(&|sale| sale["unit_price"] = json!("-5"));
    let cases: Vec<(Mutation, &str)> = vec![
        (
            next(
                "budget",
                budget,
                "updated",
                status(json!("finished")),
                scope,
            ),
            "status: unknown variant `finished`",
        ),
        (
            next("budget", budget, "updated", status(json!("\u{0}")), scope),
            "status: unknown variant `\\u{0}`",
        ),
        (
            next(
                "budget",
                budget,
                "updated",
                status(json!("Approved")),
                scope,
            ),
            "status: unknown variant `Approved`",
        ),
        (
            next(
                "budget",
                budget,
                "updated",
                status(json!("approved")),
                scope,
            ),
            "status: changes only by a workflow step",
        ),
        (
            next(
                "budget",
                budget,
                "updated",
                status(json!("x".repeat(10_000))),
                scope,
            ),
            "status: unknown variant",
        ),
        (
            next(
                "budget",
                budget,
                "transitioned",
                step("draft", "approved"),
                scope,
            ),
            "to: a budget does not go from draft to approved",
        ),
        (
            next(
                "budget",
                budget,
                "transitioned",
                step("draft", "locked"),
                scope,
            ),
            "to: a budget does not go from draft to locked",
        ),
        (
            next(
                "budget",
                budget,
                "updated",
                json!({ "scenario": nul }),
                scope,
            ),
            "scenario: must not contain the control character \\u{0}",
        ),
        (
            next(
                "budget",
                budget,
                "updated",
                json!({ "department_id": company.wholesale, "location_id": company.south }),
                ScopeFacts {
                    department_id: Some(company.wholesale),
                    location_id: Some(company.south),
                    ..scope
                },
            ),
            "moving a record to another owner, department or branch",
        ),
        (
            next(
                "budget",
                budget,
                "updated",
                json!({ "salesman_id": company.nils }),
                company.scope(company.nils),
            ),
            "outside their own records",
        ),
        (
            next("budget_line", q_abc, "created", q_abc_payload, scope),
            "quantity: 'abc' is not a decimal",
        ),
        (
            next("budget_line", nested, "created", nested_payload, scope),
            "amount: invalid type: map",
        ),
        (
            next("budget_line", month13, "created", month13_payload, scope),
            "period: '2026-13' is not a month",
        ),
        (
            next("budget_line", unknown, "created", unknown_payload, scope),
            "discount: unknown field `discount`",
        ),
        (
            next(
                "budget_line",
                line,
                "updated",
                json!({ "budget_id": Uuid::now_v7() }),
                scope,
            ),
            "budget_id: cannot change",
        ),
        (
            next(
                "actual_sale",
                other_salesman,
                "appended",
                other_salesman_payload,
                scope,
            ),
            "the change declares owner",
        ),
        (
            next("actual_sale", ghost, "appended", ghost_payload, scope),
            "product_id: head office holds no product",
        ),
        (
            next("actual_sale", huge, "appended", huge_payload, scope),
            "quantity: '1e30' is not a decimal",
        ),
        (
            next("actual_sale", float, "appended", float_payload, scope),
            "quantity: invalid type: floating point",
        ),
        (
            next(
                "actual_sale",
                negative_price,
                "appended",
                negative_price_payload,
                scope,
            ),
            "unit_price: must not be negative",
        ),
        (
            next("user", salma, "updated", json!({ "role": 1 }), scope),
            "users are managed at head office",
        ),
        (
            next("alert", Uuid::now_v7(), "created", json!({}), scope),
            "stays on the laptop",
        ),
        (
            next(
                "product",
                company.product,
                "archived",
                json!({}),
                ScopeFacts::default(),
            ),
            "a laptop does not send 'archived' changes",
        ),
    ];
    let (forged, expected): (Vec<Mutation>, Vec<&str>) = cases.into_iter().unzip();
    let answer = company.pushed("salma", laptop, &forged).await;
    for ((reason, expected), sent) in reasons(&answer).iter().zip(&expected).zip(&forged) {
        assert!(
            reason.contains(expected),
            "{} {}: expected '{expected}', got '{reason}'",
            sent.entity,
            sent.kind
        );
        assert!(
            reason.len() < 400,
            "a reason stays short: {} bytes",
            reason.len()
        );
    }
    assert_eq!(
        statuses(&answer),
        vec!["rejected"; forged.len()],
        "{:?}",
        reasons(&answer)
    );
    feed_is_clean(&company).await;
}

#[tokio::test]
async fn a_manager_takes_only_the_steps_the_workflow_has_and_facts_stay_out_of_closed_months() {
    let company = Company::start().await;
    let salma = company.salma;
    let scope = company.scope(salma);
    let budget = Uuid::now_v7();
    let created = mutation(
        1,
        salma,
        "budget",
        budget,
        "created",
        records::budget(
            budget,
            salma,
            company.account(salma),
            Month::current().year() + 1,
        ),
        scope,
    );
    assert_eq!(
        statuses(&company.pushed("salma", Uuid::new_v4(), &[created]).await),
        ["applied"]
    );

    let mona = crate::user_id(&company.server, "mona").await;
    let step = |n, from: &str, to: &str| {
        mutation(
            n,
            mona,
            "budget",
            budget,
            "transitioned",
            json!({ "from": from, "to": to, "comment": "" }),
            scope,
        )
    };
    let answer = company
        .pushed(
            "mona",
            Uuid::new_v4(),
            &[
                step(1, "draft", "approved"),
                step(2, "draft", "locked"),
                step(3, "submitted", "approved"),
            ],
        )
        .await;
    assert_eq!(statuses(&answer), ["rejected"; 3]);
    let why = reasons(&answer);
    assert!(
        why[2].contains("the budget is draft here, not submitted"),
        "{why:?}"
    );

    // Head office closes last month; a sale made after that, dated in it, is refused;
    // one made before the close (a laptop that was offline) is taken.
    let last_month = Month::current().plus(-1).to_string();
    let olivia = crate::admin_id(&company.server).await;
    let (early_id, late_id) = (Uuid::now_v7(), Uuid::now_v7());
    let early = mutation(
        1,
        salma,
        "actual_sale",
        early_id,
        "appended",
        records::sale(
            early_id,
            company.product,
            company.north,
            salma,
            &last_month,
            4,
        ),
        scope,
    );
    let close = mutation(
        1,
        olivia,
        "closed_month",
        Uuid::now_v7(),
        "created",
        records::closed_month(&last_month, olivia),
        ScopeFacts::default(),
    );
    assert_eq!(
        statuses(&company.pushed("olivia", Uuid::new_v4(), &[close]).await),
        ["applied"]
    );
    let late = mutation(
        2,
        salma,
        "actual_sale",
        late_id,
        "appended",
        records::sale(
            late_id,
            company.product,
            company.north,
            salma,
            &last_month,
            4,
        ),
        scope,
    );
    let answer = company
        .pushed("salma", Uuid::new_v4(), &[early, late])
        .await;
    assert_eq!(
        statuses(&answer),
        ["applied", "rejected"],
        "{:?}",
        reasons(&answer)
    );
    assert!(
        reasons(&answer)[1].contains(&format!("period: {last_month} is closed at head office"))
    );
    feed_is_clean(&company).await;
}

/// Mutation ids at the top of i64 are refused with a reason, not by a
/// dropped connection.
#[tokio::test]
async fn mutation_ids_at_the_edge_of_their_range_are_refused_with_a_reason() {
    let company = Company::start().await;
    let laptop = Uuid::new_v4();
    let at = |id: i64| Mutation {
        mutation_id: id,
        ..company.sale(1, company.salma, 1)
    };
    let (status, reason) =
        crate::error_of(company.push("salma", laptop, &[at(i64::MAX), at(1)]).await).await;
    assert_eq!(status, 400);
    assert!(reason.contains("must follow one another"), "{reason}");
    let (status, reason) = crate::error_of(company.push("salma", laptop, &[at(0)]).await).await;
    assert_eq!(
        (status, reason.as_str()),
        (400, "mutation ids count from 1; this one is 0")
    );
    assert_eq!(
        company
            .push("salma", laptop, &[at(i64::MAX)])
            .await
            .status(),
        409
    );
    assert_eq!(
        statuses(&company.pushed("salma", laptop, &[at(1)]).await),
        ["applied"]
    );
}

/// A database that took bad changes before head office checked them: verify
/// lists each (the field and the rule), `--quarantine` moves them aside, and
/// what stays passes.
#[tokio::test]
async fn verify_finds_what_an_older_head_office_took_and_quarantines_it() {
    let company = Company::start().await;
    let client = company.server.pool.get().await.unwrap();
    let (budget, sale) = (Uuid::now_v7(), Uuid::now_v7());
    let mut bad_budget =
        records::budget(budget, company.salma, company.account(company.salma), 2027);
    bad_budget["status"] = json!("finished");
    client
        .execute(
            "INSERT INTO entities (entity, entity_id, owner_id, fields, clocks, version) VALUES ('budget', $1, $2, $3, '{}', 1)",
            &[&budget, &company.salma, &bad_budget],
        )
        .await
        .unwrap();
    let mut bad_sale = records::sale(
        sale,
        company.product,
        company.north,
        company.salma,
        &this_month(),
        1,
    );
    bad_sale["quantity"] = json!("1e30");
    client
        .execute(
            "INSERT INTO changes (entity, entity_id, kind, payload, hlc, client_id, op_uuid, user_id, view_action)
             VALUES ('actual_sale', $1, 'appended', $2::jsonb::json, '1-0-x', $3, $4, $5, 'view_actuals')",
            &[&sale, &bad_sale, &Uuid::new_v4(), &Uuid::now_v7(), &company.salma],
        )
        .await
        .unwrap();
    let findings = salesplan_server::verify::verify(&company.server.pool, false)
        .await
        .unwrap();
    let found: Vec<(&str, Uuid, &str)> = findings
        .iter()
        .map(|finding| (finding.source, finding.entity_id, finding.reason.as_str()))
        .collect();
    assert_eq!(found.len(), 2, "{findings:?}");
    assert!(found.contains(&("record", budget, "status: unknown variant `finished`, expected one of `draft`, `submitted`, `approved`, `rejected`, `locked`")), "{found:?}");
    assert!(
        found.iter().any(|(source, id, reason)| *source == "fact"
            && *id == sale
            && reason.starts_with("quantity: '1e30' is not a decimal")),
        "{found:?}"
    );

    let moved = salesplan_server::verify::verify(&company.server.pool, true)
        .await
        .unwrap();
    assert_eq!(moved.len(), 2);
    let quarantined: i64 = client
        .query_one("SELECT count(*) FROM quarantine", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(quarantined, 2);
    assert!(
        salesplan_server::verify::verify(&company.server.pool, false)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        company.pull("salma", 0, 100).await.changes.len(),
        0,
        "the bad sale left the feed"
    );
    head_office_holds_only_valid_records(&company.server)
        .await
        .unwrap();
}
