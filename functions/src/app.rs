//! Wiring: the configured store, blobs and catalog into an [`AppState`].

use std::sync::Arc;

use anyhow::bail;

use crate::auth::TokenKey;
use crate::blobs::Blobs;
use crate::blobs::dir::DirBlobs;
use crate::catalog::SharedCatalog;
use crate::clock::{Clock, SystemClock};
use crate::config::{BlobsConfig, Config, StoreConfig};
use crate::http::AppState;
use crate::store::Store;
use crate::store::sqlite::SqliteStore;
use crate::words::SensitiveWords;

pub fn open_store(config: &StoreConfig) -> anyhow::Result<Arc<dyn Store>> {
    match config {
        StoreConfig::Sqlite(path) => Ok(Arc::new(SqliteStore::open(path)?)),
        StoreConfig::Dynamodb(table) => {
            bail!("the DynamoDB store (table {table}) is not built into this binary yet; use sqlite:<path>")
        }
    }
}

pub fn open_blobs(config: &BlobsConfig) -> anyhow::Result<Arc<dyn Blobs>> {
    match config {
        BlobsConfig::Dir(path) => Ok(Arc::new(DirBlobs::open(path)?)),
        BlobsConfig::S3 { bucket, .. } => {
            bail!("the S3 blob store (bucket {bucket}) is not built into this binary yet; use dir:<path>")
        }
    }
}

/// The state for the router; the catalog is shared so `zhibu serve` can replace it.
pub fn state(config: &Config, catalog: Arc<SharedCatalog>) -> anyhow::Result<AppState> {
    let words = match &config.sensitive_words {
        Some(path) => SensitiveWords::load(path)?,
        None => SensitiveWords::default(),
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    Ok(AppState {
        store: open_store(&config.store)?,
        blobs: open_blobs(&config.blobs)?,
        catalog,
        tokens: TokenKey::new(&config.token_secret)?,
        words: Arc::new(words),
        clock,
    })
}
