//! The laptop's connection to head office: one account per ledger.

use crate::support::TestLedger;
use salesplan_core::ErrorCode;
use salesplan_core::sync::state;

#[test]
fn a_ledger_syncs_as_one_account_and_only_an_administrator_moves_it() {
    let mut demo = TestLedger::demo();
    let (sam, maria, admin) = (demo.user("sam"), demo.user("maria"), demo.user("admin"));

    let error = state::connect(&mut demo.ledger, &sam, "ftp://head-office").unwrap_err();
    assert_eq!(error.code(), ErrorCode::Invalid);
    assert!(error.to_string().contains("https://"), "{error}");
    assert_eq!(state::connection(&demo.ledger).unwrap(), None);

    state::connect(&mut demo.ledger, &sam, "https://ho.example.com/").unwrap();
    let held = state::connection(&demo.ledger).unwrap().unwrap();
    assert_eq!(
        (held.server_url.as_str(), held.username.as_str()),
        ("https://ho.example.com", "sam")
    );
    // Sam again, same server: still his; moving it to another is an administrator's.
    state::connect(&mut demo.ledger, &sam, "https://ho.example.com").unwrap();
    let error = state::connect(&mut demo.ledger, &sam, "https://evil.example.com").unwrap_err();
    assert_eq!(error.code(), ErrorCode::Forbidden);
    assert!(
        error
            .to_string()
            .contains("Moving this ledger's head-office connection"),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("syncs with https://ho.example.com"),
        "{error}"
    );
    assert_eq!(
        state::connection(&demo.ledger).unwrap().unwrap().server_url,
        "https://ho.example.com"
    );

    let error = state::connect(&mut demo.ledger, &maria, "https://ho.example.com").unwrap_err();
    assert_eq!(error.code(), ErrorCode::Forbidden);
    assert!(error.to_string().contains("syncs as sam"), "{error}");
    assert_eq!(
        state::connection(&demo.ledger).unwrap().unwrap().username,
        "sam"
    );

    state::connect(&mut demo.ledger, &admin, "https://ho.example.com").unwrap();
    assert_eq!(
        state::connection(&demo.ledger).unwrap().unwrap().username,
        "admin"
    );
}

/// Without anyone signed in, a ledger can join head office (it has no accounts
/// yet) or confirm the connection it holds, never move one that has accounts.
#[test]
fn without_signing_in_a_ledger_joins_or_keeps_its_connection_but_never_moves() {
    let mut demo = TestLedger::demo();
    // A ledger with accounts and no connection yet: whoever signs in at head office joins it.
    state::join(&mut demo.ledger, "https://ho.example.com/", "sam").unwrap();
    state::join(&mut demo.ledger, "https://ho.example.com", "sam").unwrap();
    for (server, username) in [
        ("https://evil.example.com", "sam"),
        ("https://ho.example.com", "nina"),
    ] {
        let error = state::join(&mut demo.ledger, server, username).unwrap_err();
        assert_eq!(error.code(), ErrorCode::Forbidden, "{server} as {username}");
        assert!(
            error
                .to_string()
                .contains("syncs with https://ho.example.com as sam"),
            "{error}"
        );
        let held = state::connection(&demo.ledger).unwrap().unwrap();
        assert_eq!(
            (held.server_url.as_str(), held.username.as_str()),
            ("https://ho.example.com", "sam")
        );
    }

    // A new laptop's empty ledger belongs to whoever signs in at head office, wherever.
    let dir = tempfile::tempdir().unwrap();
    let (mut empty, _) =
        salesplan_core::Ledger::create_with(&dir.path().join("new.db"), |_| Ok(())).unwrap();
    state::join(&mut empty, "https://ho.example.com", "sam").unwrap();
    state::join(&mut empty, "https://other.example.com", "nina").unwrap();
    assert_eq!(state::connection(&empty).unwrap().unwrap().username, "nina");
}

/// Head office's password signs in on the laptop afterwards, for the account
/// the ledger syncs as and nobody else.
#[test]
fn head_offices_password_is_adopted_only_for_the_account_the_ledger_syncs_as() {
    let mut demo = TestLedger::demo();
    let error = state::adopt_password(&mut demo.ledger, "from head office").unwrap_err();
    assert_eq!(error.code(), ErrorCode::Invalid);
    let sam = demo.user("sam");
    state::connect(&mut demo.ledger, &sam, "https://ho.example.com").unwrap();
    state::adopt_password(&mut demo.ledger, "from head office").unwrap();
    salesplan_core::users::sign_in(&demo.ledger, "sam", "from head office").unwrap();
    let error = salesplan_core::users::sign_in(&demo.ledger, "sam", "salesplan-demo").unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidCredentials);
    // Everyone else keeps the password they had.
    salesplan_core::users::sign_in(&demo.ledger, "nina", "salesplan-demo").unwrap();
    salesplan_core::users::sign_in(&demo.ledger, "admin", "salesplan-demo").unwrap();
}

/// The demo company, as the laptop writes it, passes every rule head office
/// applies to a pushed change: the laptop and head office agree on the rules.
#[test]
fn every_record_of_the_demo_company_passes_head_offices_rules() {
    let demo = TestLedger::demo();
    let admin = demo.user("admin");
    let findings = salesplan_core::sync::verify::verify(&demo.ledger, &admin).unwrap();
    assert_eq!(
        findings,
        vec![],
        "records the laptop wrote that head office would refuse"
    );
    let sam = demo.user("sam");
    let refused = salesplan_core::sync::verify::verify(&demo.ledger, &sam).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden);
}
