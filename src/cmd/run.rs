//! `zhibu run`: the site and the API on one machine, for years. Builds once at start (or takes
//! a folder built before), never watches; serves what `site_host` holds with the functions on
//! the same origin; TLS from certificate files (reloaded on SIGHUP); an access log; the daily
//! location purge; `/api/health`; and on SIGTERM or Ctrl+C stops taking connections, lets
//! requests in flight finish and closes the store.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use axum::Router;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::get;
use chrono::NaiveTime;

use crate::cli::RunArgs;
use crate::progress::{self, Lines};
use crate::site_host::SiteFiles;

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
    let daily_at = NaiveTime::parse_from_str(&args.daily_at, "%H:%M").with_context(|| {
        format!("--daily-at must be HH:MM (24-hour, China time), not {:?}", args.daily_at)
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(serve(args, daily_at))
}

/// The site's files and the catalog, from a build now or from a folder built before.
fn site(
    args: &RunArgs,
    catalog: &zhibu_functions::catalog::SharedCatalog,
    api_config: &zhibu_functions::config::Config,
) -> anyhow::Result<(SiteFiles, bool)> {
    let start = Instant::now();
    if let Some(dir) = &args.built {
        let files = SiteFiles::from_dir(dir)?;
        let loaded = match zhibu_functions::catalog::Catalog::from_file(&catalog_path(args, api_config)) {
            Ok(c) => {
                catalog.replace(c);
                true
            }
            Err(e) => {
                eprintln!(
                    "Warning: no catalog ({e:#}); sign-ins, notes and copies are refused until one is \
                     given (ZHIBU_CATALOG, or build with zhibu build)"
                );
                false
            }
        };
        eprintln!(
            "Serving {} (built before), ready in {}",
            dir.display(),
            progress::format_duration(start.elapsed())
        );
        return Ok((files, loaded));
    }
    let options = super::options(&args.site, args.base_url.clone());
    let lines = Lines { quiet: args.site.quiet };
    let built = zhibu_generator::site::build(&options, &lines)?;
    progress::print_warnings(&built.warnings);
    catalog.replace(built.catalog.clone().into());
    let files = SiteFiles::from_built(built)?;
    let held = files.held();
    eprintln!(
        "Built and compressed {} files ({} KB, {} KB compressed forms) in {}",
        held.files,
        held.bytes / 1024,
        held.compressed / 1024,
        progress::format_duration(start.elapsed())
    );
    Ok((files, true))
}

/// Where the catalog of a folder built before is: ZHIBU_CATALOG, else in the data folder, else
/// where `zhibu build` of the site at `--root` wrote it (`.zhibu/zhibu-catalog.json`).
fn catalog_path(args: &RunArgs, api_config: &zhibu_functions::config::Config) -> std::path::PathBuf {
    use zhibu_functions::catalog::{DEFAULT_PATH, FILE_NAME};
    if std::env::var_os("ZHIBU_CATALOG").is_some_and(|v| !v.is_empty()) {
        return api_config.catalog.clone();
    }
    let in_data = args.data.join(FILE_NAME);
    if in_data.exists() { in_data } else { args.site.root.join(DEFAULT_PATH) }
}

/// The clock of the daily jobs: the system's, or a test's (`ZHIBU_TEST_CLOCK_START`).
fn daily_clock() -> anyhow::Result<Arc<dyn zhibu_functions::clock::Clock>> {
    match std::env::var("ZHIBU_TEST_CLOCK_START") {
        Ok(start) if !start.trim().is_empty() => {
            let start = chrono::DateTime::parse_from_rfc3339(start.trim())
                .context("ZHIBU_TEST_CLOCK_START must be an RFC 3339 time")?;
            eprintln!("Warning: the daily jobs run on a test clock that started at {start}");
            Ok(Arc::new(crate::daily::OffsetClock::starting_at(start)))
        }
        _ => Ok(Arc::new(zhibu_functions::clock::SystemClock)),
    }
}

async fn serve(args: &RunArgs, daily_at: NaiveTime) -> anyhow::Result<()> {
    let api_config = zhibu_functions::config::Config::from_env(&args.data)?;
    let catalog = Arc::new(zhibu_functions::catalog::SharedCatalog::default());
    let (files, loaded) = site(args, &catalog, &api_config)?;
    let files = Arc::new(files);
    let state = zhibu_functions::app::state(&api_config, catalog).await?;
    let store = state.store.clone();
    let health = crate::health::Health {
        store: store.clone(),
        data: args.data.clone(),
        min_free: args.min_free_mb.saturating_mul(1024 * 1024),
        catalog_loaded: Arc::new(AtomicBool::new(loaded)),
    };
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => {
            let certificate = crate::tls::Certificate::open(cert, key)?;
            #[cfg(unix)]
            certificate.reload_on_hangup()?;
            Some(certificate.acceptor()?)
        }
        _ => None,
    };
    let https = tls.is_some() || args.behind_https;
    let listener = tokio::net::TcpListener::bind((args.interface.as_str(), args.port))
        .await
        .with_context(|| format!("cannot listen on {}:{}", args.interface, args.port))?;
    let addr: SocketAddr = listener.local_addr()?;

    let days = zhibu_functions::retention::location_days_from_env()?;
    let daily = tokio::spawn(crate::daily::run(store.clone(), daily_clock()?, daily_at, days));

    let health_route = Router::new().route("/api/health", get(crate::health::check)).with_state(health);
    let site_route = Router::new().fallback(static_file).with_state(files);
    let app = zhibu_functions::http::router(state).merge(health_route).merge(site_route);
    let limits = crate::http_server::Limits {
        shutdown_grace: Duration::from_secs(args.grace),
        ..crate::http_server::Limits::from_env()?
    };
    let options = crate::http_server::Options {
        limits,
        https,
        tls: tls.clone(),
        trusted_proxies: args.trusted_proxies.clone(),
        access_log: !args.no_access_log,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    // Printed on stdout like `serve`'s, so scripts and tests can read the port.
    println!("Running on {scheme}://{addr}/ (SIGTERM or Ctrl+C to stop)");
    crate::http_server::serve(listener, app, options, stop_signal()).await?;
    daily.abort();
    let _ = daily.await;
    // The last handle to the store: SQLite closes its connections (checkpointing the WAL).
    drop(store);
    eprintln!("Stopped: requests in flight finished, store closed.");
    Ok(())
}

async fn static_file(State(files): State<Arc<SiteFiles>>, request: Request) -> Response {
    files.respond(request.method(), request.uri(), request.headers())
}

/// SIGTERM (systemd's stop) or Ctrl+C.
async fn stop_signal() {
    #[cfg(unix)]
    {
        let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
        match term {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => eprintln!("SIGTERM: finishing requests in flight"),
                    _ = tokio::signal::ctrl_c() => eprintln!("Ctrl+C: finishing requests in flight"),
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
