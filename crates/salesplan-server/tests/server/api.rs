//! Sign-in, tokens, health, the OpenAPI description and bad requests.

use crate::{PASSWORD, Server, error_of};
use salesplan_server::admin;

#[tokio::test]
async fn a_user_signs_in_and_the_token_works_until_revoked() {
    let server = Server::start().await;
    let wrong = server
        .http
        .post(server.url("/auth/login"))
        .json(&serde_json::json!({ "username": "sam", "password": "not-it-at-all" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(wrong).await,
        (401, "wrong username or password".into())
    );

    let login: serde_json::Value = server
        .http
        .post(server.url("/auth/login"))
        .json(&serde_json::json!({ "username": "SAM", "password": PASSWORD }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(login["user"]["username"], "sam");
    assert_eq!(login["user"]["role"], "salesman");
    assert_eq!(login["token"].as_str().unwrap().len(), 64);
    let epoch = admin::create_company(&server.pool, "Second", "EUR").await;
    assert!(epoch.is_err(), "one company per server");

    let token = login["token"].as_str().unwrap();
    let me = |token: String| {
        let request = server.http.get(server.url("/auth/me")).bearer_auth(token);
        async move { request.send().await.unwrap() }
    };
    let answer = me(token.to_owned()).await;
    assert_eq!(answer.status(), 200);
    let user: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(user["username"], "sam");

    let none = server
        .http
        .get(server.url("/auth/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(none).await.0, 401);
    assert_eq!(
        error_of(me("f".repeat(64)).await).await,
        (401, "unknown token: sign in again".into())
    );

    // Signing out revokes this token only.
    let second = server.token("sam").await;
    let out = server
        .http
        .post(server.url("/auth/logout"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert!(
        error_of(me(token.to_owned()).await)
            .await
            .1
            .contains("revoked")
    );
    assert_eq!(me(second.clone()).await.status(), 200);

    // Deactivating the user revokes every token and refuses sign-in.
    assert_eq!(
        admin::deactivate_user(&server.pool, "sam").await.unwrap(),
        1
    );
    assert!(error_of(me(second).await).await.1.contains("revoked"));
    let refused = server
        .http
        .post(server.url("/auth/login"))
        .json(&serde_json::json!({ "username": "sam", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(refused).await,
        (
            403,
            "the account 'sam' is deactivated; ask head office".into()
        )
    );
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let server = Server::start().await;
    let token = server.token("olivia").await;
    let client = server.pool.get().await.unwrap();
    client
        .execute(
            "UPDATE tokens SET expires_at = now() - interval '1 minute'",
            &[],
        )
        .await
        .unwrap();
    let answer = server
        .http
        .get(server.url("/auth/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(answer).await,
        (401, "this token has expired: sign in again".into())
    );
}

#[tokio::test]
async fn health_and_the_openapi_description() {
    let server = Server::start().await;
    let health: serde_json::Value = server.get_json("/health").await;
    assert_eq!(health["status"], "ok");
    assert_eq!(health["epoch"].as_str().unwrap().len(), 36);
    let api: serde_json::Value = server.get_json("/openapi.json").await;
    assert!(api["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/health", "/auth/login", "/auth/me", "/auth/logout"] {
        assert!(
            api["paths"][path].is_object(),
            "{path} missing from the description"
        );
    }
    assert_eq!(
        api["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[tokio::test]
async fn bad_requests_get_a_reason_and_the_server_keeps_serving() {
    let server = Server::start().await;
    let login = server.url("/auth/login");
    let malformed = server
        .http
        .post(&login)
        .header("content-type", "application/json")
        .body("{\"username\": ")
        .send()
        .await
        .unwrap();
    let (status, reason) = error_of(malformed).await;
    assert_eq!(status, 400);
    assert!(
        reason.contains("Failed to parse the request body as JSON"),
        "{reason}"
    );
    let missing = server
        .http
        .post(&login)
        .json(&serde_json::json!({ "username": "sam" }))
        .send()
        .await
        .unwrap();
    let (status, reason) = error_of(missing).await;
    assert_eq!(status, 422);
    assert!(reason.contains("missing field `password`"), "{reason}");
    let huge = "x".repeat(salesplan_server::api::MAX_BODY_BYTES + 1);
    let oversized = server
        .http
        .post(&login)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(oversized.status(), 413);
    let unknown = server
        .http
        .get(server.url("/nothing/here"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(unknown).await,
        (404, "no such endpoint; see /openapi.json".into())
    );
    assert_eq!(
        server
            .http
            .get(server.url("/health"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

/// Sign-ins at once, more than the server's connection pool holds (8 here):
/// each must answer (a sign-in once took a second connection while holding
/// one, and 16 at once hung the server for good).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_laptops_signing_in_at_once_all_get_an_answer() {
    let server = Server::start().await;
    let logins = (0..24).map(|_| {
        let (http, url) = (server.http.clone(), server.url("/auth/login"));
        tokio::spawn(async move {
            http.post(url)
                .json(&serde_json::json!({ "username": "sam", "password": PASSWORD }))
                .send()
                .await
                .unwrap()
                .status()
        })
    });
    let answers = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        all_answers(logins.collect()),
    )
    .await
    .expect("every sign-in answers");
    assert!(answers.iter().all(|status| *status == 200), "{answers:?}");
}

async fn all_answers(
    tasks: Vec<tokio::task::JoinHandle<reqwest::StatusCode>>,
) -> Vec<reqwest::StatusCode> {
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}
