//! Opening the ledger and signing in from the command line.

use crate::Context;
use anyhow::{Context as _, Result, bail};
use salesplan_core::{Actor, Ledger, users};
use std::io::IsTerminal;

pub fn open(context: &Context) -> Result<Ledger> {
    Ok(Ledger::open(&context.db)?)
}

/// The ledger and the signed-in user named by `--user`.
pub fn signed_in(context: &Context) -> Result<(Ledger, Actor)> {
    let ledger = open(context)?;
    let Some(username) = context.user.as_deref() else {
        bail!(
            "this command needs --user NAME (the password comes from SALESPLAN_PASSWORD or a prompt)"
        );
    };
    let password = secret("SALESPLAN_PASSWORD", &format!("Password for {username}: "))?;
    let actor = users::sign_in(&ledger, username, &password)?;
    Ok((ledger, actor))
}

/// A secret from an environment variable, else from a prompt on the terminal.
pub fn secret(variable: &str, prompt: &str) -> Result<String> {
    if let Ok(value) = std::env::var(variable) {
        return Ok(value);
    }
    if !std::io::stdin().is_terminal() {
        bail!("no terminal to ask for the password: set {variable}");
    }
    rpassword::prompt_password(prompt).context("cannot read the password")
}

/// A new password: from an environment variable, else typed twice.
pub fn new_secret(variable: &str, whose: &str) -> Result<String> {
    if let Ok(value) = std::env::var(variable) {
        return Ok(value);
    }
    let first = secret(variable, &format!("New password for {whose}: "))?;
    let again = secret(variable, "Repeat it: ")?;
    if first != again {
        bail!("the two passwords differ; nothing was changed");
    }
    Ok(first)
}
