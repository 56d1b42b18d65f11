//! The README's "Run a head-office server" section, run as written: its shell
//! blocks in order, with the real `salesplan-server` and `salesplan` binaries,
//! against a real PostgreSQL, then checked for what the section promises (sam's
//! laptop holds his history; both laptops keep syncing new work). Only what a
//! test cannot do as a reader would is changed: the host `head-office` and
//! port 8787 become loopback and a free port, the database URL is the test's,
//! `cargo build` is already done, and the commands run in a temp dir.

use crate::binary::free_port;
use salesplan_test_servers::postgres::Cluster;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The shell commands of the README's head-office section, in order, a
/// command continued over lines (`\`) joined into one.
fn readme_commands() -> Vec<String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    let section = readme
        .split("\n## ")
        .find(|section| section.starts_with("Run a head-office server"))
        .expect("the README has a head-office section");
    let mut commands = Vec::new();
    let mut in_block = false;
    let mut pending = String::new();
    for line in section.lines() {
        match line.trim_end() {
            "```sh" => in_block = true,
            "```" => in_block = false,
            text if in_block => {
                pending.push_str(text.strip_suffix('\\').unwrap_or(text));
                if !text.ends_with('\\') {
                    commands.push(std::mem::take(&mut pending));
                }
            }
            _ => {}
        }
    }
    commands
}

struct Reader {
    dir: PathBuf,
    env: HashMap<String, String>,
    port: u16,
    serving: Vec<Child>,
}

