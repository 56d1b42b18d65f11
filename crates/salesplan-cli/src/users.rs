//! `salesplan users …`

use crate::output::{self, Table};
use crate::reference::Codes;
use crate::{Context, session};
use anyhow::Result;
use clap::{Args, Subcommand};
use salesplan_core::users::{self, NewUser, User, UserProfile};
use salesplan_core::{Actor, Ledger, Role};

#[derive(Subcommand)]
pub enum UsersCommand {
    /// List every account.
    List,
    /// Add an account; its password comes from SALESPLAN_NEW_PASSWORD or a prompt.
    Add(AddArgs),
    /// Change an account's name, role or scope.
    Edit(EditArgs),
    /// Stop an account from signing in (its history stays).
    Deactivate { username: String },
    /// Let a deactivated account sign in again.
    Activate { username: String },
    /// Change your own password, or (administrators) reset someone else's.
    Passwd { username: Option<String> },
}

#[derive(Args)]
pub struct AddArgs {
    username: String,
    /// administrator, salesman, manager, supply-chain or branch-manager.
    #[arg(long)]
    role: String,
    /// The name shown in the app (default: the username).
    #[arg(long)]
    display_name: Option<String>,
    /// Department code (salesmen and managers need one).
    #[arg(long)]
    department: Option<String>,
    /// Branch code (salesmen and branch managers need one).
    #[arg(long)]
    location: Option<String>,
}

#[derive(Args)]
pub struct EditArgs {
    username: String,
    #[arg(long)]
    role: Option<String>,
    #[arg(long)]
    display_name: Option<String>,
    /// Department code, or "none".
    #[arg(long)]
    department: Option<String>,
    /// Branch code, or "none".
    #[arg(long)]
    location: Option<String>,
}

pub fn run(context: &Context, command: UsersCommand) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let codes = Codes::load(&ledger, &actor)?;
    let department = |code: &str| Codes::id(&codes.departments, "department", code);
    let location = |code: &str| Codes::id(&codes.locations, "location", code);
    match command {
        UsersCommand::List => {
            let all = users::list(&ledger, &actor)?;
            output::table(context, &all, || {
                let mut table =
                    Table::new(&["username", "name", "role", "department", "branch", "active"]);
                for user in &all {
                    table.row(vec![
                        user.username.clone(),
                        user.profile.display_name.clone(),
                        user.profile.role.key().into(),
                        Codes::code(&codes.departments, user.profile.department_id),
                        Codes::code(&codes.locations, user.profile.location_id),
                        if user.active { "yes" } else { "no" }.into(),
                    ]);
                }
                table
            })
        }
        UsersCommand::Add(args) => {
            let role = Role::parse(&args.role)?;
            let profile = UserProfile {
                display_name: args.display_name.unwrap_or_else(|| args.username.clone()),
                role,
                department_id: args
                    .department
                    .as_deref()
                    .map(department)
                    .transpose()?
                    .flatten(),
                location_id: args
                    .location
                    .as_deref()
                    .map(location)
                    .transpose()?
                    .flatten(),
            };
            // Refuse before asking for a password the user could not set anyway.
            actor.require(
                salesplan_core::Action::ManageUsers,
                &salesplan_core::access::Resource::company(),
            )?;
            let password = session::new_secret("SALESPLAN_NEW_PASSWORD", &args.username)?;
            let created = users::create(
                &mut ledger,
                &actor,
                NewUser {
                    username: args.username,
                    profile,
                    password,
                },
            )?;
            done(context, &created, "created")
        }
        UsersCommand::Edit(args) => {
            let user = users::find(&ledger, &actor, &args.username)?;
            let mut profile = user.profile.clone();
            if let Some(role) = args.role {
                profile.role = Role::parse(&role)?;
            }
            if let Some(name) = args.display_name {
                profile.display_name = name;
            }
            if let Some(code) = args.department {
                profile.department_id = department(&code)?;
            }
            if let Some(code) = args.location {
                profile.location_id = location(&code)?;
            }
            let edited = users::update(&mut ledger, &actor, user.id, Some(user.version), profile)?;
            done(context, &edited, "updated")
        }
        UsersCommand::Deactivate { username } => {
            set_active(context, &mut ledger, &actor, &username, false)
        }
        UsersCommand::Activate { username } => {
            set_active(context, &mut ledger, &actor, &username, true)
        }
        UsersCommand::Passwd { username } => {
            let target = username.unwrap_or_else(|| actor.username.clone());
            if target.eq_ignore_ascii_case(&actor.username) {
                let current = session::secret("SALESPLAN_PASSWORD", "Current password: ")?;
                let new_password = session::new_secret("SALESPLAN_NEW_PASSWORD", &actor.username)?;
                users::change_own_password(&mut ledger, &actor, &current, &new_password)?;
            } else {
                let user = users::find(&ledger, &actor, &target)?;
                let new_password = session::new_secret("SALESPLAN_NEW_PASSWORD", &user.username)?;
                users::reset_password(&mut ledger, &actor, user.id, &new_password)?;
            }
            output::emit(
                context,
                &serde_json::json!({ "username": target, "password_changed": true }),
                || format!("password changed for {target}"),
            )
        }
    }
}

fn set_active(
    context: &Context,
    ledger: &mut Ledger,
    actor: &Actor,
    username: &str,
    active: bool,
) -> Result<()> {
    let user = users::find(ledger, actor, username)?;
    let changed = users::set_active(ledger, actor, user.id, active)?;
    done(
        context,
        &changed,
        if active { "activated" } else { "deactivated" },
    )
}

fn done(context: &Context, user: &User, what: &str) -> Result<()> {
    output::emit(context, user, || {
        format!(
            "{what} user {} ({})",
            user.username,
            user.profile.role.key()
        )
    })
}
