//! Being signed in to head office: the token kept in the keychain is tried
//! first (and forgotten once head office refuses it), else the password signs
//! in and the new token is kept. The command line and the app share this.

use crate::http::{Fault, Http, Transport};
use crate::token::{self, NoKeychain};
use uuid::Uuid;

/// A valid sign-in: the token and the user's id at head office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token: String,
    pub user_id: Uuid,
}

/// How resuming went besides its result: a note for the user, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notes(pub Vec<String>);

impl Notes {
    fn keychain(&mut self, missing: NoKeychain) {
        let note = missing.to_string();
        if !self.0.contains(&note) {
            self.0.push(note);
        }
    }
}

/// The kept sign-in for `username` at `server`, if head office still honours it.
pub fn resume(
    http: &Http,
    server: &str,
    username: &str,
    notes: &mut Notes,
) -> Result<Option<Session>, Fault> {
    let kept = match token::load(server, username) {
        Ok(kept) => kept,
        Err(missing) => {
            notes.keychain(missing);
            None
        }
    };
    let Some(kept) = kept else {
        return Ok(None);
    };
    match http.me(&kept) {
        Ok(user) => Ok(Some(Session {
            token: kept,
            user_id: user.id,
        })),
        Err(Fault::Unauthorized(why)) => {
            notes.0.push(format!(
                "the sign-in kept for {username} is no longer valid ({why}); sign in again"
            ));
            let _ = token::forget(server, username);
            Ok(None)
        }
        Err(fault) => Err(fault),
    }
}

/// Signs in with the password and keeps the token in the keychain.
pub fn sign_in(
    http: &Http,
    server: &str,
    username: &str,
    password: &str,
    notes: &mut Notes,
) -> Result<Session, Fault> {
    let answer = http.login(username, password)?;
    if let Err(missing) = token::save(server, username, &answer.token) {
        notes.keychain(missing);
    }
    Ok(Session {
        token: answer.token,
        user_id: answer.user.id,
    })
}

/// Revokes the token at head office (when it answers) and removes it from the keychain.
pub fn sign_out(server: &str, username: &str, kept: Option<&str>) -> Result<(), NoKeychain> {
    let kept = kept
        .map(str::to_owned)
        .or_else(|| token::load(server, username).ok().flatten());
    if let (Some(kept), Ok(http)) = (kept, Http::new(server)) {
        let _ = http.logout(&kept);
    }
    token::forget(server, username)
}
