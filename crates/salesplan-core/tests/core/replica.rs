//! The laptop's sync engine on ledger files alone, without a server: a relay
//! plays head office (it takes every change and hands it on in its feed, or
//! refuses one when told to), so the queue, the mirror and applying a page are
//! tested directly.

use crate::support::{TestLedger, count};
use salesplan_core::reference::{self, Department, Product};
use salesplan_core::sync::protocol::{
    FeedChange, MutationResult, Outcome, PullResponse, PushRequest, PushResponse,
};
use salesplan_core::sync::state;
use salesplan_core::{Actor, Ledger};
use std::path::Path;
use uuid::Uuid;

const HEAD_OFFICE: &str = "https://head-office.test";

/// Head office as far as a laptop can tell: a feed of every change it took.
struct Relay {
    epoch: Uuid,
    feed: Vec<FeedChange>,
}

impl Relay {
    fn new() -> Relay {
        Relay {
            epoch: Uuid::now_v7(),
            feed: Vec::new(),
        }
    }

    /// The feed after `cursor`, at most `size` changes.
    fn page(&self, cursor: i64, size: usize) -> PullResponse {
        let after: Vec<FeedChange> = self
            .feed
            .iter()
            .filter(|change| change.seq > cursor)
            .take(size)
            .cloned()
            .collect();
        PullResponse {
            epoch: self.epoch,
            cursor: after.last().map_or(cursor, |change| change.seq),
            more: after
                .last()
                .is_some_and(|last| last.seq < self.feed.len() as i64),
            changes: after,
        }
    }

    /// Takes a push: every change into the feed, or refused with `refuse`'s answer.
    fn take(
        &mut self,
        request: &PushRequest,
        refuse: impl Fn(&FeedChange) -> Option<serde_json::Value>,
    ) -> PushResponse {
        let mut results = Vec::new();
        for mutation in &request.mutations {
            let change = FeedChange {
                seq: self.feed.len() as i64 + 1,
                entity: mutation.entity.clone(),
                entity_id: mutation.entity_id,
                kind: mutation.kind.clone(),
                payload: mutation.payload.clone(),
                hlc: mutation.hlc.clone(),
                client_id: request.client_id,
                op_uuid: mutation.op_uuid,
                user_id: Some(mutation.user_id),
            };
            let (outcome, current) = match refuse(&change) {
                Some(current) => (
                    Outcome::Rejected {
                        reason: "refused by the test's head office".into(),
                    },
                    Some(current),
                ),
                None => {
                    self.feed.push(change);
                    (Outcome::Applied, None)
                }
            };
            results.push(MutationResult {
                mutation_id: mutation.mutation_id,
                op_uuid: mutation.op_uuid,
                outcome,
                current,
                missing: false,
            });
        }
        PushResponse {
            last_mutation_id: request.mutations.last().map_or(0, |m| m.mutation_id),
            results,
        }
    }

    /// Reads the whole feed into `ledger`, page by page, as the sync engine does.
    fn pull_all(&self, ledger: &mut Ledger, user_id: Uuid) -> state::Applied {
        let mut total = state::Applied::default();
        loop {
            let (_, cursor) = state::position(ledger).unwrap();
            let page = self.page(cursor, 500);
            let applied = state::apply(ledger, user_id, &page).unwrap();
            total.changes += applied.changes;
            total.skipped.extend(applied.skipped);
            if !page.more {
                return total;
            }
        }
    }

    /// Sends everything `ledger` has to send, each batch answered.
    fn push_all(
        &mut self,
        ledger: &mut Ledger,
        user_id: Uuid,
        refuse: impl Fn(&FeedChange) -> Option<serde_json::Value>,
    ) -> usize {
        let mut sent = 0;
        while let Some(request) = state::next_push(ledger, user_id).unwrap() {
            sent += request.mutations.len();
            let response = self.take(&request, &refuse);
            state::answered(ledger, &response).unwrap();
        }
        sent
    }
}

/// A ledger connected to the relay as `actor`, having read its feed.
fn connect(ledger: &mut Ledger, actor: &Actor, relay: &Relay) {
    state::connect(ledger, actor, HEAD_OFFICE).unwrap();
    state::restart_feed(ledger, relay.epoch).unwrap();
    relay.pull_all(ledger, actor.id);
}