impl Drop for Reader {
    fn drop(&mut self) {
        for child in &mut self.serving {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Reader {
    /// A README command as this test runs it.
    fn local(&self, command: &str) -> String {
        let port = self.port;
        command
            .replace("head-office:8787", &format!("localhost:{port}"))
            .replace("0.0.0.0:8787", &format!("127.0.0.1:{port}"))
            .replace("head-office", "localhost")
    }

    fn shell(&self, command: &str) -> Command {
        let mut shell = Command::new("bash");
        // The reader's environment (a shifted clock too: scripts/test-dates.sh),
        // without a session bus: the sign-in is not kept in a real keychain.
        shell
            .args(["-c", command])
            .current_dir(&self.dir)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("SALESPLAN_PASSWORD")
            .env_remove("SALESPLAN_NEW_PASSWORD")
            .envs(&self.env);
        shell
    }

    /// Runs one command as a reader would; answers what it printed.
    fn run(&mut self, command: &str) -> String {
        let command = self.local(command);
        if command.starts_with("cargo build") {
            return String::new();
        }
        if let Some(assignment) = command.strip_prefix("export ") {
            let (name, value) = assignment.split_once('=').unwrap();
            let value = value.split_whitespace().next().unwrap_or_default();
            if name != "SALESPLAN_DATABASE_URL" {
                self.env.insert(name.into(), value.into());
            }
            return String::new();
        }
        if let Some(background) = command
            .split(" # ")
            .next()
            .unwrap()
            .trim()
            .strip_suffix('&')
        {
            let child = self
                .shell(background)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            self.serving.push(child);
            self.wait_for_head_office();
            return String::new();
        }
        let output = self.shell(&command).output().unwrap();
        let said = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "`{command}` failed:\n{said}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        said
    }

    fn wait_for_head_office(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let health = format!(
            "curl -sf --cacert cert.pem https://localhost:{}/health",
            self.port
        );
        while !self.shell(&health).output().unwrap().status.success() {
            assert!(Instant::now() < deadline, "head office did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// `salesplan` as `user` with `password`, printing JSON.
    fn json(&mut self, password: &str, args: &str) -> serde_json::Value {
        let said = self.run(&format!(
            "SALESPLAN_PASSWORD={password} salesplan --json {args}"
        ));
        serde_json::from_str(&said).unwrap_or_else(|error| panic!("{error}: {said}"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readmes_head_office_walkthrough_works_as_written() {
    let url = Cluster::get().database();
    let dir = tempfile::tempdir().unwrap();
    let path = format!(
        "{}:{}",
        salesplan_server_tests::binaries().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let env: HashMap<String, String> = [
        ("PATH", path),
        ("HOME", dir.path().display().to_string()),
        ("SALESPLAN_DATABASE_URL", url),
        (
            "SALESPLAN_DB",
            dir.path().join("laptop.db").display().to_string(),
        ),
        ("SALESPLAN_LOG", "warn".into()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    let mut reader = Reader {
        dir: dir.path().to_path_buf(),
        env,
        port: free_port(),
        serving: Vec::new(),
    };
    tokio::task::spawn_blocking(move || {
        let commands = readme_commands();
        assert!(commands.len() >= 10, "{commands:?}");
        let mut said = Vec::new();
        for command in &commands {
            said.push((command.clone(), reader.run(command)));
        }

        // Head office answered its health check.
        let health = &said.iter().find(|(command, _)| command.starts_with("curl")).unwrap().1;
        assert!(health.contains("\"status\":\"ok\""), "{health}");
        // The first sync sent what head office may hold and kept the salesmen's
        // history here, saying why; the last of the commands show sam's history.
        let status = reader.json("admin-pass-1", "--user admin sync status");
        assert_eq!(status["pending"], 0, "{status}");
        let staying = status["staying"].to_string();
        assert!(staying.contains("names nina, whom head office does not know yet"), "{staying}");
        assert!(!staying.contains("names sam,"), "{staying}");
        let on_his_laptop = reader.json("sam-pass-1", "--db sam.db --user sam sales");
        let here = reader.json("salesplan-demo", "--user sam sales");
        assert_eq!(on_his_laptop, here, "sam's laptop holds his sales as the administrator's does");
        assert!(on_his_laptop["months"].as_array().unwrap().len() >= 30, "{on_his_laptop}");

        // New work on each laptop reaches the other.
        let month = here["months"].as_array().unwrap().last().unwrap()["period"]
            .as_str()
            .unwrap()
            .to_owned();
        reader.run(&format!(
            "SALESPLAN_PASSWORD=sam-pass-1 salesplan --db sam.db --user sam sales add --month {month} --sku HOU-020 --branch BR-N --quantity 7"
        ));
        reader.run("SALESPLAN_PASSWORD=sam-pass-1 salesplan --db sam.db --user sam sync");
        reader.run(
            "SALESPLAN_PASSWORD=admin-pass-1 salesplan --user admin products add BEV-901 --name 'Walkthrough Lemonade' --category BEV --price 2.50",
        );
        reader.run("SALESPLAN_PASSWORD=admin-pass-1 salesplan --user admin sync");
        reader.run("SALESPLAN_PASSWORD=sam-pass-1 salesplan --db sam.db --user sam sync");
        let on_his_laptop = reader.json("sam-pass-1", "--db sam.db --user sam sales");
        let here = reader.json("salesplan-demo", "--user sam sales");
        assert_eq!(on_his_laptop, here, "sam's new sale reached the administrator's laptop");
        let products = reader.run("SALESPLAN_PASSWORD=sam-pass-1 salesplan --db sam.db --user sam products list");
        assert!(products.contains("BEV-901"), "{products}");
        for (user, password, db) in [("admin", "admin-pass-1", "laptop.db"), ("sam", "sam-pass-1", "sam.db")] {
            let status = reader.json(password, &format!("--db {db} --user {user} sync status"));
            // A refusal says why: head office's own words, from `sync conflicts`.
            let why = match status["rejected"].as_i64() {
                Some(0) => String::new(),
                _ => reader.run(&format!("SALESPLAN_PASSWORD={password} salesplan --db {db} --user {user} sync conflicts")),
            };
            assert_eq!((status["pending"].as_i64(), status["rejected"].as_i64()), (Some(0), Some(0)), "{user}: {status}\n{why}");
            assert_eq!(status["set_aside"].as_i64(), Some(0), "{user}: {status}");
        }
    })
    .await
    .unwrap();
}
