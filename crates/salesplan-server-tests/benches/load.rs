//! Head office under 50 laptops (issue #6): the server runs as its own process
//! (`salesplan-server serve`) on a real PostgreSQL; this process is the load.
//! 50 salesmen's laptops each sign in, then for a bounded time push batches of
//! 20 sales with a short pause between (and pull after every fifth push), as
//! laptops coming online after a day's work do. Push latency is measured per
//! request, answer read: p50, p95, p99 and worst.
//!
//! cargo bench -p salesplan-server-tests --bench load
//! (`SALESPLAN_LOAD_SECONDS`, default 20; `SALESPLAN_LOAD_LAPTOPS`, default 50)
#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use salesplan_core::Role;
use salesplan_core::sync::protocol::{PushResponse, ScopeFacts};
use salesplan_server::admin::{self, NewUser};
use salesplan_server::db;
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use uuid::Uuid;

const BATCH: i64 = 20;
const PASSWORD: &str = "bench-password";

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// The server process; stopped when the bench ends.
struct Serving(Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::main]
async fn main() {
    let smoke = !std::env::args().any(|arg| arg == "--bench");
    if smoke {
        println!("smoke run: small sizes, to check the code path (full size: cargo bench)");
    }
    let seconds = setting("SALESPLAN_LOAD_SECONDS", if smoke { 2 } else { 20 });
    let laptops = setting("SALESPLAN_LOAD_LAPTOPS", if smoke { 3 } else { 50 });
    let url = salesplan_test_servers::postgres::Cluster::get().database();
    let pool = db::connect(&url, 4).await.unwrap();
    db::migrate(&pool).await.unwrap();
    let company = admin::create_company(&pool, "Load", "EUR").await.unwrap();
    let location = Uuid::now_v7();
    let mut users = Vec::new();
    for n in 0..laptops {
        let user = admin::add_user(
            &pool,
            NewUser {
                username: format!("salesman{n}"),
                display_name: String::new(),
                role: Role::Salesman,
                department_id: None,
                location_id: Some(location),
                password: PASSWORD.into(),
            },
        )
        .await
        .unwrap();
        users.push(user);
    }
    eprintln!("{laptops} users added; starting the server");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let _serving = Serving(
        Command::new(salesplan_server_tests::binary("salesplan-server"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .env("SALESPLAN_DATABASE_URL", &url)
            .env("SALESPLAN_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(laptops as usize)
        .build()
        .unwrap();
    for _ in 0..100 {
        if http.get(format!("{base}/health")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let reference =
        support::reference(&pool, &http, &base, PASSWORD, company.epoch, location).await;
    drop(pool);
    // All sign in at once first (argon2 on the server's two cores); the load
    // measured is the pushes and pulls of laptops already signed in.
    let started = Instant::now();
    let mut signing_in = Vec::new();
    for user in users {
        let (http, base) = (http.clone(), base.clone());
        signing_in.push(tokio::spawn(async move {
            let token = support::sign_in(&http, &base, &user.username, PASSWORD).await;
            (user, token)
        }));
    }
    let mut signed_in = Vec::new();
    for task in signing_in {
        signed_in.push(task.await.unwrap());
    }
    eprintln!(
        "server up at {base}; {laptops} sign-ins at once took {:.2} s; loading for {seconds} s",
        started.elapsed().as_secs_f64()
    );
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for (n, (user, token)) in signed_in.into_iter().enumerate() {
        let (http, base, epoch) = (http.clone(), base.clone(), company.epoch);
        tasks.push(tokio::spawn(async move {
            let laptop = Uuid::new_v4();
            let scope = ScopeFacts {
                owner_id: Some(user.id),
                department_id: None,
                location_id: Some(location),
                other_location_id: None,
            };
            let (mut next, mut cursor, mut pushes) = (1, 0, 0u64);
            let mut latencies = Vec::new();
            // Laptops do not all start at the same instant.
            tokio::time::sleep(Duration::from_millis(n as u64 * 7 % 200)).await;
            while Instant::now() < deadline {
                let mutations =
                    support::sales(next..next + BATCH, laptop, user.id, scope, reference);
                let start = Instant::now();
                let answer = http
                    .post(format!("{base}/sync/push"))
                    .bearer_auth(&token)
                    .json(&json!({ "client_id": laptop, "epoch": epoch, "mutations": mutations }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(answer.status(), 200);
                let answer: PushResponse = answer.json().await.unwrap();
                latencies.push(start.elapsed());
                assert_eq!(answer.last_mutation_id, next + BATCH - 1);
                next += BATCH;
                pushes += 1;
                if pushes % 5 == 0 {
                    let page = support::pull(&http, &base, &token, epoch, cursor, 1000).await;
                    cursor = page.cursor;
                }
                tokio::time::sleep(Duration::from_millis(100 + (next as u64 * 13) % 150)).await;
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    latencies.sort();
    let at = |share: f64| {
        let index =
            ((latencies.len() as f64 * share).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[index].as_secs_f64() * 1e3
    };
    println!(
        "{laptops} laptops for {seconds} s: {} pushes of {BATCH} changes ({:.0} changes/s); push latency p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, worst {:.1} ms",
        latencies.len(),
        latencies.len() as f64 * BATCH as f64 / seconds as f64,
        at(0.50),
        at(0.95),
        at(0.99),
        at(1.0),
    );
}