fn accept_all(_: &FeedChange) -> Option<serde_json::Value> {
    None
}

const TABLES: [&str; 10] = [
    "users",
    "departments",
    "locations",
    "products",
    "customers",
    "budgets",
    "budget_lines",
    "actual_sales",
    "stock_movements",
    "stock_balances",
];

fn counts(path: &Path) -> Vec<(&'static str, i64)> {
    TABLES
        .iter()
        .map(|table| {
            (
                *table,
                count(path, &format!("SELECT count(*) FROM {table}")),
            )
        })
        .collect()
}

#[test]
#[ignore = "rotted while this file was not compiled in: the demo's users have no head-office account, so they and their records stay on the laptop (staying.rs), and the stock movements in the feed name users a new laptop never gets; to repair"]
fn a_new_laptop_rebuilds_the_company_from_the_feed_alone_and_a_page_taken_twice_changes_nothing() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let mut relay = Relay::new();
    connect(&mut demo.ledger, &admin, &relay);
    let sent = relay.push_all(&mut demo.ledger, admin.id, accept_all);
    assert!(sent > 10_000, "the demo company goes out whole: {sent}");
    assert_eq!(state::status(&demo.ledger).unwrap().pending, 0);
    assert!(relay.push_all(&mut demo.ledger, admin.id, accept_all) == 0);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new-laptop.db");
    let (mut laptop, ()) = Ledger::create_with(&path, |_| Ok(())).unwrap();
    state::join(&mut laptop, HEAD_OFFICE, "admin").unwrap();
    state::restart_feed(&mut laptop, relay.epoch).unwrap();
    let applied = relay.pull_all(&mut laptop, admin.id);
    assert!(applied.skipped.is_empty(), "{:?}", applied.skipped);
    assert_eq!(applied.changes, relay.feed.len());
    assert_eq!(counts(&path), counts(&demo.path()));
    assert_eq!(
        crate::stock::balances(&path),
        crate::stock::balances(&demo.path()),
        "the stock the movements from the feed add up to"
    );
    assert_eq!(
        state::position(&laptop).unwrap(),
        (Some(relay.epoch), relay.feed.len() as i64)
    );

    // The same page again (a crash after applying, before the cursor was seen): nothing doubles.
    let again = state::apply(&mut laptop, admin.id, &relay.page(0, 500)).unwrap();
    assert!(again.skipped.is_empty(), "{:?}", again.skipped);
    assert_eq!(counts(&path), counts(&demo.path()));
    assert_eq!(laptop.integrity_check().unwrap(), "ok");
}

#[test]
#[ignore = "rotted while this file was not compiled in: the demo's users have no head-office account, so they and their records stay on the laptop (staying.rs), and the stock movements in the feed name users a new laptop never gets; to repair"]
fn a_change_that_breaks_a_rule_is_set_aside_with_its_reason_and_the_rest_of_the_page_lands() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let mut relay = Relay::new();
    connect(&mut demo.ledger, &admin, &relay);
    relay.push_all(&mut demo.ledger, admin.id, accept_all);
    let before = relay.feed.len() as i64;
    for code in ["NORTH-2", "SOUTH-2"] {
        reference::create(
            &mut demo.ledger,
            &admin,
            Department {
                code: code.into(),
                name: format!("Department {code}"),
            },
        )
        .unwrap();
    }
    relay.push_all(&mut demo.ledger, admin.id, accept_all);
    assert_eq!(relay.feed.len() as i64, before + 2);
    // Head office's feed names a department with a control character in its code.
    let forged = relay.feed.last_mut().unwrap();
    forged.payload["code"] = serde_json::json!("SOUTH\u{7}2");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other-laptop.db");
    let (mut laptop, ()) = Ledger::create_with(&path, |_| Ok(())).unwrap();
    state::join(&mut laptop, HEAD_OFFICE, "admin").unwrap();
    state::restart_feed(&mut laptop, relay.epoch).unwrap();
    let applied = relay.pull_all(&mut laptop, admin.id);
    assert_eq!(applied.skipped.len(), 1, "{:?}", applied.skipped);
    assert!(applied.skipped[0].contains("code"), "{:?}", applied.skipped);
    let set_aside = state::set_aside(&laptop, 10).unwrap();
    assert_eq!(set_aside.len(), 1);
    assert_eq!(set_aside[0].seq, before + 2);
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM departments WHERE code = 'NORTH-2'"
        ),
        1,
        "the good change of the same page landed"
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM departments WHERE code LIKE 'SOUTH%2'"
        ),
        0
    );
    assert_eq!(state::position(&laptop).unwrap().1, relay.feed.len() as i64);
    assert_eq!(state::status(&laptop).unwrap().set_aside, 1);
}

