//! `salesplan-server` as an operator runs it: migrate, company, users, serve
//! over HTTP and HTTPS, a graceful stop on SIGTERM.

use salesplan_test_servers::postgres::Cluster;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn server(url: &str, args: &[&str]) -> Command {
    let mut command = Command::new(salesplan_server_tests::binary("salesplan-server"));
    command
        .args(args)
        .env("SALESPLAN_DATABASE_URL", url)
        .env("SALESPLAN_NEW_PASSWORD", "head-office-2")
        .env("SALESPLAN_LOG", "warn");
    command
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn wait_for(client: &reqwest::Client, url: &str) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(answer) = client.get(url).send().await {
            return answer.json().await.unwrap();
        }
        assert!(Instant::now() < deadline, "the server did not answer {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn stop(mut child: Child) {
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "a graceful stop exits 0: {status}");
}

#[tokio::test]
async fn an_operator_sets_up_and_serves_over_http_and_https() {
    let url = Cluster::get().database();
    // Every migration head office ships, on a new database.
    let shipped = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../salesplan-server/migrations"
    ))
    .unwrap()
    .count();
    assert_eq!(
        ok(server(&url, &["migrate"]).output().unwrap()).trim(),
        format!("{shipped} migration(s) applied")
    );
    assert_eq!(
        ok(server(&url, &["migrate"]).output().unwrap()).trim(),
        "0 migration(s) applied"
    );
    let company: serde_json::Value = serde_json::from_str(&ok(server(
        &url,
        &[
            "company",
            "create",
            "--name",
            "Fjord Foods AS",
            "--currency",
            "nok",
        ],
    )
    .output()
    .unwrap()))
    .unwrap();
    assert_eq!(company["currency"], "NOK");
    ok(server(
        &url,
        &[
            "user",
            "add",
            "olivia",
            "--role",
            "administrator",
            "--name",
            "Olivia",
        ],
    )
    .output()
    .unwrap());
    let bad = server(&url, &["user", "add", "bob", "--role", "boss"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&bad.stderr).contains("'boss' is not a role"));
    let users: serde_json::Value =
        serde_json::from_str(&ok(server(&url, &["user", "list"]).output().unwrap())).unwrap();
    assert_eq!(users[0]["username"], "olivia");
    assert_eq!(users[0]["role"], "administrator");

    // Plain HTTP.
    let port = free_port();
    let child = server(&url, &["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let http = reqwest::Client::new();
    let health = wait_for(&http, &format!("http://127.0.0.1:{port}/health")).await;
    assert_eq!(health["epoch"], company["epoch"]);
    stop(child);

    // HTTPS with a certificate made for the test.
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-keyout",
        ])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let port = free_port();
    let child = server(
        &url,
        &[
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--tls-cert",
        ],
    )
    .arg(&cert)
    .arg("--tls-key")
    .arg(&key)
    .spawn()
    .unwrap();
    let https = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let health = wait_for(&https, &format!("https://127.0.0.1:{port}/health")).await;
    assert_eq!(health["status"], "ok");
    assert_eq!(health["epoch"], company["epoch"]);
    // A laptop trusts the certificate once told to (SALESPLAN_CA_CERT), and says why it does not otherwise.
    let base = format!("https://localhost:{port}");
    let pem = std::fs::read(&cert).unwrap();
    let (trusted, untrusted) = tokio::task::spawn_blocking(move || {
        use salesplan_sync::{Http, Transport};
        (
            Http::trusting(&base, Some(&pem)).unwrap().health(),
            Http::trusting(&base, None).unwrap().health(),
        )
    })
    .await
    .unwrap();
    assert_eq!(
        trusted.unwrap().epoch.map(|epoch| epoch.to_string()),
        company["epoch"].as_str().map(str::to_owned)
    );
    let why = untrusted.unwrap_err().to_string();
    assert!(
        why.contains("certificate is not trusted") && why.contains("SALESPLAN_CA_CERT"),
        "{why}"
    );
    // After a physical restore the operator renews the epoch: laptops read the feed again.
    let renewed = ok(server(&url, &["epoch", "renew"]).output().unwrap());
    let health = wait_for(&https, &format!("https://127.0.0.1:{port}/health")).await;
    assert_ne!(health["epoch"], company["epoch"]);
    assert!(
        renewed.contains(health["epoch"].as_str().unwrap()),
        "{renewed}"
    );
    stop(child);

    let missing = server(&url, &["serve", "--tls-cert"])
        .arg(&cert)
        .output()
        .unwrap();
    assert!(
        !missing.status.success(),
        "a certificate without its key is refused"
    );
}

/// A server process whose clock runs behind its database's (another host,
/// or a test under scripts/test-dates.sh) handed out tokens born expired: it
/// set the expiry by its own clock and PostgreSQL checked it by its own. The
/// database's clock now does both.
#[tokio::test]
async fn a_server_whose_clock_is_behind_its_database_hands_out_tokens_that_work() {
    let url = Cluster::get().database();
    ok(server(
        &url,
        &[
            "company",
            "create",
            "--name",
            "Clock Test",
            "--currency",
            "EUR",
        ],
    )
    .output()
    .unwrap());
    ok(
        server(&url, &["user", "add", "olivia", "--role", "administrator"])
            .output()
            .unwrap(),
    );
    let port = free_port();
    // The server's clock 40 days behind (Debian's libfaketime), tokens lasting 30.
    let libfaketime = std::fs::read_dir("/usr/lib")
        .unwrap()
        .filter_map(|entry| Some(entry.ok()?.path().join("faketime/libfaketime.so.1")))
        .find(|path| path.exists())
        .expect("libfaketime (Debian's faketime package; scripts/setup.sh installs it)");
    let child = server(&url, &["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("LD_PRELOAD", libfaketime)
        .env("FAKETIME", "-40d")
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed if an assertion fails: left running, it would hold the test's output open.
    struct Serving(Option<Child>);
    impl Drop for Serving {
        fn drop(&mut self) {
            if let Some(mut child) = self.0.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
    let mut serving = Serving(Some(child));
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let health = wait_for(&http, &format!("{base}/health")).await;
    let signed_in: serde_json::Value = http
        .post(format!("{base}/auth/login"))
        .json(&serde_json::json!({ "username": "olivia", "password": "head-office-2" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pulled = http
        .get(format!(
            "{base}/sync/pull?epoch={}&cursor=0&limit=10",
            health["epoch"].as_str().unwrap()
        ))
        .bearer_auth(signed_in["token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(pulled.status(), 200, "{}", pulled.text().await.unwrap());
    stop(serving.0.take().unwrap());
}

/// A token lifetime beyond what the database's interval holds is refused at
/// start-up, not by a panic at every sign-in.
#[test]
fn a_token_lifetime_out_of_range_is_refused_at_start() {
    for days in ["0", "3651", "9223372036854775807"] {
        let output = server("postgres://nowhere/none", &["serve", "--token-days", days])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "--token-days {days}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--token-days"), "{stderr}");
        assert!(stderr.contains("1..=3650"), "{stderr}");
    }
}
