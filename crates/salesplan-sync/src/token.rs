//! The sign-in token lives in the OS keychain (macOS Keychain, Windows
//! Credential Manager, the Secret Service on Linux: GNOME Keyring, KWallet),
//! never in the ledger or a config file. Where no keychain answers, the token
//! is kept only while the program runs and the user is told so.

use keyring::Entry;

const SERVICE: &str = "salesplan";

/// No keychain could keep the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoKeychain(pub String);

impl std::fmt::Display for NoKeychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "no OS keychain is available ({}): the sign-in lasts only while Salesplan runs, and you will be asked for your password next time. Install or unlock a keychain (GNOME Keyring or KWallet on Linux) to stay signed in",
            self.0
        )
    }
}

fn entry(account: &str) -> Result<Entry, NoKeychain> {
    Entry::new(SERVICE, account).map_err(|error| NoKeychain(error.to_string()))
}

fn account(server_url: &str, username: &str) -> String {
    format!("{username}@{server_url}")
}

/// The token kept for this account on this server, if any.
pub fn load(server_url: &str, username: &str) -> Result<Option<String>, NoKeychain> {
    load_secret(&account(server_url, username))
}

pub fn save(server_url: &str, username: &str, token: &str) -> Result<(), NoKeychain> {
    save_secret(&account(server_url, username), token)
}

pub fn forget(server_url: &str, username: &str) -> Result<(), NoKeychain> {
    forget_secret(&account(server_url, username))
}

/// A secret kept under an account name of its own (a data source's password
/// is kept as `source:<id>`), if any.
pub fn load_secret(account: &str) -> Result<Option<String>, NoKeychain> {
    match entry(account)?.get_password() {
        Ok(secret) => Ok(Some(secret)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(error) => Err(NoKeychain(error.to_string())),
    }
}

pub fn save_secret(account: &str, secret: &str) -> Result<(), NoKeychain> {
    entry(account)?
        .set_password(secret)
        .map_err(|error| NoKeychain(error.to_string()))
}

pub fn forget_secret(account: &str) -> Result<(), NoKeychain> {
    match entry(account)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(error) => Err(NoKeychain(error.to_string())),
    }
}
