//! Wiring: the configured store, blobs and catalog into an [`AppState`].

use std::sync::Arc;

use crate::auth::TokenKey;
use crate::blobs::Blobs;
use crate::blobs::dir::DirBlobs;
use crate::catalog::SharedCatalog;
use crate::clock::{Clock, SystemClock};
use crate::config::{BlobsConfig, Config, StoreConfig};
use crate::http::AppState;
use crate::store::Store;
use crate::words::SensitiveWords;

/// Opens the configured store. DynamoDB needs the `aws` feature (on for the Lambda binaries;
/// `cargo run --features aws -- …` for the command line); SQLite the `sqlite` feature (on by
/// default; off in the Lambda binaries).
pub async fn open_store(config: &StoreConfig) -> anyhow::Result<Arc<dyn Store>> {
    match config {
        #[cfg(feature = "sqlite")]
        StoreConfig::Sqlite(path) => Ok(Arc::new(crate::store::sqlite::SqliteStore::open(path)?)),
        #[cfg(not(feature = "sqlite"))]
        StoreConfig::Sqlite(path) => anyhow::bail!(
            "ZHIBU_STORE=sqlite:{} needs the SQLite adapter, which this binary was built without \
             (the Lambda binaries are); set ZHIBU_STORE=dynamodb:<table>",
            path.display()
        ),
        #[cfg(feature = "aws")]
        StoreConfig::Dynamodb(table) => {
            Ok(Arc::new(crate::store::dynamo::DynamoStore::new(&crate::aws::load().await, table)))
        }
        #[cfg(not(feature = "aws"))]
        StoreConfig::Dynamodb(table) => anyhow::bail!(
            "ZHIBU_STORE=dynamodb:{table} needs the DynamoDB adapter, which this binary was built without; \
             rebuild with `--features aws`"
        ),
    }
}

/// Opens the configured blob store (S3 needs the `aws` feature, like DynamoDB).
pub async fn open_blobs(config: &BlobsConfig) -> anyhow::Result<Arc<dyn Blobs>> {
    match config {
        BlobsConfig::Dir(path) => Ok(Arc::new(DirBlobs::open(path)?)),
        #[cfg(feature = "aws")]
        BlobsConfig::S3 { bucket, prefix } => {
            Ok(Arc::new(crate::blobs::s3::S3Blobs::new(&crate::aws::load().await, bucket, prefix)))
        }
        #[cfg(not(feature = "aws"))]
        BlobsConfig::S3 { bucket, .. } => anyhow::bail!(
            "ZHIBU_BLOBS=s3:{bucket} needs the S3 adapter, which this binary was built without; \
             rebuild with `--features aws`"
        ),
    }
}

/// The state for the router; the catalog is shared so `zhibu serve` can replace it.
pub async fn state(config: &Config, catalog: Arc<SharedCatalog>) -> anyhow::Result<AppState> {
    let words = match &config.sensitive_words {
        Some(path) => SensitiveWords::load(path)?,
        None => SensitiveWords::default(),
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    Ok(AppState {
        store: open_store(&config.store).await?,
        blobs: open_blobs(&config.blobs).await?,
        catalog,
        tokens: TokenKey::new(&config.token_secret)?,
        words: Arc::new(words),
        clock,
        client_ip_header: match &config.client_ip_header {
            Some(name) => Some(axum::http::HeaderName::try_from(name.trim())?),
            None => None,
        },
        code_checks: crate::auth::new_verification_slots(),
    })
}

/// Opens the configured store and creates what it needs (the SQLite file and schema; the
/// DynamoDB table with its indexes, TTL and point-in-time recovery). Safe to run again; says
/// what it did.
pub async fn prepare_store(config: &StoreConfig) -> anyhow::Result<(Arc<dyn Store>, String)> {
    match config {
        #[cfg(feature = "sqlite")]
        StoreConfig::Sqlite(path) => {
            let existed = path.exists();
            let store = crate::store::sqlite::SqliteStore::open(path)?;
            let what = if existed { "ready" } else { "created" };
            Ok((Arc::new(store), format!("store sqlite:{} {what}", path.display())))
        }
        #[cfg(feature = "aws")]
        StoreConfig::Dynamodb(table) => {
            let store = crate::store::dynamo::DynamoStore::new(&crate::aws::load().await, table);
            let what = if store.ensure_table().await? { "created" } else { "ready" };
            Ok((
                Arc::new(store),
                format!("store dynamodb:{table} {what} (indexes, TTL, point-in-time recovery)"),
            ))
        }
        #[cfg(not(feature = "sqlite"))]
        StoreConfig::Sqlite(_) => Ok((open_store(config).await?, String::new())),
        #[cfg(not(feature = "aws"))]
        StoreConfig::Dynamodb(_) => Ok((open_store(config).await?, String::new())),
    }
}

/// Opens the configured blobs and creates the folder or the bucket if missing; safe to run again.
pub async fn prepare_blobs(config: &BlobsConfig) -> anyhow::Result<(Arc<dyn Blobs>, String)> {
    match config {
        BlobsConfig::Dir(path) => {
            let what = if path.exists() { "ready" } else { "created" };
            Ok((Arc::new(DirBlobs::open(path)?), format!("photos dir:{} {what}", path.display())))
        }
        #[cfg(feature = "aws")]
        BlobsConfig::S3 { bucket, prefix } => {
            let blobs = crate::blobs::s3::S3Blobs::new(&crate::aws::load().await, bucket, prefix);
            let what = if blobs.ensure_bucket().await? { "created (private)" } else { "ready" };
            Ok((Arc::new(blobs), format!("photos s3:{bucket}/{prefix} {what}")))
        }
        #[cfg(not(feature = "aws"))]
        BlobsConfig::S3 { .. } => Ok((open_blobs(config).await?, String::new())),
    }
}
