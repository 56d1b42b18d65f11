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
    // Sam again (another server): still his.
    state::connect(&mut demo.ledger, &sam, "https://ho2.example.com").unwrap();

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
