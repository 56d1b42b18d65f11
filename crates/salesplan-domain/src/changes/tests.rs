#![allow(clippy::panic)]
use super::*;
use serde_json::json;

fn id() -> Uuid {
    Uuid::now_v7()
}

fn refused(entity: Entity, kind: ChangeKind, entity_id: Uuid, payload: Value) -> String {
    match parse(entity, kind, entity_id, &payload) {
        Ok(change) => panic!("{payload} was taken: {change:?}"),
        Err(error) => error.to_string(),
    }
}

fn line(budget: Uuid, line: Uuid) -> Value {
    json!({
        "id": line.to_string(), "budget_id": budget.to_string(), "product_id": id().to_string(),
        "period": "2026-03", "quantity": "10", "unit_price": "2.50", "amount": "25.00",
        "amount_entered": 0, "version": 1, "updated_at": "2026-01-05T10:00:00Z",
    })
}

#[test]
fn every_entity_that_travels_has_a_record_and_the_rest_are_refused() {
    for entity in Entity::ALL {
        let empty = Record::parse(entity, &json!({}), false);
        match travel(entity) {
            Travel::Shared { .. } => {
                assert!(
                    empty.is_ok(),
                    "{entity:?} travels but has no record: {empty:?}"
                );
                assert!(
                    !kinds(entity).is_empty(),
                    "{entity:?} travels but has no kinds"
                );
            }
            _ => {
                assert!(empty.is_err(), "{entity:?} stays but parses");
                assert!(kinds(entity).is_empty());
            }
        }
    }
}

#[test]
fn a_whole_line_parses_and_each_bad_field_is_named() {
    let (budget, line_id) = (id(), id());
    let good = line(budget, line_id);
    let change = parse(Entity::BudgetLine, ChangeKind::Created, line_id, &good).expect("a line");
    assert!(matches!(change.body, Body::Record(Record::BudgetLine(_))));
    let cases = [
        ("quantity", json!("abc"), "quantity: 'abc' is not a decimal"),
        ("amount", json!({"nested": 1}), "amount: invalid type: map"),
        (
            "period",
            json!("2026-13"),
            "period: '2026-13' is not a month",
        ),
        (
            "quantity",
            json!("1e30"),
            "quantity: '1e30' is not a decimal",
        ),
        ("quantity", json!("-1"), "quantity: must not be negative"),
        ("unit_price", json!(null), "unit_price: invalid type: null"),
        ("colour", json!("red"), "colour: unknown field `colour`"),
    ];
    for (field, value, expected) in cases {
        let mut bad = good.clone();
        bad[field] = value;
        let error = refused(Entity::BudgetLine, ChangeKind::Created, line_id, bad);
        assert!(error.starts_with(expected), "{field}: {error}");
    }
    let mut short = good.clone();
    short
        .as_object_mut()
        .map(|fields| fields.remove("product_id"));
    assert_eq!(
        refused(Entity::BudgetLine, ChangeKind::Created, line_id, short),
        "product_id: is required"
    );
    let other = id();
    assert_eq!(
        refused(Entity::BudgetLine, ChangeKind::Created, other, good),
        format!("id: must be the record's id, {other}")
    );
}

#[test]
fn kinds_a_laptop_never_sends_are_refused() {
    let sale = id();
    assert!(
        refused(Entity::ActualSale, ChangeKind::Updated, sale, json!({}))
            .contains("never updated; post a reversing entry")
    );
    assert!(
        refused(Entity::User, ChangeKind::Created, sale, json!({})).contains("does not travel")
    );
    assert!(
        refused(Entity::Product, ChangeKind::Archived, sale, json!({}))
            .contains("does not send 'archived' changes")
    );
    assert!(
        refused(
            Entity::BudgetLine,
            ChangeKind::Transitioned,
            sale,
            json!({})
        )
        .contains("kind")
    );
    assert!(refused(Entity::Product, ChangeKind::Updated, sale, json!([1])).contains("payload"));
}

