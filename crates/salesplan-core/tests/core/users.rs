use crate::support::{TestLedger, count};
use salesplan_core::demo::DEMO_PASSWORD;
use salesplan_core::reference::{self, Department, Location};
use salesplan_core::users::{self, NewUser, UserProfile};
use salesplan_core::{Error, ErrorCode, Role};

fn new_salesman(demo: &TestLedger, username: &str) -> NewUser {
    let admin = demo.user("admin");
    let department = reference::find::<Department>(&demo.ledger, &admin, "RET").unwrap();
    let branch = reference::find::<Location>(&demo.ledger, &admin, "BR-S").unwrap();
    NewUser {
        username: username.into(),
        profile: UserProfile {
            display_name: "Tina Tester".into(),
            role: Role::Salesman,
            department_id: Some(department.id),
            location_id: Some(branch.id),
        },
        password: "tina-secret-1".into(),
    }
}

#[test]
fn sign_in_refuses_wrong_passwords_unknown_users_and_deactivated_accounts() {
    let mut demo = TestLedger::demo();
    assert_eq!(
        users::sign_in(&demo.ledger, "SAM", DEMO_PASSWORD)
            .unwrap()
            .username,
        "sam"
    );
    for (username, password) in [
        ("sam", "wrong-password"),
        ("nobody", DEMO_PASSWORD),
        ("", ""),
    ] {
        let error = users::sign_in(&demo.ledger, username, password).unwrap_err();
        assert_eq!(
            error.to_string(),
            "wrong username or password",
            "{username}/{password}"
        );
    }

    let admin = demo.user("admin");
    let sam = demo.user("sam");
    users::set_active(&mut demo.ledger, &admin, sam.id, false).unwrap();
    let error = users::sign_in(&demo.ledger, "sam", DEMO_PASSWORD).unwrap_err();
    assert_eq!(error.code(), ErrorCode::AccountDeactivated);
    // A session held from before is refused on its next command.
    assert!(matches!(
        users::actor(&demo.ledger, sam.id),
        Err(Error::AccountDeactivated { .. })
    ));

    users::set_active(&mut demo.ledger, &admin, sam.id, true).unwrap();
    assert!(users::sign_in(&demo.ledger, "sam", DEMO_PASSWORD).is_ok());
}

#[test]
fn an_administrator_creates_a_salesman_who_can_sign_in() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let tina = new_salesman(&demo, "Tina");
    let created = users::create(&mut demo.ledger, &admin, tina).unwrap();
    assert_eq!(
        created.username, "tina",
        "usernames are stored in lower case"
    );
    let tina = users::sign_in(&demo.ledger, "tina", "tina-secret-1").unwrap();
    assert_eq!(
        (tina.role, tina.location_id),
        (Role::Salesman, created.profile.location_id)
    );
}

#[test]
fn bad_new_users_name_the_field_and_change_nothing() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let before = demo.outbox_len();
    let good = new_salesman(&demo, "tina");
    let cases: Vec<(NewUser, &str)> = vec![
        (
            NewUser {
                username: "SAM".into(),
                ..good.clone()
            },
            "user with username 'sam' already exists",
        ),
        (
            NewUser {
                username: "  ".into(),
                ..good.clone()
            },
            "username: must not be empty",
        ),
        (
            NewUser {
                username: "tina tester".into(),
                ..good.clone()
            },
            "username: may hold only letters a-z, digits, '.', '_' and '-'",
        ),
        (
            NewUser {
                password: "short".into(),
                ..good.clone()
            },
            "password: must be at least 8 characters",
        ),
        (
            NewUser {
                profile: UserProfile {
                    display_name: "".into(),
                    ..good.profile.clone()
                },
                ..good.clone()
            },
            "display_name: must not be empty",
        ),
        (
            NewUser {
                profile: UserProfile {
                    department_id: None,
                    ..good.profile.clone()
                },
                ..good.clone()
            },
            "department_id: a Salesman needs a department",
        ),
        (
            NewUser {
                profile: UserProfile {
                    location_id: Some(uuid::Uuid::now_v7()),
                    ..good.profile.clone()
                },
                ..good.clone()
            },
            "location_id: no active location with id",
        ),
    ];
    for (new_user, expected) in cases {
        let error = users::create(&mut demo.ledger, &admin, new_user).unwrap_err();
        assert!(
            error.to_string().starts_with(expected),
            "expected {expected:?}, got {error}"
        );
    }
    assert_eq!(demo.outbox_len(), before, "a refused write records nothing");
    assert_eq!(
        count(
            &demo.path(),
            "SELECT count(*) FROM users WHERE username = 'tina'"
        ),
        0
    );
}

#[test]
fn the_last_administrator_cannot_be_demoted_or_deactivated() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let demoted = UserProfile {
        display_name: "Admin".into(),
        role: Role::SupplyChain,
        department_id: None,
        location_id: None,
    };
    let error =
        users::update(&mut demo.ledger, &admin, admin.id, None, demoted.clone()).unwrap_err();
    assert!(
        error.to_string().contains("last active administrator"),
        "{error}"
    );
    let error = users::set_active(&mut demo.ledger, &admin, admin.id, false).unwrap_err();
    assert_eq!(
        error.to_string(),
        "active: you cannot deactivate your own account"
    );

    // With a second administrator, the first may step down.
    let sven = users::find(&demo.ledger, &admin, "sven").unwrap();
    let promoted = UserProfile {
        role: Role::Administrator,
        ..sven.profile.clone()
    };
    users::update(
        &mut demo.ledger,
        &admin,
        sven.id,
        Some(sven.version),
        promoted,
    )
    .unwrap();
    let updated = users::update(&mut demo.ledger, &admin, admin.id, None, demoted).unwrap();
    assert_eq!(updated.profile.role, Role::SupplyChain);
}

#[test]
fn edits_against_an_old_version_are_refused() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let sam = users::find(&demo.ledger, &admin, "sam").unwrap();
    let renamed = UserProfile {
        display_name: "Samuel Becker".into(),
        ..sam.profile.clone()
    };
    users::update(
        &mut demo.ledger,
        &admin,
        sam.id,
        Some(sam.version),
        renamed.clone(),
    )
    .unwrap();
    let error =
        users::update(&mut demo.ledger, &admin, sam.id, Some(sam.version), renamed).unwrap_err();
    assert_eq!(error.code(), ErrorCode::StaleVersion);
}

#[test]
fn passwords_change_with_proof_and_never_reach_the_outbox() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let error =
        users::change_own_password(&mut demo.ledger, &sam, "not-my-password", "new-secret-9")
            .unwrap_err();
    assert_eq!(
        error.to_string(),
        "current_password: is not your current password"
    );
    users::change_own_password(&mut demo.ledger, &sam, DEMO_PASSWORD, "new-secret-9").unwrap();
    assert!(users::sign_in(&demo.ledger, "sam", DEMO_PASSWORD).is_err());
    assert!(users::sign_in(&demo.ledger, "sam", "new-secret-9").is_ok());

    let admin = demo.user("admin");
    users::reset_password(&mut demo.ledger, &admin, sam.id, "reset-secret-7").unwrap();
    assert!(users::sign_in(&demo.ledger, "sam", "reset-secret-7").is_ok());

    let leaks = count(
        &demo.path(),
        "SELECT count(*) FROM outbox WHERE payload LIKE '%secret%' OR payload LIKE '%argon2%' OR payload LIKE '%password%'",
    );
    assert_eq!(leaks, 0, "no password or hash in any change record");
}
