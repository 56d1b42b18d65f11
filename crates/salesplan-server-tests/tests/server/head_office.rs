//! A head office for tests and benches: a fresh database on the shared
//! PostgreSQL cluster (`postgres.rs`), migrated, with a company, served over
//! HTTP on a free loopback port. Users are added by the caller (`add_users`).
// Shared with the command line's tests and the benches, which read only some fields.
#![allow(dead_code)]

use super::postgres::Cluster;
use salesplan_core::Role;
use salesplan_server::admin::{self, Company, NewUser};
use salesplan_server::{AppState, db, router};

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
    let url = Cluster::get().database().await;
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

/// Adds accounts without a scope, all with `password`.
pub async fn add_users(pool: &deadpool_postgres::Pool, users: &[(&str, Role)], password: &str) {
    for (username, role) in users {
        admin::add_user(
            pool,
            NewUser {
                username: (*username).into(),
                display_name: String::new(),
                role: *role,
                department_id: None,
                location_id: None,
                password: password.into(),
            },
        )
        .await
        .unwrap();
    }
}

/// The demo company's administrator and salesmen: a demo ledger's whole
/// history travels (a change naming an account head office does not know stays).
pub fn demo_accounts() -> Vec<(&'static str, Role)> {
    let salesmen = salesplan_core::demo::SALESMEN.map(|(username, _)| (username, Role::Salesman));
    [("admin", Role::Administrator)]
        .into_iter()
        .chain(salesmen)
        .collect()
}
