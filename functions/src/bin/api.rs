//! The Lambda function: the same router as `zhibu serve`, behind a function URL or an HTTP API.
//! Configuration comes from the environment (`ZHIBU_STORE`, `ZHIBU_BLOBS`,
//! `ZHIBU_TOKEN_SECRET`, `ZHIBU_CATALOG`); see the README.

use std::sync::Arc;

use zhibu_functions::{app, catalog, config, http};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    tracing_subscriber::fmt().with_ansi(false).without_time().with_target(false).init();
    if std::env::var("ZHIBU_TOKEN_SECRET").map(|s| s.len() < 32).unwrap_or(true) {
        return Err(
            "ZHIBU_TOKEN_SECRET must be set to at least 32 characters (every instance must share it)".into(),
        );
    }
    let config = config::Config::from_env(std::path::Path::new("/tmp/zhibu"))?;
    let catalog = catalog::Catalog::from_file(&config.catalog)?;
    let state = app::state(&config, Arc::new(catalog::SharedCatalog::new(catalog))).await?;
    lambda_http::run(http::router(state)).await
}
