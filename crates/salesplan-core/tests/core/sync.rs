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
