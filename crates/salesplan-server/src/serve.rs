//! Serving: plain HTTP (behind a TLS-terminating proxy) or HTTPS with rustls
//! from a PEM certificate and key; a graceful stop on Ctrl-C or SIGTERM.

use anyhow::{Context, Result};
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub struct Tls {
    pub certificate: PathBuf,
    pub key: PathBuf,
}

async fn stop_requested() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("stopping");
}

pub async fn serve(app: Router, listen: SocketAddr, tls: Option<Tls>) -> Result<()> {
    match tls {
        None => {
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            tracing::info!(address = %listener.local_addr()?, "serving over HTTP");
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(stop_requested())
            .await?;
        }
        Some(tls) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config =
                axum_server::tls_rustls::RustlsConfig::from_pem_file(&tls.certificate, &tls.key)
                    .await
                    .with_context(|| {
                        format!(
                            "cannot read the TLS certificate {} and key {}",
                            tls.certificate.display(),
                            tls.key.display()
                        )
                    })?;
            let handle = axum_server::Handle::<SocketAddr>::new();
            let stopper = handle.clone();
            tokio::spawn(async move {
                stop_requested().await;
                stopper.graceful_shutdown(Some(Duration::from_secs(10)));
            });
            tracing::info!(address = %listen, "serving over HTTPS");
            axum_server::bind_rustls(listen, config)
                .handle(handle)
                .serve(app.into_make_service_with_connect_info::<SocketAddr>())
                .await?;
        }
    }
    Ok(())
}