#[test]
fn a_budget_moves_only_by_legal_steps_and_never_by_an_update() {
    let budget = id();
    let step =
        |from: &str, to: &str, comment: &str| json!({"from": from, "to": to, "comment": comment});
    assert!(
        parse(
            Entity::Budget,
            ChangeKind::Transitioned,
            budget,
            &step("draft", "submitted", "")
        )
        .is_ok()
    );
    let cases = [
        (
            step("draft", "approved", ""),
            "to: a budget does not go from draft to approved",
        ),
        (
            step("draft", "locked", ""),
            "to: a budget does not go from draft to locked",
        ),
        (
            step("submitted", "rejected", " "),
            "comment: is required to reject",
        ),
        (
            step("draft", "Approved", ""),
            "to: unknown variant `Approved`",
        ),
        (
            step("draft", "finished", ""),
            "to: unknown variant `finished`",
        ),
    ];
    for (payload, expected) in cases {
        let error = refused(Entity::Budget, ChangeKind::Transitioned, budget, payload);
        assert!(error.starts_with(expected), "{error}");
    }
    let long = "x".repeat(10_000);
    let error = refused(
        Entity::Budget,
        ChangeKind::Transitioned,
        budget,
        step("draft", &long, ""),
    );
    assert!(
        error.len() < 400,
        "a 10 kB status is not echoed: {} bytes",
        error.len()
    );

    let held = json!({
        "id": budget.to_string(), "fiscal_year": 2027, "scenario": "Base", "owner_kind": "salesman",
        "salesman_id": id().to_string(), "department_id": null, "location_id": null, "currency": "EUR",
        "status": "draft", "copied_from": null, "created_by": id().to_string(), "version": 1,
        "created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:00:00Z",
    });
    let held = held.as_object().expect("an object");
    let update =
        |fields: Value| check_update(Entity::Budget, held, fields.as_object().expect("fields"));
    assert!(update(json!({"scenario": "Stretch"})).is_ok());
    assert!(
        update(json!({"status": "approved"}))
            .expect_err("status")
            .to_string()
            .starts_with("status: changes only by a workflow step")
    );
    assert!(
        update(json!({"id": id().to_string()}))
            .expect_err("id")
            .to_string()
            .starts_with("id: cannot change")
    );
    let orphan = update(json!({"salesman_id": null})).expect_err("no owner");
    assert_eq!(
        orphan.to_string(),
        "salesman_id: is required: it names the budget's owner"
    );

    let owner = id();
    let steps = |actor| {
        let submitted: BudgetStep =
            serde_json::from_value(step("submitted", "approved", "")).expect("a step");
        super::step(
            &submitted,
            BudgetStatus::Submitted,
            Some(owner),
            None,
            actor,
        )
    };
    assert_eq!(steps(id()).ok(), Some(Transition::Approve));
    assert!(
        steps(owner)
            .expect_err("own")
            .to_string()
            .starts_with("approver:")
    );
    let submitted: BudgetStep =
        serde_json::from_value(step("submitted", "approved", "")).expect("a step");
    assert!(
        super::step(&submitted, BudgetStatus::Draft, None, None, id())
            .expect_err("stale")
            .to_string()
            .contains("is draft here, not submitted")
    );
}

