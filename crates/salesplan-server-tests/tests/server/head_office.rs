//! A head office for tests and benches: a fresh database on the shared
//! PostgreSQL cluster (`postgres.rs`), migrated, with a company, served over
//! HTTP on a free loopback port. Users are added by the caller (`add_users`).
// Shared with the command line's tests and the benches, which read only some fields.
#![allow(dead_code)]

use salesplan_core::Role;
use salesplan_server::admin::{self, Company, NewUser};
use salesplan_server::{AppState, db, router};
use salesplan_test_servers::postgres::Cluster;

pub struct HeadOffice {
    /// Where it answers: `http://127.0.0.1:port`.
    pub base: String,
    /// The database's URL.
    pub url: String,
    pub pool: deadpool_postgres::Pool,
    pub company: Company,
    pub serving: tokio::task::JoinHandle<std::io::Result<()>>,
}

pub async fn start(company: &str) -> HeadOffice {
    let url = Cluster::get().database();
    let pool = db::connect(&url, 8).await.unwrap();
    db::migrate(&pool).await.unwrap();
    let company = admin::create_company(&pool, company, "EUR").await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = router(AppState::new(pool.clone()));
    let serving = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    HeadOffice {
        base,
        url,
        pool,
        company,
        serving,
    }
}

/// An account to add at head office: username, role, department, branch.
pub type Account = (String, Role, Option<uuid::Uuid>, Option<uuid::Uuid>);

/// Accounts without a scope.
pub fn unscoped(users: &[(&str, Role)]) -> Vec<Account> {
    users
        .iter()
        .map(|(username, role)| ((*username).to_owned(), *role, None, None))
        .collect()
}

/// Adds accounts, all with `password`.
pub async fn add_users(pool: &deadpool_postgres::Pool, users: &[Account], password: &str) {
    for (username, role, department_id, location_id) in users {
        admin::add_user(
            pool,
            NewUser {
                username: username.clone(),
                display_name: String::new(),
                role: *role,
                department_id: *department_id,
                location_id: *location_id,
                password: password.into(),
            },
        )
        .await
        .unwrap();
    }
}

/// A demo user's department and branch in the ledger at `ledger` (none for
/// an account the demo lacks).
pub fn demo_scope(
    ledger: &std::path::Path,
    username: &str,
) -> (Option<uuid::Uuid>, Option<uuid::Uuid>) {
    let conn = rusqlite::Connection::open(ledger).unwrap();
    let mut query = conn
        .prepare("SELECT department_id, location_id FROM users WHERE username = ?1")
        .unwrap();
    let id = |text: Option<String>| text.map(|text| text.parse().unwrap());
    query
        .query_map([username], |row| Ok((id(row.get(0)?), id(row.get(1)?))))
        .unwrap()
        .next()
        .map_or((None, None), Result::unwrap)
}

/// The demo ledger's administrator and salesmen, each with the department and
/// branch the ledger gives him (as `user add --department --branch` would):
/// the demo's whole history travels but what names its managers, supply chain
/// and branch manager, whom head office does not know (that stays on the laptop).
pub fn demo_accounts(ledger: &std::path::Path) -> Vec<Account> {
    let salesmen = salesplan_core::demo::SALESMEN.map(|(username, _)| (username, Role::Salesman));
    [("admin", Role::Administrator)]
        .into_iter()
        .chain(salesmen)
        .map(|(username, role)| {
            let (department, location) = demo_scope(ledger, username);
            (username.to_owned(), role, department, location)
        })
        .collect()
}