#[test]
fn a_refused_edit_is_put_back_as_head_office_holds_the_record_and_shown_as_a_conflict() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let mut relay = Relay::new();
    connect(&mut demo.ledger, &admin, &relay);
    relay.push_all(&mut demo.ledger, admin.id, accept_all);

    let product = reference::find::<Product>(&demo.ledger, &admin, "HOU-020").unwrap();
    let held = relay
        .feed
        .iter()
        .rev()
        .find(|change| change.entity_id == product.id)
        .unwrap()
        .payload
        .clone();
    let mut renamed = product.fields.clone();
    renamed.name = "Renamed on the laptop".into();
    reference::update(
        &mut demo.ledger,
        &admin,
        product.id,
        Some(product.version),
        renamed,
    )
    .unwrap();
    let refused = relay.push_all(&mut demo.ledger, admin.id, |change| {
        (change.entity_id == product.id).then(|| held.clone())
    });
    assert_eq!(refused, 1);

    let now = reference::find::<Product>(&demo.ledger, &admin, "HOU-020").unwrap();
    assert_eq!(
        now.fields.name, product.fields.name,
        "back as head office holds it"
    );
    let conflicts = state::conflicts(&demo.ledger, 10).unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].entity_id, product.id);
    assert!(
        conflicts[0]
            .reason
            .contains("refused by the test's head office")
    );
    let status = state::status(&demo.ledger).unwrap();
    assert_eq!((status.pending, status.rejected), (0, 1));
}

#[test]
fn syncing_leaves_the_home_digest_current_until_a_page_brings_a_change() {
    use salesplan_core::home::{self, Refresh};
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let mut relay = Relay::new();
    connect(&mut demo.ledger, &admin, &relay);
    relay.push_all(&mut demo.ledger, admin.id, accept_all);
    relay.pull_all(&mut demo.ledger, admin.id);
    let digest = |ledger: &mut Ledger, refresh| {
        home::home_on(
            ledger,
            &admin,
            salesplan_core::timestamp::Day::today(),
            refresh,
        )
        .unwrap()
        .digest
        .unwrap()
    };
    assert!(digest(&mut demo.ledger, Refresh::IfStale).current);

    // A sync with nothing to send or receive: only its bookkeeping is written.
    assert!(
        state::next_push(&mut demo.ledger, admin.id)
            .unwrap()
            .is_none()
    );
    assert_eq!(relay.pull_all(&mut demo.ledger, admin.id).changes, 0);
    state::note_outcome(&mut demo.ledger, None).unwrap();
    assert!(digest(&mut demo.ledger, Refresh::IfMissing).current);

    // Another laptop's new customer arrives: what was worked out no longer holds.
    let mut customer = relay
        .feed
        .iter()
        .find(|change| change.entity == "customer")
        .unwrap()
        .clone();
    let id = Uuid::now_v7();
    customer.seq = relay.feed.len() as i64 + 1;
    customer.entity_id = id;
    customer.op_uuid = Uuid::now_v7();
    customer.client_id = Uuid::now_v7();
    customer.payload["id"] = serde_json::json!(id.to_string());
    customer.payload["code"] = serde_json::json!("CUST-FROM-AFAR");
    relay.feed.push(customer);
    let applied = relay.pull_all(&mut demo.ledger, admin.id);
    assert_eq!(
        (applied.changes, applied.skipped.len()),
        (1, 0),
        "{:?}",
        applied.skipped
    );
    assert_eq!(
        count(
            &demo.path(),
            &format!("SELECT count(*) FROM customers WHERE id = '{id}'")
        ),
        1
    );
    assert!(!digest(&mut demo.ledger, Refresh::IfMissing).current);
}