#[test]
fn scope_comes_from_the_record_and_what_the_receiver_holds() {
    let (salesman, other, department, branch, budget) = (id(), id(), id(), id(), id());
    let sale = json!({
        "id": id().to_string(), "period": "2026-03", "product_id": id().to_string(), "location_id": branch.to_string(),
        "salesman_id": other.to_string(), "customer_id": null, "quantity": "1", "unit_price": "1", "amount": "1",
        "created_by": salesman.to_string(), "created_at": "2026-03-05T10:00:00Z", "import_id": null,
        "sold_on": "2026-03-05", "fingerprint": 42,
    });
    let sale_id = Uuid::parse_str(sale["id"].as_str().unwrap_or_default()).unwrap_or_default();
    let Body::Record(sale) = parse(Entity::ActualSale, ChangeKind::Appended, sale_id, &sale)
        .expect("a sale")
        .body
    else {
        panic!("a record")
    };
    let account = |user: Uuid| (user == other).then_some((Some(department), None));
    let scope = sale.scope(&account, &|_, _| None).expect("a scope");
    assert_eq!(
        scope,
        ScopeFacts {
            owner_id: Some(other),
            department_id: Some(department),
            location_id: Some(branch),
            other_location_id: None,
        }
    );
    assert_eq!(
        sale.own_scope().owner_id,
        Some(other),
        "the payload's salesman, not the sender"
    );
    assert_eq!(sale.closed_month_rule(), Some(Month::new(2026, 3)));
    assert!(
        sale.references()
            .contains(&("salesman_id", Entity::User, other))
    );

    let Body::Record(line) = parse(
        Entity::BudgetLine,
        ChangeKind::Created,
        budget,
        &line(budget, budget),
    )
    .expect("a line")
    .body
    else {
        panic!("a record")
    };
    let held = ScopeFacts {
        owner_id: Some(salesman),
        ..ScopeFacts::default()
    };
    assert_eq!(
        line.scope(&account, &|entity, id| (entity == Entity::Budget
            && id == budget)
            .then_some(held)),
        Some(held)
    );
    assert_eq!(
        line.scope(&account, &|_, _| None),
        None,
        "no parent held, no scope"
    );
}

#[test]
fn an_id_written_any_other_way_than_lowercase_with_hyphens_is_refused() {
    let (budget, line_id) = (id(), id());
    for (field, written) in [
        ("product_id", format!("{{{}}}", id())),
        ("budget_id", budget.to_string().to_uppercase()),
        ("product_id", id().simple().to_string()),
    ] {
        let mut payload = line(budget, line_id);
        payload[field] = json!(written);
        let refusal = refused(Entity::BudgetLine, ChangeKind::Created, line_id, payload);
        assert!(
            refusal.starts_with(&format!(
                "{field}: an id is written in lowercase with hyphens"
            )),
            "{refusal}"
        );
    }
    assert!(
        parse(
            Entity::BudgetLine,
            ChangeKind::Created,
            line_id,
            &line(budget, line_id)
        )
        .is_ok()
    );
}

#[test]
fn a_snapshot_value_keeps_its_interval_whole_and_in_order() {
    let key = id();
    let value = |low: Value, high: Value| {
        let mut value = json!({
            "id": key.to_string(), "as_of": "2026-10", "product_id": id().to_string(),
            "location_id": id().to_string(), "method": "ets", "month": "2026-11",
            "baseline": "100", "final": "110",
        });
        if !low.is_null() {
            value["low"] = low;
        }
        if !high.is_null() {
            value["high"] = high;
        }
        value
    };
    let take = |payload: Value| {
        parse(
            Entity::ForecastSnapshot,
            ChangeKind::Appended,
            key,
            &payload,
        )
    };
    take(value(json!("80.5"), json!("121.25"))).expect("with its interval");
    take(value(Value::Null, Value::Null)).expect("a method without one (or kept before V32)");
    let reversed = refused(
        Entity::ForecastSnapshot,
        ChangeKind::Appended,
        key,
        value(json!("130"), json!("90")),
    );
    assert!(
        reversed.contains("low: must not lie above high (90)"),
        "{reversed}"
    );
    let half = refused(
        Entity::ForecastSnapshot,
        ChangeKind::Appended,
        key,
        value(json!("80"), Value::Null),
    );
    assert!(half.contains("both bounds"), "{half}");
    let text = refused(
        Entity::ForecastSnapshot,
        ChangeKind::Appended,
        key,
        value(json!("low"), json!("90")),
    );
    assert!(text.contains("'low' is not a decimal"), "{text}");
}
