//! The sign-in token in a real OS keychain: GNOME Keyring over the Secret
//! Service (D-Bus), in a session bus started for this test alone.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

use salesplan_sync::token;
use std::process::Command;

/// Set inside the session this test starts for itself.
const INSIDE: &str = "SALESPLAN_KEYCHAIN_SESSION";

#[test]
fn the_token_is_kept_in_gnome_keyring_per_account_and_forgotten_on_sign_out() {
    if std::env::var_os(INSIDE).is_none() {
        // This very test again, inside a D-Bus session with a new, unlocked
        // keyring of its own (never the keyring of whoever runs the tests).
        let keyrings = tempfile::tempdir().unwrap();
        let status = Command::new("dbus-run-session")
            .args([
                "--",
                "sh",
                "-c",
                "printf salesplan | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec \"$0\" \"$@\"",
            ])
            .arg(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "the_token_is_kept_in_gnome_keyring_per_account_and_forgotten_on_sign_out",
            ])
            .env(INSIDE, "1")
            .env("XDG_DATA_HOME", keyrings.path())
            .env("XDG_RUNTIME_DIR", keyrings.path())
            .status()
            .expect("dbus-run-session and gnome-keyring-daemon (scripts/setup.sh installs them)");
        assert!(
            status.success(),
            "the test inside the keyring session failed"
        );
        let kept = std::fs::read_dir(keyrings.path().join("keyrings")).unwrap();
        assert!(kept.count() > 0, "GNOME Keyring wrote no keyring file");
        return;
    }
    let server = "https://head-office.example:8443";
    assert_eq!(token::load(server, "nina"), Ok(None));
    token::save(server, "nina", "token-of-nina").unwrap();
    assert_eq!(
        token::load(server, "nina"),
        Ok(Some("token-of-nina".into()))
    );
    assert_eq!(
        token::load(server, "sam"),
        Ok(None),
        "each account has its own"
    );
    assert_eq!(
        token::load("https://other.example", "nina"),
        Ok(None),
        "and each server"
    );
    token::save(server, "nina", "a-newer-token").unwrap();
    assert_eq!(
        token::load(server, "nina"),
        Ok(Some("a-newer-token".into()))
    );
    token::forget(server, "nina").unwrap();
    assert_eq!(token::load(server, "nina"), Ok(None));
    token::forget(server, "nina").unwrap();
}
