//! Sync benchmarks (issue #6): 100,000 changes pushed by one laptop in batches
//! of 1,000 and pulled back in pages of 5,000, and a pull with nothing new,
//! over loopback HTTP against a real PostgreSQL started for the run.
//!
//! cargo bench -p salesplan-server-tests --bench sync
#![allow(clippy::unwrap_used, clippy::panic)]

#[path = "../tests/server/head_office.rs"]
mod head_office;
mod support;

use rust_decimal::Decimal;
use salesplan_core::Ledger;
use salesplan_core::Role;
use salesplan_core::month::Month;
use salesplan_core::reference::{self, Location, Product};
use salesplan_core::sales::NewSale;
use salesplan_core::sync::protocol::ScopeFacts;
use salesplan_server::admin::{self, NewUser};
use serde_json::json;
use std::time::Instant;
use uuid::Uuid;

const BATCH: i64 = 1_000;

#[tokio::main]
async fn main() {
    let smoke = !std::env::args().any(|arg| arg == "--bench");
    if smoke {
        println!("smoke run: small sizes, to check the code path (full size: cargo bench)");
    }
    let changes: i64 = if smoke { 2_000 } else { 100_000 };
    let office = head_office::start("Lakeside Trading GmbH").await;
    let (pool, base, company) = (office.pool, office.base, office.company);
    let location = Uuid::now_v7();
    let user = admin::add_user(
        &pool,
        NewUser {
            username: "salma".into(),
            display_name: String::new(),
            role: Role::Salesman,
            department_id: None,
            location_id: Some(location),
            password: "bench-password".into(),
        },
    )
    .await
    .unwrap();
    let pool_for_laptop = pool.clone();
    let http = reqwest::Client::new();
    let reference = support::reference(
        &pool,
        &http,
        &base,
        "bench-password",
        company.epoch,
        location,
    )
    .await;
    let token = support::sign_in(&http, &base, "salma", "bench-password").await;
    let (laptop, scope) = (
        Uuid::new_v4(),
        ScopeFacts {
            owner_id: Some(user.id),
            department_id: None,
            location_id: Some(location),
            other_location_id: None,
        },
    );
    let start = Instant::now();
    for first in (1..=changes).step_by(BATCH as usize) {
        let mutations = support::sales(first..first + BATCH, laptop, user.id, scope, reference);
        let answer = http
            .post(format!("{base}/sync/push"))
            .bearer_auth(&token)
            .json(&json!({ "client_id": laptop, "epoch": company.epoch, "mutations": mutations }))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        let answer: serde_json::Value = answer.json().await.unwrap();
        assert!(
            answer["results"]
                .as_array()
                .unwrap()
                .iter()
                .all(|result| result["status"] == "applied"),
            "every sale is taken: {}",
            answer["results"][0]
        );
    }
    let pushed = start.elapsed();
    println!(
        "push 100,000 changes (batches of 1,000): {:.2} s",
        pushed.as_secs_f64()
    );

    let start = Instant::now();
    let (mut cursor, mut received) = (0, 0);
    loop {
        let page = support::pull(&http, &base, &token, company.epoch, cursor, 5000).await;
        // Her own account is in the feed too (head office publishes its users).
        received += page
            .changes
            .iter()
            .filter(|change| change.entity == "actual_sale")
            .count();
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(received, changes as usize);
    println!(
        "pull 100,000 changes (pages of 5,000): {:.2} s",
        start.elapsed().as_secs_f64()
    );

    let mut times = Vec::new();
    for _ in 0..20 {
        let start = Instant::now();
        let page = support::pull(&http, &base, &token, company.epoch, cursor, 5000).await;
        assert!(page.changes.is_empty());
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "pull with nothing new: median {:.1} ms, worst {:.1} ms (20 runs)",
        times[10].as_secs_f64() * 1e3,
        times[19].as_secs_f64() * 1e3
    );

    // A laptop's whole sync (the engine, a real ledger): the demo company's
    // administrator connects, then syncs with nothing to do.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let ledger = salesplan_core::demo::create(&path).unwrap().0;
    head_office::add_users(
        &pool_for_laptop,
        &head_office::demo_accounts(&path),
        "bench-password",
    )
    .await;
    let base_for_laptop = base.clone();
    tokio::task::spawn_blocking(move || laptop_sync(&base_for_laptop, ledger, changes))
        .await
        .unwrap();
}

/// The demo ledger's first sync as its administrator, then 20 with nothing to do.
fn laptop_sync(base: &str, mut ledger: salesplan_core::Ledger, changes: i64) {
    use salesplan_core::sync::state;
    use salesplan_sync::{Http, Transport, sync_once};
    let dir = tempfile::tempdir().unwrap();
    let http = Http::new(base).unwrap();
    let signed_in = http.login("admin", "bench-password").unwrap();
    let admin = salesplan_core::users::sign_in(&ledger, "admin", "salesplan-demo").unwrap();
    state::connect(&mut ledger, &admin, base).unwrap();
    let ledger = std::sync::Mutex::new(ledger);
    let start = Instant::now();
    let first = sync_once(&ledger, &http, &signed_in.token, signed_in.user.id).unwrap();
    println!(
        "a laptop's first sync (demo ledger: {} sent, {} received): {:.2} s",
        first.pushed,
        first.pulled,
        start.elapsed().as_secs_f64()
    );
    let mut times = Vec::new();
    for _ in 0..20 {
        let start = Instant::now();
        let report = sync_once(&ledger, &http, &signed_in.token, signed_in.user.id).unwrap();
        assert_eq!((report.pushed, report.pulled), (0, 0));
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "a laptop's sync with nothing to do (health, pull, push check, pull): median {:.1} ms, worst {:.1} ms (20 runs)",
        times[10].as_secs_f64() * 1e3,
        times[19].as_secs_f64() * 1e3
    );

    // 100,000 sales posted offline go up through the ledger, and come back in
    // the feed; then a new laptop of the same account bootstraps everything.
    let sales = {
        let mut ledger = ledger.lock().unwrap();
        let ledger = &mut *ledger;
        let admin =
            &salesplan_core::users::sign_in(ledger, "admin", salesplan_core::demo::DEMO_PASSWORD)
                .unwrap();
        let products = reference::list::<Product>(ledger, admin, false).unwrap();
        let branches = reference::list::<Location>(ledger, admin, false).unwrap();
        let period = Month::current().to_string();
        let sales: Vec<NewSale> = (0..changes as usize)
            .map(|at| NewSale {
                period: period.clone(),
                product_id: products[at % products.len()].id,
                location_id: branches[at % branches.len()].id,
                salesman_id: None,
                customer_id: None,
                quantity: Decimal::from(1 + at % 7),
                unit_price: Decimal::new(1_995, 2),
            })
            .collect();
        salesplan_core::sales::post(ledger, admin, sales)
            .unwrap()
            .len()
    };
    let timed = Timed::new(&http);
    let start = Instant::now();
    let sent = sync_once(&ledger, &timed, &signed_in.token, signed_in.user.id).unwrap();
    assert_eq!((sent.pushed, sent.rejected), (sales, 0), "{sent:?}");
    println!(
        "a laptop sends {} changes and receives them back (one sync, {} received): {:.2} s; sent after {:.2} s, of which waiting for head office {:.2} s; waiting for head office's pulls {:.2} s",
        sent.pushed,
        sent.pulled,
        start.elapsed().as_secs_f64(),
        timed.sending(),
        timed.pushing(),
        timed.pulling()
    );
    let (fresh, _) = Ledger::create_with(&dir.path().join("fresh.db"), |_| Ok(())).unwrap();
    let mut fresh = fresh;
    state::join(&mut fresh, base, "admin").unwrap();
    let fresh = std::sync::Mutex::new(fresh);
    let timed = Timed::new(&http);
    let start = Instant::now();
    let received = sync_once(&fresh, &timed, &signed_in.token, signed_in.user.id).unwrap();
    assert!(received.pulled > sales, "{received:?}");
    println!(
        "a new laptop receives everything (demo + 100,000 sales: {} changes applied): {:.2} s, of which waiting for head office {:.2} s",
        received.pulled,
        start.elapsed().as_secs_f64(),
        timed.pulling()
    );
}

/// Head office over HTTP, with the time spent waiting for its pushes and pulls
/// summed: the rest of a sync is the laptop's own work in its ledger.
struct Timed<'a> {
    http: &'a salesplan_sync::Http,
    push: std::sync::Mutex<std::time::Duration>,
    pull: std::sync::Mutex<std::time::Duration>,
    started: Instant,
    /// From the start until the first pull after a push: the sending part of a sync.
    sent: std::sync::Mutex<Option<std::time::Duration>>,
}

