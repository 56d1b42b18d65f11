//! `salesplan-server`: head office. `migrate` applies the schema, `serve` runs
//! the API, `company create` and `user add|list|deactivate` administer it.
//! The database comes from `--database-url` or `SALESPLAN_DATABASE_URL`.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use salesplan_domain::Role;
use salesplan_server::admin::{self, NewUser};
use salesplan_server::serve::{Tls, serve};
use salesplan_server::{AppState, db, router};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;
use uuid::Uuid;

#[derive(Parser)]
#[command(
    name = "salesplan-server",
    version,
    about = "Salesplan head office: the sync server"
)]
struct Cli {
    /// postgres://user:password@host:port/database
    #[arg(long, env = "SALESPLAN_DATABASE_URL", global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply the server's database migrations (`serve` does it too).
    Migrate,
    /// Check every stored record with the rules a pushed change must pass; list what fails.
    Verify {
        /// Move what fails into the quarantine table (with its reason).
        #[arg(long)]
        quarantine: bool,
    },
    /// Serve the API.
    Serve {
        #[arg(long, env = "SALESPLAN_LISTEN", default_value = "127.0.0.1:8787")]
        listen: SocketAddr,
        /// A PEM certificate (chain): serve HTTPS. Without it, plain HTTP (behind a proxy).
        #[arg(long, env = "SALESPLAN_TLS_CERT", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        #[arg(long, env = "SALESPLAN_TLS_KEY", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Days a sign-in token lasts (1 to 3650).
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(i64).range(1..=3650))]
        token_days: i64,
    },
    /// The company this server holds.
    #[command(subcommand)]
    Company(CompanyCommand),
    /// Users and roles (head office is their source of truth).
    #[command(subcommand)]
    User(UserCommand),
    /// The server's epoch: laptops read the whole feed again when it changes.
    #[command(subcommand)]
    Epoch(EpochCommand),
}

#[derive(Subcommand)]
enum EpochCommand {
    /// After restoring a physical backup (a restore from a dump is noticed by itself):
    /// every laptop reads the feed again and re-sends what head office lacks.
    Renew,
}

#[derive(Subcommand)]
enum CompanyCommand {
    Create {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "EUR")]
        currency: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user; the password comes from SALESPLAN_NEW_PASSWORD or a prompt.
    Add {
        username: String,
        #[arg(long)]
        name: Option<String>,
        /// administrator, salesman, manager, supply-chain or branch-manager.
        #[arg(long)]
        role: String,
        /// The department by its code (RET), as the administrator's laptop sent it.
        #[arg(long, conflicts_with = "department_id")]
        department: Option<String>,
        /// The branch by its code (BR-N), as the administrator's laptop sent it.
        #[arg(long, conflicts_with = "location_id")]
        branch: Option<String>,
        #[arg(long)]
        department_id: Option<Uuid>,
        #[arg(long)]
        location_id: Option<Uuid>,
    },
    List,
    /// Deactivate a user: their tokens are revoked at once.
    Deactivate {
        username: String,
    },
}

fn new_password() -> Result<String> {
    if let Ok(password) = std::env::var("SALESPLAN_NEW_PASSWORD") {
        return Ok(password);
    }
    rpassword::prompt_password("password for the new user: ")
        .context("no password: set SALESPLAN_NEW_PASSWORD or run in a terminal")
}

async fn run(cli: Cli) -> Result<()> {
    let url = cli
        .database_url
        .context("no database: pass --database-url postgres://… or set SALESPLAN_DATABASE_URL")?;
    let pool = db::connect(&url, 16).await?;
    match cli.command {
        Command::Migrate => {
            let applied = db::migrate(&pool).await?;
            println!("{applied} migration(s) applied");
        }
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
            token_days,
        } => {
            let applied = db::migrate(&pool).await?;
            tracing::info!(applied, "migrations");
            let tls = tls_cert
                .zip(tls_key)
                .map(|(certificate, key)| Tls { certificate, key });
            let state = AppState {
                token_days,
                ..AppState::new(pool)
            };
            serve(router(state), listen, tls).await?;
        }
        Command::Epoch(EpochCommand::Renew) => {
            db::renew_epoch(&pool).await?;
            let client = pool.get().await?;
            let epoch = db::epoch(&client).await?.unwrap_or_default();
            println!(
                "the server's epoch is now {epoch}: laptops read the feed again at their next sync"
            );
        }
        Command::Company(CompanyCommand::Create { name, currency }) => {
            db::migrate(&pool).await?;
            let company = admin::create_company(&pool, &name, &currency).await?;
            println!("{}", serde_json::to_string_pretty(&company)?);
        }
        Command::User(UserCommand::Add {
            username,
            name,
            role,
            department,
            branch,
            department_id,
            location_id,
        }) => {
            let department_id = match department {
                Some(code) => Some(admin::id_of_code(&pool, "department", &code).await?),
                None => department_id,
            };
            let location_id = match branch {
                Some(code) => Some(admin::id_of_code(&pool, "location", &code).await?),
                None => location_id,
            };
            let user = admin::add_user(
                &pool,
                NewUser {
                    display_name: name.unwrap_or_default(),
                    role: Role::parse(&role)?,
                    department_id,
                    location_id,
                    password: new_password()?,
                    username,
                },
            )
            .await?;
            println!("{}", serde_json::to_string_pretty(&user)?);
        }
        Command::User(UserCommand::List) => {
            let users = admin::list_users(&pool).await?;
            println!("{}", serde_json::to_string_pretty(&users)?);
        }
        Command::User(UserCommand::Deactivate { username }) => {
            let revoked = admin::deactivate_user(&pool, &username).await?;
            println!("deactivated {username}; {revoked} token(s) revoked");
        }
        Command::Verify { quarantine } => {
            db::migrate(&pool).await?;
            let findings = salesplan_server::verify::verify(&pool, quarantine).await?;
            for finding in &findings {
                println!(
                    "{} {} ({}): {}",
                    finding.entity, finding.entity_id, finding.source, finding.reason
                );
            }
            match (findings.len(), quarantine) {
                (0, _) => println!("every stored record passes"),
                (count, true) => println!("{count} record(s) moved to quarantine"),
                (count, false) => anyhow::bail!(
                    "{count} stored record(s) do not pass; `verify --quarantine` moves them aside"
                ),
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            EnvFilter::try_from_env("SALESPLAN_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(Cli::parse())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
