//! Head office with laptops, tested and measured outside the server crate: the
//! laptops are the core on SQLite, and the server itself links no SQLite (its
//! dependency tree, dev-dependencies included, shows none).
//!
//! Integration tests only see binaries of their own package, so this crate
//! builds the workspace's `salesplan-server` and `salesplan` itself.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The folder the running test or bench was built into (`target/debug`,
/// `target/release`), with `salesplan-server` and `salesplan` built in it as
/// they are now (cargo makes that a no-op when nothing changed).
///
/// # Panics
/// When the binaries cannot be built: a test cannot go on without them.
#[allow(clippy::panic)]
pub fn binaries() -> &'static PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let running = std::env::current_exe().unwrap_or_else(|error| panic!("{error}"));
        // target/<profile>/deps/<test>-<hash>
        let Some(dir) = running.parent().and_then(|deps| deps.parent()) else {
            panic!("{} is not in a cargo target folder", running.display());
        };
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        // Under scripts/test-dates.sh the tests run on a shifted clock; cargo keeps the real one.
        build
            .env_remove("LD_PRELOAD")
            .env_remove("FAKETIME")
            .arg("build")
            .arg("--quiet");
        if dir.ends_with("release") {
            build.args(["--release", "-p", "salesplan-server", "-p", "salesplan-cli"]);
        } else {
            // What `cargo test --workspace` builds, so its features match and this is a no-op after it.
            build.args(["--workspace", "--tests"]);
        }
        let built = build
            .status()
            .unwrap_or_else(|error| panic!("cargo build: {error}"));
        assert!(
            built.success(),
            "building salesplan-server and salesplan failed"
        );
        dir.to_path_buf()
    })
}

/// The path of one of the workspace's binaries, built.
pub fn binary(name: &str) -> PathBuf {
    binaries().join(name)
}
