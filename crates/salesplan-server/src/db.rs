//! The PostgreSQL pool, the server's migrations (embedded from `migrations/`,
//! applied by refinery), and the server's facts (company, epoch).

use anyhow::{Context, Result};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// A pool of connections to `url` (`postgres://user:password@host:port/database`);
/// fails when the database cannot be reached.
pub async fn connect(url: &str, size: usize) -> Result<Pool> {
    let config: tokio_postgres::Config = url.parse().with_context(
        || "the database URL is not a PostgreSQL URL (postgres://user:password@host:port/database)",
    )?;
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let pool = Pool::builder(manager)
        .max_size(size)
        .runtime(Runtime::Tokio1)
        .build()
        .context("cannot build the connection pool")?;
    drop(pool.get().await.context("cannot reach the database")?);
    Ok(pool)
}

/// Applies the migrations not applied yet; answers how many were.
pub async fn migrate(pool: &Pool) -> Result<usize> {
    let mut client = pool.get().await.context("cannot reach the database")?;
    let report = embedded::migrations::runner()
        .set_grouped(true)
        .run_async(&mut **client)
        .await
        .context("the server's migrations failed")?;
    Ok(report.applied_migrations().len())
}

/// A fact from `server_meta`.
pub async fn meta(pool: &Pool, key: &str) -> Result<Option<String>> {
    let client = pool.get().await?;
    let row = client
        .query_opt("SELECT value FROM server_meta WHERE key = $1", &[&key])
        .await?;
    Ok(row.map(|row| row.get(0)))
}

/// The epoch laptops hold: the one `company create` chose, combined with the
/// database's own identity (its oid), which a restore from a dump changes. So a
/// restored server has a new epoch and laptops read its feed again and re-push
/// what it lacks. After restoring a physical backup (same oid), run
/// `salesplan-server epoch renew`.
/// The company's name and currency, once `company create` has set it up.
pub async fn company(
    client: &deadpool_postgres::ClientWrapper,
) -> Result<Option<(String, String)>> {
    let row = client
        .query_opt(
            &client
                .prepare_cached(
                    "SELECT n.value, c.value FROM server_meta n, server_meta c
                     WHERE n.key = 'company_name' AND c.key = 'currency'",
                )
                .await?,
            &[],
        )
        .await?;
    Ok(row.map(|row| (row.get(0), row.get(1))))
}

pub async fn epoch(client: &deadpool_postgres::ClientWrapper) -> Result<Option<uuid::Uuid>> {
    let row = client
        .query_opt(&client.prepare_cached("SELECT value, (SELECT oid FROM pg_database WHERE datname = current_database())::text
             FROM server_meta WHERE key = 'epoch'").await?,
            &[],
        )
        .await?;
    Ok(row.map(|row| {
        salesplan_domain::ids::derived_id(&[
            row.get::<_, String>(0).as_bytes(),
            b":",
            row.get::<_, String>(1).as_bytes(),
        ])
    }))
}

/// Gives the server a new epoch (after restoring a physical backup): every laptop reads the feed again.
pub async fn renew_epoch(pool: &Pool) -> Result<uuid::Uuid> {
    let client = pool.get().await.context("cannot reach the database")?;
    let epoch = uuid::Uuid::new_v4();
    let updated = client
        .execute(
            "UPDATE server_meta SET value = $1 WHERE key = 'epoch'",
            &[&epoch.to_string()],
        )
        .await?;
    anyhow::ensure!(updated == 1, "this server holds no company yet");
    Ok(epoch)
}
