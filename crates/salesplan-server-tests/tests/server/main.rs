//! The server against a real PostgreSQL (see `postgres.rs`), over real HTTP.
#![allow(clippy::unwrap_used, clippy::panic)]

mod adversary;
mod api;
mod binary;
mod head_office;
mod hostile;
mod laptops;
mod records;
mod reports;
mod sim;
mod sync;
mod transfers;
mod walkthrough;

use salesplan_core::Role;
use salesplan_server::admin::{self, NewUser};

pub const PASSWORD: &str = "head-office-1";

/// A server on a fresh database with a company, an administrator and a
/// salesman, listening on a free loopback port.
pub struct Server {
    pub base: String,
    /// The database's URL (for dump and restore).
    pub url: String,
    pub pool: deadpool_postgres::Pool,
    pub http: reqwest::Client,
    serving: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// A finished test's server lets go of its connections (many seeds share one cluster).
impl Drop for Server {
    fn drop(&mut self) {
        self.serving.abort();
        self.pool.close();
    }
}

impl Server {
    /// Head office with olivia (administrator) and sam (salesman), no scope.
    pub async fn start() -> Server {
        Server::start_with(&head_office::unscoped(&[
            ("olivia", Role::Administrator),
            ("sam", Role::Salesman),
        ]))
        .await
    }

    /// Head office with `users` (each with `PASSWORD`).
    pub async fn start_with(users: &[head_office::Account]) -> Server {
        let office = head_office::start("Lakeside Trading GmbH").await;
        let pool = office.pool;
        head_office::add_users(&pool, users, PASSWORD).await;
        Server {
            base: office.base,
            url: office.url,
            pool,
            http: reqwest::Client::new(),
            serving: office.serving,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Adds a user with a scope; answers their id.
    pub async fn add_user(
        &self,
        username: &str,
        role: Role,
        department_id: Option<uuid::Uuid>,
        location_id: Option<uuid::Uuid>,
    ) -> uuid::Uuid {
        admin::add_user(
            &self.pool,
            NewUser {
                username: username.into(),
                display_name: String::new(),
                role,
                department_id,
                location_id,
                password: PASSWORD.into(),
            },
        )
        .await
        .unwrap()
        .id
    }

    /// GETs a path and reads its JSON answer.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let answer = self.http.get(self.url(path)).send().await.unwrap();
        answer.json().await.unwrap()
    }

    pub async fn epoch(&self) -> uuid::Uuid {
        self.get_json("/health").await["epoch"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    }

    /// Signs in; answers the token.
    pub async fn token(&self, username: &str) -> String {
        let response = self
            .http
            .post(self.url("/auth/login"))
            .json(&serde_json::json!({ "username": username, "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }
}

pub async fn error_of(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.unwrap();
    (
        status,
        body["error"].as_str().unwrap_or_default().to_owned(),
    )
}

pub async fn user_id(server: &Server, username: &str) -> uuid::Uuid {
    let client = server.pool.get().await.unwrap();
    client
        .query_one("SELECT id FROM users WHERE username = $1", &[&username])
        .await
        .unwrap()
        .get(0)
}

pub async fn admin_id(server: &Server) -> uuid::Uuid {
    user_id(server, "olivia").await
}
