use crate::support::{TestLedger, at};
use salesplan_core::audit::{self, AuditFilter};
use salesplan_core::ledger::{ChangeKind, Entity};
use salesplan_core::users;

#[test]
fn the_audit_trail_says_who_changed_what_and_when() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let sam = users::find(&demo.ledger, &admin, "sam").unwrap();
    users::set_active(&mut demo.ledger, &admin, sam.id, false).unwrap();

    let filter = AuditFilter {
        entity: Some(Entity::User),
        limit: Some(1),
        ..AuditFilter::default()
    };
    let latest = &audit::list(&demo.ledger, &admin, filter).unwrap()[0];
    assert_eq!(latest.username.as_deref(), Some("admin"));
    assert_eq!(
        (latest.entity, latest.entity_id, latest.kind),
        (Entity::User, sam.id, ChangeKind::Updated)
    );
    assert_eq!(latest.payload, serde_json::json!({ "active": false }));
    assert_eq!(latest.summary, "Administrator changed user sam: active no");
    assert!(latest.recorded_at.to_string().ends_with('Z'));

    // Steps of the forecast read as what they did.
    let closed = AuditFilter {
        entity: Some(Entity::ClosedMonth),
        limit: Some(1),
        ..AuditFilter::default()
    };
    let closed = &audit::list(&demo.ledger, &admin, closed).unwrap()[0];
    assert!(
        closed.summary.starts_with("Administrator closed ")
            && closed.summary.ends_with(": its sales are frozen"),
        "{}",
        closed.summary
    );

    let future = AuditFilter {
        since: Some(at("2999-01-01")),
        ..AuditFilter::default()
    };
    assert!(
        audit::list(&demo.ledger, &admin, future)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn other_roles_read_only_their_own_changes() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let by_sam = |trail: &[audit::AuditEntry]| {
        trail
            .iter()
            .all(|entry| entry.username.as_deref() == Some("sam"))
    };
    // The demo's expense lines, spending and submission he made himself.
    let own = audit::list(&demo.ledger, &sam, AuditFilter::default()).unwrap();
    assert!(!own.is_empty() && by_sam(&own), "{own:?}");
    users::change_own_password(
        &mut demo.ledger,
        &sam,
        salesplan_core::demo::DEMO_PASSWORD,
        "sams-new-pass",
    )
    .unwrap();
    let admin = demo.user("admin");
    // Asking for someone else's changes still yields only one's own.
    let filter = AuditFilter {
        user_id: Some(admin.id),
        ..AuditFilter::default()
    };
    let trail = audit::list(&demo.ledger, &sam, filter).unwrap();
    assert_eq!(trail.len(), own.len() + 1);
    assert!(by_sam(&trail));
    assert_eq!(trail[0].kind, ChangeKind::PasswordChanged);
}

#[test]
fn each_change_reads_as_a_sentence_with_names_and_the_value_it_replaced() {
    use rust_decimal::Decimal;
    use salesplan_core::budgets::{self, LineEdit, Transition};
    use salesplan_core::reference::{self, Product};
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let sheet = demo.budget_from_last_year(&sam, crate::support::year_after(1), Some(0));
    let admin = demo.user("admin");
    let water = reference::find::<Product>(&demo.ledger, &admin, "BEV-010").unwrap();
    let january = &sheet.periods[0];
    let line = sheet
        .lines
        .iter()
        .find(|line| line.product_id == water.id && line.period == *january)
        .unwrap();
    let edit = |quantity: i64| LineEdit {
        quantity: Some(Decimal::from(quantity)),
        ..LineEdit::new(water.id, *january)
    };
    budgets::set_lines(&mut demo.ledger, &sam, sheet.budget.id, vec![edit(90)]).unwrap();
    budgets::set_lines(&mut demo.ledger, &sam, sheet.budget.id, vec![edit(95)]).unwrap();
    budgets::transition(
        &mut demo.ledger,
        &sam,
        sheet.budget.id,
        Transition::Submit,
        "first try",
    )
    .unwrap();

    let trail = audit::list(
        &demo.ledger,
        &sam,
        AuditFilter {
            limit: Some(3),
            ..AuditFilter::default()
        },
    )
    .unwrap();
    let year = january.year();
    let price = line.unit_price;
    assert_eq!(
        trail[0].summary,
        format!(
            "Sam Becker moved budget {year} Base of Sam Becker from draft to submitted: “first try”"
        )
    );
    assert_eq!(
        trail[1].summary,
        format!(
            "Sam Becker changed budget line BEV-010 Sparkling Water 1L, Jan {year}: quantity 90 → 95, amount {} → {}",
            (Decimal::from(90) * price).round_dp(2),
            (Decimal::from(95) * price).round_dp(2)
        )
    );
    assert_eq!(
        trail[2]
            .changes
            .iter()
            .find(|change| change.field == "quantity")
            .unwrap()
            .old,
        Some(line.quantity.to_string()),
        "the first edit replaced the value the budget was made with"
    );
    assert!(
        trail
            .iter()
            .all(|entry| !entry.summary.contains(&water.id.to_string())),
        "no ids in the sentences"
    );
}
