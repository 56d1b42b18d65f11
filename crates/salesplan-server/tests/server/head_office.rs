//! A head office for tests and benches: a fresh database on the shared
//! PostgreSQL cluster (`postgres.rs`), migrated, with a company, served over
//! HTTP on a free loopback port. Users are added by the caller.
// Shared with the command line's tests and the benches, which read only some fields.
#![allow(dead_code)]

use super::postgres::Cluster;
use salesplan_server::admin::{self, Company};
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
    let serving = tokio::spawn(async move { axum::serve(listener, app).await });
    HeadOffice {
        base,
        url,
        pool,
        company,
        serving,
    }
}
