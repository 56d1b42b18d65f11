//! A real PostgreSQL for the tests and benches, started from the system's binaries: one
//! cluster per test process (initdb + pg_ctl in a temp dir, a free port on
//! loopback), a fresh database per test. A watchdog stops the cluster and
//! removes its directory when the test process is gone. As root, the cluster
//! runs as the `postgres` user (initdb refuses root). Members of the role
//! `secured` must give their password; everyone else is trusted.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Cluster {
    port: u16,
}

fn bin_dir() -> PathBuf {
    if let Ok(output) = Command::new("pg_config").arg("--bindir").output()
        && output.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if dir.join("initdb").exists() {
            return dir;
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| entry.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
        .pop()
        .filter(|dir| dir.join("initdb").exists())
        .unwrap_or_else(|| {
            panic!("no PostgreSQL binaries (initdb): install the postgresql package")
        })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

/// `program` from the PostgreSQL bin dir, as the postgres user when we are root.
fn pg(bin: &Path, program: &str) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command
            .args(["-u", "postgres", "--"])
            .arg(bin.join(program));
        command
    } else {
        Command::new(bin.join(program))
    }
}

fn run(mut command: Command, what: &str) {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("{what}: {error}"));
    assert!(
        output.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .unwrap_or_else(|error| panic!("no free port: {error}"))
}

impl Cluster {
    fn start() -> Cluster {
        let bin = bin_dir();
        let dir =
            std::env::temp_dir().join(format!("salesplan-pg-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("temp dir: {error}"));
        if is_root() {
            run(
                {
                    let mut chown = Command::new("chown");
                    chown.args(["postgres:postgres"]).arg(&dir);
                    chown
                },
                "chown",
            );
        }
        let data = dir.join("data");
        let mut initdb = pg(&bin, "initdb");
        initdb.arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ]);
        run(initdb, "initdb");
        // Members of the role `secured` sign in with a password over TCP (the
        // data source tests' wrong-password case); everyone else is trusted.
        let hba = data.join("pg_hba.conf");
        let rules =
            std::fs::read_to_string(&hba).unwrap_or_else(|error| panic!("pg_hba.conf: {error}"));
        std::fs::write(
            &hba,
            format!("host all +secured 127.0.0.1/32 scram-sha-256\n{rules}"),
        )
        .unwrap_or_else(|error| panic!("pg_hba.conf: {error}"));
        let port = free_port();
        let mut start = pg(&bin, "pg_ctl");
        start
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("log"))
            .arg("-o")
            .arg(format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                dir.display()
            ))
            .args(["-w", "start"]);
        run(start, "pg_ctl start");
        // When this test process ends, stop the cluster and remove its files.
        let stop = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {prefix}{pg_ctl} -D {data} -m immediate stop >/dev/null 2>&1; rm -rf {dir}",
            pid = std::process::id(),
            prefix = if is_root() {
                "runuser -u postgres -- "
            } else {
                ""
            },
            pg_ctl = bin.join("pg_ctl").display(),
            data = data.display(),
            dir = dir.display(),
        );
        // Detached on purpose: it must outlive this process, so it is never waited for.
        #[allow(clippy::zombie_processes)]
        Command::new("sh")
            .args(["-c", &stop])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("watchdog: {error}"));
        let cluster = Cluster { port };
        cluster.sql("postgres", "CREATE ROLE secured NOLOGIN");
        cluster
    }

    /// The cluster of this test process, started on first use.
    pub fn get() -> &'static Cluster {
        static CLUSTER: OnceLock<Cluster> = OnceLock::new();
        CLUSTER.get_or_init(Cluster::start)
    }

    /// A new, empty database; answers its URL.
    pub fn database(&self) -> String {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "t{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        self.sql("postgres", &format!("CREATE DATABASE {name}"));
        self.url(&name)
    }

    /// The URL of a database of the cluster, signing in as `postgres`.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Runs SQL in a database of the cluster as `postgres` (psql, stopping at the first error).
    pub fn sql(&self, database: &str, sql: &str) {
        let mut psql = Command::new(bin_dir().join("psql"));
        psql.args([
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
        ])
        .args(["-p", &self.port.to_string(), "-d", database, "-c", sql]);
        run(psql, "psql");
    }

    /// Dumps a database (pg_dump, custom format) to a file readable by pg_restore.
    pub fn dump(&self, url: &str, file: &Path) {
        let name = url.rsplit('/').next().unwrap_or_default();
        let mut dump = Command::new(bin_dir().join("pg_dump"));
        dump.args(["-h", "127.0.0.1", "-U", "postgres", "-Fc", "-f"])
            .arg(file)
            .args(["-p", &self.port.to_string(), name]);
        run(dump, "pg_dump");
    }

    /// Replaces a database with a dump, as an operator restoring a backup does:
    /// the database is dropped (its connections cut) and created again.
    pub fn restore(&self, url: &str, file: &Path) {
        let name = url.rsplit('/').next().unwrap_or_default().to_owned();
        self.sql("postgres", &format!("DROP DATABASE {name} WITH (FORCE)"));
        self.sql("postgres", &format!("CREATE DATABASE {name}"));
        let mut restore = Command::new(bin_dir().join("pg_restore"));
        restore
            .args(["-h", "127.0.0.1", "-U", "postgres"])
            .args(["-p", &self.port.to_string(), "-d", &name])
            .arg(file);
        run(restore, "pg_restore");
    }
}