impl<'a> Timed<'a> {
    fn new(http: &'a salesplan_sync::Http) -> Self {
        Timed {
            http,
            push: Default::default(),
            pull: Default::default(),
            started: Instant::now(),
            sent: Default::default(),
        }
    }

    fn sending(&self) -> f64 {
        self.sent.lock().unwrap().unwrap_or_default().as_secs_f64()
    }

    fn pushing(&self) -> f64 {
        self.push.lock().unwrap().as_secs_f64()
    }

    fn pulling(&self) -> f64 {
        self.pull.lock().unwrap().as_secs_f64()
    }

    fn timed<T>(total: &std::sync::Mutex<std::time::Duration>, work: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let answer = work();
        *total.lock().unwrap() += start.elapsed();
        answer
    }
}

impl salesplan_sync::Transport for Timed<'_> {
    fn health(&self) -> Result<salesplan_sync::Health, salesplan_sync::Fault> {
        self.http.health()
    }
    fn login(
        &self,
        username: &str,
        password: &str,
    ) -> Result<salesplan_sync::SignedIn, salesplan_sync::Fault> {
        self.http.login(username, password)
    }
    fn me(&self, token: &str) -> Result<salesplan_sync::ServerUser, salesplan_sync::Fault> {
        self.http.me(token)
    }
    fn logout(&self, token: &str) -> Result<(), salesplan_sync::Fault> {
        self.http.logout(token)
    }
    fn push(
        &self,
        token: &str,
        request: &salesplan_core::sync::protocol::PushRequest,
    ) -> Result<salesplan_core::sync::protocol::PushResponse, salesplan_sync::Fault> {
        Self::timed(&self.push, || self.http.push(token, request))
    }
    fn pull(
        &self,
        token: &str,
        epoch: Uuid,
        cursor: i64,
        limit: i64,
    ) -> Result<salesplan_core::sync::protocol::PullResponse, salesplan_sync::Fault> {
        let mut sent = self.sent.lock().unwrap();
        if sent.is_none() && !self.push.lock().unwrap().is_zero() {
            *sent = Some(self.started.elapsed());
        }
        drop(sent);
        Self::timed(&self.pull, || self.http.pull(token, epoch, cursor, limit))
    }
    fn availability(
        &self,
        token: &str,
    ) -> Result<salesplan_core::sync::protocol::Availability, salesplan_sync::Fault> {
        self.http.availability(token)
    }
}
