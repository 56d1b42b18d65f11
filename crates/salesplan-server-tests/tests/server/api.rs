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

/// Guessing passwords: after five free failures an account waits, twice as
/// long each time, answered 429 with Retry-After (the right password too,
/// while it waits); an unknown name costs the same time as a known one.
#[tokio::test]
async fn password_guessing_is_throttled_and_unknown_names_take_as_long() {
    let server = Server::start().await;
    let attempt = |username: &str, password: &str| {
        let request = server
            .http
            .post(server.url("/auth/login"))
            .json(&serde_json::json!({ "username": username, "password": password }));
        async move {
            let started = std::time::Instant::now();
            let response = request.send().await.unwrap();
            (response, started.elapsed())
        }
    };
    let mut known = Vec::new();
    for _ in 0..salesplan_server::throttle::FREE_PER_ACCOUNT {
        let (answer, took) = attempt("sam", "not-it-at-all").await;
        assert_eq!(answer.status(), 401);
        known.push(took);
    }
    let (answer, _) = attempt("sam", "not-it-at-all").await;
    assert_eq!(answer.status(), 401, "the sixth failure is counted");
    let (locked, _) = attempt("sam", PASSWORD).await;
    assert_eq!(locked.status(), 429);
    assert_eq!(locked.headers()["retry-after"], "1");
    let (_, reason) = error_of(locked).await;
    assert!(reason.contains("too many failed sign-ins"), "{reason}");
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let (open, _) = attempt("sam", PASSWORD).await;
    assert_eq!(
        open.status(),
        200,
        "after the wait, the right password works"
    );

    let mut unknown = Vec::new();
    for n in 0..5 {
        let (answer, took) = attempt(&format!("nobody{n}"), "not-it-at-all").await;
        assert_eq!(answer.status(), 401);
        unknown.push(took);
    }
    known.sort();
    unknown.sort();
    let (known, unknown) = (known[2], unknown[2]);
    assert!(
        unknown * 2 > known,
        "an unknown name is refused as slowly as a wrong password: {unknown:?} against {known:?}"
    );
    let (nul, _) = attempt("sam\u{0}", PASSWORD).await;
    assert_eq!(
        error_of(nul).await,
        (
            400,
            "username: must be at most 200 characters, without control characters".into()
        )
    );
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let server = Server::start().await;
    let token = server.token("sam").await;
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let answer = server
            .http
            .get(server.url("/auth/me"))
            .header("authorization", format!("{scheme} {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{scheme}");
    }
}

/// Every status the server answers on each endpoint is in /openapi.json.
#[tokio::test]
async fn the_openapi_description_lists_every_status_the_server_answers() {
    use salesplan_core::sync::protocol::SCHEMA_VERSION;
    let server = Server::start().await;
    let api: serde_json::Value = server.get_json("/openapi.json").await;
    let token = server.token("sam").await;
    let epoch = server.epoch().await;
    let http = &server.http;
    let login = server.url("/auth/login");
    let push = server.url("/sync/push");
    let json_body = |body: &str| {
        http.post(&push)
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body.to_owned())
    };
    let sale = |id: i64, schema: i64| {
        serde_json::json!({
            "mutation_id": id, "op_uuid": uuid::Uuid::now_v7(), "entity": "actual_sale",
            "entity_id": uuid::Uuid::now_v7(), "kind": "appended", "payload": {}, "base_version": null,
            "hlc": format!("1-0-{}", uuid::Uuid::nil()), "user_id": uuid::Uuid::nil(),
            "schema_version": schema, "scope": { "owner_id": null, "department_id": null, "location_id": null },
        })
    };
    let (sam, laptop) = (crate::user_id(&server, "sam").await, uuid::Uuid::new_v4());
    let batch = |mutations: Vec<serde_json::Value>| serde_json::json!({ "client_id": laptop, "epoch": epoch, "mutations": mutations });
    let fixed = |mut mutation: serde_json::Value| {
        mutation["user_id"] = serde_json::json!(sam);
        mutation
    };
    let one = fixed(sale(1, SCHEMA_VERSION));
    let cases: Vec<(&str, &str, reqwest::RequestBuilder)> = vec![
        ("post", "/auth/login", http.post(&login).json(&serde_json::json!({ "username": "sam", "password": PASSWORD }))),
        ("post", "/auth/login", http.post(&login).header("content-type", "application/json").body("{")),
        ("post", "/auth/login", http.post(&login).json(&serde_json::json!({ "username": "sam", "password": "wrong" }))),
        ("post", "/auth/login", http.post(&login).body("username=sam")),
        ("post", "/auth/login", http.post(&login).json(&serde_json::json!({ "username": "sam" }))),
        ("get", "/auth/me", http.get(server.url("/auth/me"))),
        ("post", "/sync/push", http.post(&push).bearer_auth(&token).json(&batch(vec![one.clone()]))),
        ("post", "/sync/push", json_body("{")),
        ("post", "/sync/push", http.post(&push).json(&batch(vec![]))),
        ("post", "/sync/push", http.post(&push).bearer_auth(&token).json(&batch(vec![fixed(sale(5, SCHEMA_VERSION))]))),
        ("post", "/sync/push", http.post(&push).bearer_auth(&token).json(&serde_json::json!({ "client_id": laptop, "epoch": uuid::Uuid::new_v4(), "mutations": [] }))),
        ("post", "/sync/push", http.post(&push).bearer_auth(&token).body("{}")),
        ("post", "/sync/push", json_body("{\"client_id\": 1}")),
        ("post", "/sync/push", http.post(&push).bearer_auth(&token).json(&batch(vec![fixed(sale(2, SCHEMA_VERSION - 2))]))),
        ("post", "/sync/push", http.post(&push).bearer_auth(&token).json(&batch((1..=1001).map(|n| fixed(sale(n, SCHEMA_VERSION))).collect()))),
        ("get", "/sync/pull", http.get(server.url(&format!("/sync/pull?epoch={epoch}"))).bearer_auth(&token)),
        ("get", "/sync/pull", http.get(server.url("/sync/pull?cursor=x")).bearer_auth(&token)),
        ("get", "/sync/pull", http.get(server.url(&format!("/sync/pull?epoch={epoch}")))),
        ("get", "/sync/pull", http.get(server.url(&format!("/sync/pull?epoch={}", uuid::Uuid::new_v4()))).bearer_auth(&token)),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (method, path, request) in cases {
        let status = request.send().await.unwrap().status().as_u16().to_string();
        let documented = &api["paths"][path][method]["responses"][&status];
        assert!(
            documented.is_object(),
            "{method} {path} answers {status}, which /openapi.json does not list"
        );
        seen.insert(format!("{method} {path} {status}"));
    }
    for expected in [
        "post /auth/login 415",
        "post /auth/login 422",
        "post /sync/push 409",
        "post /sync/push 426",
        "get /sync/pull 400",
    ] {
        assert!(
            seen.contains(expected),
            "the cases reach {expected}: {seen:?}"
        );
    }
}
