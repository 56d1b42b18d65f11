use crate::support::TestLedger;
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
    assert!(latest.recorded_at.ends_with('Z'));

    let future = AuditFilter {
        since: Some("2999-01-01".into()),
        ..AuditFilter::default()
    };
    assert!(
        audit::list(&demo.ledger, &admin, future)
            .unwrap()
            .is_empty()
    );
    let bad = AuditFilter {
        since: Some("last tuesday".into()),
        ..AuditFilter::default()
    };
    assert_eq!(
        audit::list(&demo.ledger, &admin, bad).unwrap_err().field(),
        Some("since")
    );
}

#[test]
fn other_roles_read_only_their_own_changes() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    assert!(
        audit::list(&demo.ledger, &sam, AuditFilter::default())
            .unwrap()
            .is_empty()
    );
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
    assert_eq!(trail.len(), 1);
    assert_eq!(
        (trail[0].kind, trail[0].username.as_deref()),
        (ChangeKind::PasswordChanged, Some("sam"))
    );
}
